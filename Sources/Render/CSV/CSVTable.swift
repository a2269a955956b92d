/// A cell of a CSV row. Text cells are guarded against formula injection; numbers are not.
public enum CSVCell: Equatable, Sendable {
    case text(String)
    case number(String)

    /// RFC 4180 quoting; a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
    var encoded: String {
        var value: String
        switch self {
        case let .number(n): value = n
        case let .text(t):
            value = t
            if let first = t.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { value = "'" + t }
        }
        let needsQuotes = value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        return needsQuotes ? "\"" + value.replacingAll("\"", with: "\"\"") + "\"" : value
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

    public var text: String {
        var out = header.joined(separator: ",") + "\n"
        for row in rows {
            precondition(row.count == header.count, "CSV row width differs from its header")
            out += row.map(\.encoded).joined(separator: ",") + "\n"
        }
        return out
    }
}

extension String {
    /// Replaces every occurrence without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
