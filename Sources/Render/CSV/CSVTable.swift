/// A cell of a CSV row. Text cells are guarded against formula injection; numbers are not.
public enum CSVCell: Equatable, Sendable {
    case text(String)
    case number(String)

    /// RFC 4180 quoting; a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
    var encoded: String {
        var out: [UInt8] = []
        append(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoded cell: quoted when it holds a comma, a quote, CR or LF, with each quote doubled. The test
    /// is on bytes, not `Character`s: a CR LF pair is one `Character` (equal to neither "\r" nor "\n"), and so is
    /// a quote followed by a combining mark, yet both bytes still end a line or a field for a CSV reader.
    func append(to out: inout [UInt8]) {
        let value: String
        var guarded = false
        switch self {
        case let .number(n): value = n
        case let .text(t):
            value = t
            if let first = t.utf8.first, CSVCell.guardedFirstBytes.contains(first) { guarded = true }
        }
        guard value.utf8.contains(where: CSVCell.needsQuotes) else {
            if guarded { out.append(UInt8(ascii: "'")) }
            out.append(contentsOf: value.utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        if guarded { out.append(UInt8(ascii: "'")) }
        for byte in value.utf8 {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `=`, `+`, `-`, `@`, tab, CR: a first character a spreadsheet may take for a formula. All ASCII, so the
    /// first byte is the first character.
    private static let guardedFirstBytes: Set<UInt8> = Set("=+-@\t\r".utf8)

    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}

/// A CSV document with a header row and `\n` line ends.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[CSVCell]]

    public init(header: [String], rows: [[CSVCell]] = []) {
        self.header = header
        self.rows = rows
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `text` as UTF-8, written straight into one buffer.
    public var bytes: [UInt8] {
        var out = Array(header.joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
        for row in rows {
            precondition(row.count == header.count, "CSV row width differs from its header")
            for (i, cell) in row.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                cell.append(to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
