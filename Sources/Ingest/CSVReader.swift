import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One field of the record a `CSVReader` has just returned.
///
/// The field's bytes (quotes removed, `""` turned into `"`) live in the reader's buffer at
/// `offset..<offset+count` until the next call to `CSVReader.next()`.
package struct CSVField: Equatable {
    package var offset: Int
    package var count: Int
    /// Physical line (1-based) on which the field starts.
    package var line: Int
    /// 1-based byte column of the field's first byte (its opening quote, when quoted) within that line.
    package var column: Int
    package var isQuoted: Bool
    /// Whether the quoted content still holds `""` pairs to collapse; only the reader uses this.
    fileprivate var hasEscapes: Bool
}

/// A record returned by `CSVReader.next()`: field positions over the reader's buffer.
///
/// Valid only until the next call to `next()`; nothing in it owns memory. Take a `String` with
/// `string(_:)` only for the fields that need one.
package struct CSVRecord {
    /// The physical line (1-based) on which the record starts.
    package var line: Int
    /// Where the record's content ends (before its line end): the line and the 1-based column one past
    /// its last byte. Used to point at a missing field.
    package var endLine: Int
    package var endColumn: Int
    package var fields: UnsafeBufferPointer<CSVField>
    package var base: UnsafePointer<UInt8>

    package var count: Int { fields.count }
    package subscript(_ index: Int) -> CSVField { fields[index] }

    /// The content bytes of field `index`.
    @inline(__always)
    package func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let field = fields[index]
        return UnsafeBufferPointer(start: base + field.offset, count: field.count)
    }

    /// The content of field `index` as a `String` (already validated as UTF-8 by the reader).
    package func string(_ index: Int) -> String { String(decoding: bytes(index), as: UTF8.self) }

    /// A line with nothing on it (a record of one empty, unquoted field).
    package var isBlank: Bool { fields.count == 1 && fields[0].count == 0 && !fields[0].isQuoted }
}

/// A streaming RFC 4180 reader working on bytes.
///
/// - Reads the file with `read(2)` in chunks of `chunkSize` bytes into one buffer of about
///   `maxRecordBytes + chunkSize`; memory stays bounded whatever the file's size.
/// - Quoted fields may hold commas, line ends and `""` (a quote); `\n` and `\r\n` end a line
///   (a `\r` at the very end of the file too); a lone `\r` elsewhere is ordinary data.
/// - A UTF-8 byte order mark at the start of the file is skipped; columns are counted after it.
/// - Rejects, with the line and column: invalid UTF-8, an unterminated quote, a quote inside an
///   unquoted field, text after a closing quote, and a record longer than `maxRecordBytes` bytes
///   (its line end not counted).
/// - Empty lines are returned as records with one empty field (`CSVRecord.isBlank`); the caller decides.
package final class CSVReader {
    package static let defaultChunkSize = 1 << 20
    package static let defaultMaxRecordBytes = 1 << 20

    /// The file as error messages name it.
    package let displayName: String
    package let chunkSize: Int
    package let maxRecordBytes: Int
    /// Bytes read from the file so far (0 after the end means the file is empty).
    private(set) var bytesRead = 0

    private let fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Start of the unread data (the next record) and end of the filled part of `buffer`.
    private var pos = 0
    private var end = 0
    private var atEOF = false
    private var checkedBOM = false
    /// The physical line the next record starts on.
    private var nextLine = 1

    private var fieldStore: UnsafeMutablePointer<CSVField>
    private var fieldCapacity = 64

    /// Opens `path`. A file that cannot be opened throws a `Diagnostic` whose `isNoInput` is true
    /// (message `no such file`, `permission denied`, `is a directory` or `cannot open file: …`).
    package init(path: String, displayName: String, chunkSize: Int = CSVReader.defaultChunkSize,
         maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) throws(Diagnostic) {
        precondition(chunkSize > 0 && maxRecordBytes > 0)
        self.displayName = displayName
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        fd = try InputFileProblem.openForReading(path, displayName: displayName)
        // A partial record of up to maxRecordBytes + 1 bytes (a trailing `\r`) plus one chunk.
        capacity = maxRecordBytes + 1 + chunkSize
        buffer = .allocate(capacity: capacity)
        fieldStore = .allocate(capacity: fieldCapacity)
    }

    /// Reads `bytes` already in memory (a report's own CSV files, read back for comparison), with the same
    /// rules and messages as a file.
    package init(bytes: [UInt8], displayName: String) {
        self.displayName = displayName
        chunkSize = max(bytes.count, 1)
        maxRecordBytes = max(bytes.count, 1)
        fd = -1
        capacity = bytes.count + 1
        buffer = InputFileProblem.bufferHolding(bytes, capacity: capacity)
        end = bytes.count
        bytesRead = bytes.count
        atEOF = true
        fieldStore = .allocate(capacity: fieldCapacity)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
        fieldStore.deallocate()
    }

    /// The next record, or nil at the end of the file. The record is valid until the next call.
    package func next() throws(Diagnostic) -> CSVRecord? {
        while true {
            if !checkedBOM {
                if end - pos < 3 && !atEOF {
                    try refill()
                    continue
                }
                if end - pos >= 3, buffer[pos] == 0xEF, buffer[pos + 1] == 0xBB, buffer[pos + 2] == 0xBF { pos += 3 }
                checkedBOM = true
            }
            switch try scan() {
            case .record(let record): return record
            case .endOfFile: return nil
            case .needMore: try refill()
            }
        }
    }

    // MARK: - Scanning

    private enum ScanResult {
        case record(CSVRecord)
        case endOfFile
        case needMore
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Scans one record starting at `pos`. When the buffer ends before the record does, returns
    /// `.needMore` without changing any state: the record is scanned again from its start after a refill.
    private func scan() throws(Diagnostic) -> ScanResult {
        let buf = buffer
        let end = self.end
        let eof = atEOF
        let recordStart = pos
        if recordStart == end { return eof ? .endOfFile : .needMore }

        let comma = Self.comma, quote = Self.quote, lf = Self.lf, cr = Self.cr
        var i = recordStart
        var line = nextLine
        var lineStart = recordStart
        var fieldCount = 0
        var anyEscapes = false
        // Every byte of the record is ORed in here as it is scanned (with, at worst, a few bytes past the record
        // from the last eight-byte word), so a record without a high bit in `seen` is ASCII and needs no UTF-8 check.
        var seen: UInt64 = 0
        let contentEnd: Int
        let nextRecordStart: Int

        while true {
            let fieldLine = line
            let fieldColumn = i - lineStart + 1
            var offset = i
            var count: Int
            var quoted = false
            var escaped = false

            if i < end && buf[i] == quote {
                quoted = true
                i += 1
                offset = i
                while true {
                    if i == end {
                        if !eof { return try needMore(quoteLine: fieldLine, quoteColumn: fieldColumn) }
                        throw diagnostic(fieldLine, fieldColumn, "unterminated quoted field: the quote opened here is never closed")
                    }
                    let b = buf[i]
                    seen |= UInt64(b)
                    if b == quote {
                        if i + 1 == end && !eof { return try needMore(quoteLine: fieldLine, quoteColumn: fieldColumn) }
                        if i + 1 < end && buf[i + 1] == quote {
                            escaped = true
                            i += 2
                            continue
                        }
                        break
                    }
                    if b == lf {
                        line += 1
                        lineStart = i + 1
                    }
                    i += 1
                }
                count = i - offset
                i += 1  // the closing quote
                if i < end {
                    let b = buf[i]
                    if b == cr {
                        if i + 1 == end && !eof { return try needMore(quoteLine: nil, quoteColumn: nil) }
                        if i + 1 < end && buf[i + 1] != lf {
                            throw diagnostic(line, i - lineStart + 1, "unexpected carriage return after a closing quote")
                        }
                    } else if b != comma && b != lf {
                        throw diagnostic(line, i - lineStart + 1,
                                         "unexpected \(Self.describe(buf[i])) after a closing quote (a quote inside a quoted field is written \"\")")
                    }
                } else if !eof {
                    return try needMore(quoteLine: nil, quoteColumn: nil)
                }
            } else {
                scanning: while true {
                    // Every byte that ends or breaks an unquoted field (, " \r \n) is below 0x2D: skip
                    // eight bytes at a time while none is, then finish byte by byte.
                    while i &+ 8 <= end {
                        let word = UInt64(littleEndian: UnsafeRawPointer(buf + i).loadUnaligned(as: UInt64.self))
                        seen |= word
                        let below = Self.bytesBelow0x2D(word)
                        if below != 0 {
                            i &+= below.trailingZeroBitCount &>> 3
                            break
                        }
                        i &+= 8
                    }
                    while i < end, buf[i] > comma {
                        seen |= UInt64(buf[i])
                        i &+= 1
                    }
                    if i == end {
                        if !eof { return try needMore(quoteLine: nil, quoteColumn: nil) }
                        break scanning
                    }
                    let b = buf[i]
                    // The common case first, as one bit test (b <= comma here): no jump table.
                    if (UInt64(1) &<< UInt64(b)) & (UInt64(1) << comma | UInt64(1) << lf) != 0 { break scanning }
                    if b == cr {
                        if i + 1 < end {
                            if buf[i + 1] == lf { break scanning }
                            i += 1  // a lone carriage return is data
                        } else if !eof {
                            return try needMore(quoteLine: nil, quoteColumn: nil)
                        } else {
                            break scanning
                        }
                    } else if b == quote {
                        throw diagnostic(line, i - lineStart + 1,
                                         "unexpected quote in an unquoted field (quote the whole field and write a quote as \"\")")
                    } else {
                        i += 1
                    }
                }
                count = i - offset
            }

            if fieldCount == fieldCapacity { growFields() }
            fieldStore[fieldCount] = CSVField(offset: offset, count: count, line: fieldLine, column: fieldColumn,
                                              isQuoted: quoted, hasEscapes: escaped)
            fieldCount += 1
            anyEscapes = anyEscapes || escaped

            if i == end {  // only at the end of the file
                contentEnd = i
                nextRecordStart = i
                break
            }
            let b = buf[i]
            if b == comma {
                i += 1
                continue
            }
            contentEnd = i
            nextRecordStart = b == lf ? i + 1 : min(i + 2, end)  // "\n", "\r\n", or "\r" at the end of the file
            break
        }

        if contentEnd - recordStart > maxRecordBytes {
            throw diagnostic(nextLine, nil, "line is longer than \(maxRecordBytes) bytes")
        }
        if seen & 0x8080_8080_8080_8080 != 0, !Self.isASCII(buf + recordStart, contentEnd - recordStart),
           let bad = Self.firstInvalidUTF8(buf + recordStart, contentEnd - recordStart) {
            let at = recordStart + bad
            var badLine = nextLine
            var badLineStart = recordStart
            for j in recordStart..<at where buf[j] == lf {
                badLine += 1
                badLineStart = j + 1
            }
            throw diagnostic(badLine, at - badLineStart + 1, "invalid UTF-8 (byte 0x\(Self.hex(buf[at])))")
        }
        if anyEscapes {
            for k in 0..<fieldCount where fieldStore[k].hasEscapes {
                fieldStore[k].count = Self.collapseQuotes(buf + fieldStore[k].offset, fieldStore[k].count)
                fieldStore[k].hasEscapes = false
            }
        }

        let record = CSVRecord(line: nextLine, endLine: line, endColumn: contentEnd - lineStart + 1,
                               fields: UnsafeBufferPointer(start: fieldStore, count: fieldCount),
                               base: UnsafePointer(buf))
        pos = nextRecordStart
        nextLine = line + 1
        return .record(record)
    }

    /// Called when the buffer ends inside a record: fails if the record is already too long.
    private func needMore(quoteLine: Int?, quoteColumn: Int?) throws(Diagnostic) -> ScanResult {
        // One byte of slack: the last byte may be the `\r` of a `\r\n`, which does not count.
        if end - pos > maxRecordBytes + 1 {
            var message = "line is longer than \(maxRecordBytes) bytes"
            if let quoteLine, let quoteColumn {
                message += " (inside a quoted field opened at line \(quoteLine), column \(quoteColumn); is its closing quote missing?)"
            }
            throw diagnostic(nextLine, nil, message)
        }
        return .needMore
    }

    /// Moves the unread bytes to the front of the buffer and reads one more chunk.
    private func refill() throws(Diagnostic) {
        if pos > 0 {
            let pending = end - pos
            if pending > 0 { memmove(buffer, buffer + pos, pending) }
            pos = 0
            end = pending
        }
        let room = min(chunkSize, capacity - end)
        precondition(room > 0, "CSVReader buffer full")
        let n = try InputFileProblem.readChunk(fd, into: buffer + end, count: room, displayName: displayName)
        end += n
        bytesRead += n
        atEOF = n == 0
    }

    private func growFields() {
        let bigger = UnsafeMutablePointer<CSVField>.allocate(capacity: fieldCapacity * 2)
        bigger.moveInitialize(from: fieldStore, count: fieldCapacity)
        fieldStore.deallocate()
        fieldStore = bigger
        fieldCapacity *= 2
    }

    private func diagnostic(_ line: Int, _ column: Int?, _ message: String) -> Diagnostic {
        Diagnostic(file: displayName, line: line, column: column, message: message)
    }

    // MARK: - Byte helpers

    /// A word with the high bit set in each byte of `word` that is below 0x2D; exact for the lowest such
    /// byte (a borrow can only falsely mark bytes above a true one), which is all the scanner uses.
    @inline(__always)
    private static func bytesBelow0x2D(_ word: UInt64) -> UInt64 {
        (word &- 0x2D2D_2D2D_2D2D_2D2D) & ~word & 0x8080_8080_8080_8080
    }

    /// Whether `count` bytes at `p` are all ASCII, eight at a time.
    private static func isASCII(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        var seen: UInt64 = 0
        while i &+ 8 <= count {
            seen |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            i &+= 8
        }
        while i < count {
            seen |= UInt64(p[i])
            i &+= 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    /// Collapses each `""` to `"` in place; returns the new length.
    private static func collapseQuotes(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var read = 0
        var write = 0
        while read < count {
            let b = p[read]
            p[write] = b
            write += 1
            read += b == quote ? 2 : 1
        }
        return write
    }

    /// The offset of the first byte that does not start a well-formed UTF-8 sequence (no overlong forms,
    /// no surrogates, nothing above U+10FFFF), or nil when all of it is valid.
    package static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var i = 0
        while i < count {
            let lead = p[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            let trailing: Int
            switch lead {
            case 0xC2...0xDF: trailing = 1
            case 0xE0: trailing = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: trailing = 2
            case 0xED: trailing = 2; high = 0x9F
            case 0xF0: trailing = 3; low = 0x90
            case 0xF1...0xF3: trailing = 3
            case 0xF4: trailing = 3; high = 0x8F
            default: return i
            }
            guard i + trailing < count, p[i + 1] >= low, p[i + 1] <= high else { return i }
            for k in stride(from: 2, through: trailing, by: 1) where p[i + k] & 0xC0 != 0x80 { return i }
            i += trailing + 1
        }
        return nil
    }

    /// How to name byte `b` in a message: a printable ASCII character quoted, else its hex value.
    private static func describe(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7F { return "\"\(Character(Unicode.Scalar(b)))\"" }
        return "byte 0x\(hex(b))"
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}

/// The messages of diagnostics for an input file that could not be opened at all.
package enum InputFileProblem {
    package static let noSuchFile = "no such file"
    package static let permissionDenied = "permission denied"
    package static let isDirectory = "is a directory"
    package static let cannotOpenPrefix = "cannot open file: "
    package static let notARegularFile = "is not a regular file (a pipe, socket or device); save the export to a file and import that"

    /// The problem with importing `path` when it is a pipe, socket or device: opening it may wait for a writer for
    /// ever, and its bytes cannot be read twice (once to tell the format, once to import) or hashed for the audit trail.
    /// Nil for a regular file (or one that does not exist: that is said elsewhere).
    package static func special(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        return kind == S_IFREG || kind == S_IFDIR ? nil : notARegularFile
    }

    /// Opens a regular file read-only; a missing, unreadable or directory path is a `Diagnostic` whose
    /// `isNoInput` is true.
    package static func openForReading(_ path: String, displayName: String) throws(Diagnostic) -> Int32 {
        if let problem = special(path) { throw Diagnostic(file: displayName, message: problem) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw Diagnostic(file: displayName, line: nil, column: nil, message: message(errno: errno))
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw Diagnostic(file: displayName, line: nil, column: nil, message: isDirectory)
        }
        return fd
    }

    /// A new buffer of `capacity` bytes (at least `bytes.count`) that starts with `bytes`: what a reader fed from
    /// memory reads instead of chunks of a file.
    package static func bufferHolding(_ bytes: [UInt8], capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity, bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.initialize(from: base, count: source.count) }
        }
        return buffer
    }

    /// Reads up to `count` bytes, retrying when interrupted; 0 means the end of the file. A read error is a
    /// `Diagnostic` for the file.
    package static func readChunk(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, count: Int,
                     displayName: String) throws(Diagnostic) -> Int {
        while true {
            let n = read(fd, buffer, count)
            if n >= 0 {
                if n > 0 { ReadProgress.current?.add(bytes: n) }
                return n
            }
            if errno == EINTR { continue }
            throw Diagnostic(file: displayName, line: nil, column: nil, message: "cannot read file: \(String(cString: strerror(errno)))")
        }
    }

    package static func message(errno code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: noSuchFile
        case EACCES, EPERM: permissionDenied
        case EISDIR: isDirectory
        default: cannotOpenPrefix + String(cString: strerror(code))
        }
    }
}

extension Diagnostic {
    /// True for a diagnostic saying an input file could not be opened at all (missing, unreadable, a
    /// directory): the caller exits with `ExitStatus.noInput` (66) rather than `dataError` (65).
    /// Such a diagnostic has no line, and one of the `InputFileProblem` messages.
    package var isNoInput: Bool {
        guard line == nil else { return false }
        return message == InputFileProblem.noSuchFile || message == InputFileProblem.permissionDenied
            || message == InputFileProblem.isDirectory || message.hasPrefix(InputFileProblem.cannotOpenPrefix)
    }
}
