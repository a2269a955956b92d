import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One token of a JSON document, as `JSONTokenizer.next()` returns it.
package enum JSONToken: Equatable {
    case beginObject, endObject, beginArray, endArray
    /// An object member's name; the `:` after it has been read.
    case key(String)
    case string(String)
    /// A number's text as written, checked against JSON's number grammar (never converted through `Double`).
    case number(String)
    case bool(Bool)
    case null

    /// "an object", "a string", … for messages such as `expected an array, found a string`.
    package var kind: String {
        switch self {
        case .beginObject, .endObject: "an object"
        case .beginArray, .endArray: "an array"
        case .key: "a member name"
        case .string: "a string"
        case .number: "a number"
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }
}

/// A place in the file: 1-based line and 1-based byte column (after a UTF-8 byte order mark on line 1).
package struct JSONPosition: Equatable {
    package var line: Int
    package var column: Int
}

/// A streaming JSON (RFC 8259) tokenizer over a file, for imports that must not hold the file in memory.
///
/// - Reads with `read(2)` in chunks of `chunkSize` bytes; only the current token is kept (a string or a
///   number of at most `maxTokenBytes` bytes), so memory stays bounded whatever the file's size.
/// - Checks the grammar as it goes (`,`/`:` placement, matching brackets, one top-level value, nesting at
///   most `maxDepth` deep), strings (escapes, surrogate pairs, no raw control characters, valid UTF-8 — also in
///   strings that are skipped: invalid UTF-8 anywhere refuses the file, at the byte) and numbers. Every problem is a `Diagnostic` naming `displayName`, the line and the column; a file that
///   ends early says so ("the JSON is truncated") at the place it ends.
/// - `position` is where the token last returned starts, for messages about its content.
///
/// Callers pull tokens with `next()`, or walk containers with `members(_:)`/`elements(_:)` and skip what
/// they do not need with `skipValue(startingWith:)`, which builds no strings.
package final class JSONTokenizer {
    package static let defaultChunkSize = 1 << 16
    package static let defaultMaxTokenBytes = 1 << 20
    package static let maxDepth = 512

    /// The file as error messages name it.
    package let displayName: String
    package let maxTokenBytes: Int
    /// Where the token last returned by `next()` starts.
    private(set) var position = JSONPosition(line: 1, column: 1)
    /// Bytes read from the file so far.
    private(set) var bytesRead = 0

    private let fd: Int32
    private let chunkSize: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var pos = 0
    private var end = 0
    private var atEOF = false
    private var line = 1
    private var column = 1
    private var checkedBOM = false

    private enum Container { case object, array }
    private var stack: [Container] = []
    private enum Expect { case start, value, valueOrClose, keyOrClose, key, commaOrClose, done }
    private var expect = Expect.start
    /// The bytes of the string or number being read.
    private var scratch: [UInt8] = []
    /// When set, strings are checked but not turned into `String`s (`skipValue`).
    private var skipping = false

    /// Opens `path`. A file that cannot be opened throws a `Diagnostic` whose `isNoInput` is true.
    package init(path: String, displayName: String, chunkSize: Int = JSONTokenizer.defaultChunkSize,
         maxTokenBytes: Int = JSONTokenizer.defaultMaxTokenBytes) throws(Diagnostic) {
        precondition(chunkSize > 0 && maxTokenBytes > 0)
        self.displayName = displayName
        self.chunkSize = chunkSize
        self.maxTokenBytes = maxTokenBytes
        fd = try InputFileProblem.openForReading(path, displayName: displayName)
        buffer = .allocate(capacity: chunkSize)
        scratch.reserveCapacity(256)
    }

    /// Reads `bytes` already in memory (a report's own JSON, read back for comparison), with the same rules
    /// and messages as a file.
    package init(bytes: [UInt8], displayName: String, maxTokenBytes: Int = JSONTokenizer.defaultMaxTokenBytes) {
        self.displayName = displayName
        self.chunkSize = max(bytes.count, 1)
        self.maxTokenBytes = maxTokenBytes
        fd = -1
        buffer = InputFileProblem.bufferHolding(bytes, capacity: max(bytes.count, 1))
        end = bytes.count
        bytesRead = bytes.count
        atEOF = true
        checkedBOM = true
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        scratch.reserveCapacity(256)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// A diagnostic at `place` (default: the last token's start).
    package func error(_ message: String, at place: JSONPosition? = nil) -> Diagnostic {
        let p = place ?? position
        return Diagnostic(file: displayName, line: p.line, column: p.column, message: message)
    }

    // MARK: - Bytes

    /// The next byte without consuming it; nil at the end of the file.
    @inline(__always)
    private func peek() throws(Diagnostic) -> UInt8? {
        if pos == end {
            if atEOF { return nil }
            let filled = try refill()
            if !filled { return nil }
        }
        return buffer[pos]
    }

    /// Consumes one byte (which `peek` returned), keeping line and column.
    @inline(__always)
    private func advance(_ byte: UInt8) {
        pos &+= 1
        if byte == 0x0A {
            line &+= 1
            column = 1
        } else {
            column &+= 1
        }
    }

    private func refill() throws(Diagnostic) -> Bool {
        let n = try InputFileProblem.readChunk(fd, into: buffer, count: chunkSize, displayName: displayName)
        if n == 0 {
            atEOF = true
            return false
        }
        bytesRead += n
        pos = 0
        end = n
        if !checkedBOM {
            checkedBOM = true
            if n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { pos = 3 }
        }
        return true
    }

    private var here: JSONPosition { JSONPosition(line: line, column: column) }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    @inline(__always)
    private func skipWhitespace() throws(Diagnostic) {
        while let b = try peek(), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { advance(b) }
    }

    // MARK: - Tokens

    /// The next token; nil once the single top-level value is complete and only whitespace follows.
    package func next() throws(Diagnostic) -> JSONToken? {
        while true {
            try skipWhitespace()
            let start = here
            guard let c = try peek() else { return try endOfFile() }
            position = start
            switch expect {
            case .done:
                throw error("unexpected \(Self.describe(c)) after the end of the JSON value (a file holds one JSON value)")
            case .commaOrClose:
                let inObject = stack.last == .object
                if c == UInt8(ascii: ",") {
                    advance(c)
                    expect = inObject ? .key : .value
                    continue
                }
                if c == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    advance(c)
                    return closeContainer()
                }
                throw error(inObject ? "expected \",\" or \"}\" after an object member, found \(Self.describe(c))"
                                     : "expected \",\" or \"]\" after an array element, found \(Self.describe(c))")
            case .keyOrClose, .key:
                if c == UInt8(ascii: "}") && expect == .keyOrClose {
                    advance(c)
                    return closeContainer()
                }
                guard c == UInt8(ascii: "\"") else {
                    throw error(expect == .key && c == UInt8(ascii: "}")
                        ? "expected a member name after \",\" (JSON allows no trailing comma)"
                        : "expected a member name in double quotes, found \(Self.describe(c))")
                }
                let name = try readString()
                try skipWhitespace()
                guard let colon = try peek() else { return try endOfFile() }
                guard colon == UInt8(ascii: ":") else {
                    throw error("expected \":\" after the member name, found \(Self.describe(colon))", at: here)
                }
                advance(colon)
                expect = .value
                return .key(name)
            case .start, .value, .valueOrClose:
                if c == UInt8(ascii: "]") && expect == .valueOrClose {
                    advance(c)
                    return closeContainer()
                }
                return try value(c)
            }
        }
    }

    /// The token that starts a value at `c`.
    private func value(_ c: UInt8) throws(Diagnostic) -> JSONToken {
        switch c {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard stack.count < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
            advance(c)
            let isObject = c == UInt8(ascii: "{")
            stack.append(isObject ? .object : .array)
            expect = isObject ? .keyOrClose : .valueOrClose
            return isObject ? .beginObject : .beginArray
        case UInt8(ascii: "\""):
            let text = try readString()
            valueDone()
            return .string(text)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try readNumber()
            valueDone()
            return .number(text)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let token = try readLiteral()
            valueDone()
            return token
        case UInt8(ascii: "]"):
            throw error(expect == .value && stack.last == .array
                ? "expected a value after \",\" (JSON allows no trailing comma)" : "unexpected \"]\" (expected a JSON value)")
        default:
            throw error("unexpected \(Self.describe(c)) (expected a JSON value)")
        }
    }

    private func valueDone() { expect = stack.isEmpty ? .done : .commaOrClose }

    private func closeContainer() -> JSONToken {
        let closed = stack.removeLast()
        valueDone()
        return closed == .object ? .endObject : .endArray
    }

    private func endOfFile() throws(Diagnostic) -> JSONToken? {
        switch expect {
        case .done: return nil
        case .start:
            throw Diagnostic(file: displayName, line: nil, column: nil,
                             message: bytesRead == 0 ? "file is empty" : "file holds no JSON value")
        default:
            let inside = stack.last == .object ? "an object" : "an array"
            throw error("unexpected end of file inside \(inside) (the JSON is truncated)", at: here)
        }
    }

    /// Checks that nothing but whitespace follows the top-level value.
    package func finish() throws(Diagnostic) {
        if let token = try next() { throw error("unexpected \(token.kind) after the end of the JSON value") }
    }

    /// Reads a string starting at its opening quote.
    private func readString() throws(Diagnostic) -> String {
        let start = here
        advance(UInt8(ascii: "\""))
        scratch.removeAll(keepingCapacity: true)
        var count = 0
        // UTF-8 is checked as the bytes go by, also when the string is skipped (a member nobody reads is still part of
        // the file, and a file with invalid UTF-8 anywhere is refused): how many continuation bytes the sequence
        // being read still needs, the range the next one must be in, and where the sequence started.
        var needed = 0
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        var lead: (byte: UInt8, column: Int) = (0, 0)
        func invalid() -> Diagnostic {
            error("invalid UTF-8 (byte 0x\(Self.hex(UInt32(lead.byte), 2)))", at: JSONPosition(line: line, column: lead.column))
        }
        while true {
            // Copy a run of plain bytes straight from the buffer.
            if pos < end {
                var i = pos
                while i < end {
                    let b = buffer[i]
                    if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                    if b >= 0x80 || needed > 0 {
                        if needed > 0 {
                            guard b >= low, b <= high else { throw invalid() }
                            needed -= 1
                            low = 0x80
                            high = 0xBF
                        } else {
                            lead = (b, column &+ (i &- pos))
                            switch b {
                            case 0xC2...0xDF: needed = 1
                            case 0xE0: needed = 2; low = 0xA0
                            case 0xE1...0xEC, 0xEE...0xEF: needed = 2
                            case 0xED: needed = 2; high = 0x9F
                            case 0xF0: needed = 3; low = 0x90
                            case 0xF1...0xF3: needed = 3
                            case 0xF4: needed = 3; high = 0x8F
                            default: throw invalid()
                            }
                        }
                    }
                    i &+= 1
                }
                if i > pos {
                    let run = i - pos
                    count += run
                    if count > maxTokenBytes { throw error("string longer than \(maxTokenBytes) bytes", at: start) }
                    if !skipping { scratch.append(contentsOf: UnsafeBufferPointer(start: buffer + pos, count: run)) }
                    column &+= run
                    pos = i
                    continue
                }
            }
            guard let b = try peek() else {
                throw error("unexpected end of file inside a string (the JSON is truncated)", at: here)
            }
            // A quote, backslash or control character where a UTF-8 sequence still needs continuation bytes.
            if needed > 0, b < 0x80 { throw invalid() }
            if b == UInt8(ascii: "\"") {
                advance(b)
                break
            }
            if b < 0x20 {
                throw error(b == 0x0A ? "line break inside a string (write it as \\n)"
                                      : "control character U+\(Self.hex(UInt32(b), 4)) inside a string (escape it)", at: here)
            }
            // A plain byte just read into an empty buffer: back to the fast path.
            if b != UInt8(ascii: "\\") { continue }
            // A backslash escape.
            let escapeStart = here
            advance(b)
            guard let e = try peek() else {
                throw error("unexpected end of file inside a string (the JSON is truncated)", at: here)
            }
            advance(e)
            var decoded: UInt32
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = UInt32(e)
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                decoded = try hex4(escapeStart)
                if (0xD800...0xDBFF).contains(decoded) {
                    guard try peek() == UInt8(ascii: "\\") else { throw error("lone surrogate \\u\(Self.hex(decoded, 4)) in a string", at: escapeStart) }
                    advance(UInt8(ascii: "\\"))
                    guard try peek() == UInt8(ascii: "u") else { throw error("lone surrogate \\u\(Self.hex(decoded, 4)) in a string", at: escapeStart) }
                    advance(UInt8(ascii: "u"))
                    let low = try hex4(escapeStart)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("lone surrogate \\u\(Self.hex(decoded, 4)) in a string", at: escapeStart)
                    }
                    decoded = 0x10000 + ((decoded - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(decoded) {
                    throw error("lone surrogate \\u\(Self.hex(decoded, 4)) in a string", at: escapeStart)
                }
            default:
                throw error("invalid escape \\\(Self.printable(e)) in a string", at: escapeStart)
            }
            let scalar = Unicode.Scalar(decoded)!
            let encoded = Array(String(Character(scalar)).utf8)
            count += encoded.count
            if count > maxTokenBytes { throw error("string longer than \(maxTokenBytes) bytes", at: start) }
            if !skipping { scratch.append(contentsOf: encoded) }
        }
        if skipping {
            return ""
        }
        // Checked above, byte by byte; escapes decode to valid scalars.
        return String(decoding: scratch, as: UTF8.self)
    }

    private func hex4(_ escapeStart: JSONPosition) throws(Diagnostic) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let h = try peek() else {
                throw error("unexpected end of file inside a string (the JSON is truncated)", at: here)
            }
            let digit: UInt8
            switch h {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = h - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = h - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = h - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape (expected four hexadecimal digits)", at: escapeStart)
            }
            advance(h)
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Reads a number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private func readNumber() throws(Diagnostic) -> String {
        let start = here
        scratch.removeAll(keepingCapacity: true)
        // A number that ends inside the buffer (nearly all) is taken in one step; one that reaches the buffer's end
        // may go on in the next chunk, and is read byte by byte below.
        var i = pos
        while i < end, Self.isNumberByte(buffer[i]) { i &+= 1 }
        if i < end {
            let run = i &- pos
            guard run <= 64 else { throw error("number longer than 64 characters", at: start) }
            scratch.append(contentsOf: UnsafeBufferPointer(start: buffer + pos, count: run))
            column &+= run
            pos = i
        }
        while let b = try peek(), Self.isNumberByte(b) {
            guard scratch.count < 64 else { throw error("number longer than 64 characters", at: start) }
            scratch.append(b)
            advance(b)
        }
        let text = String(decoding: scratch, as: UTF8.self)
        guard Self.isJSONNumber(scratch) else { throw error("not a JSON number: \"\(text)\"", at: start) }
        return text
    }

    /// A byte a JSON number may hold: digits, sign, point, exponent.
    @inline(__always)
    static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    package static func isJSONNumber(_ b: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let s = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - s
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits() == 0 {
            return false
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    private func readLiteral() throws(Diagnostic) -> JSONToken {
        let start = here
        scratch.removeAll(keepingCapacity: true)
        while let b = try peek(), (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) {
            guard scratch.count < 16 else { break }
            scratch.append(b)
            advance(b)
        }
        switch String(decoding: scratch, as: UTF8.self) {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case let word: throw error("unexpected \"\(word)\" (expected a JSON value)", at: start)
        }
    }

    // MARK: - Walking values

    /// The next token where a value must follow (never nil: the end of the file inside a value is an error).
    package func nextValue() throws(Diagnostic) -> JSONToken {
        guard let token = try next() else { throw error("unexpected end of the JSON value") }
        return token
    }

    /// Skips the rest of a value whose first token was `token` (nothing more for a scalar).
    package func skipValue(startingWith token: JSONToken) throws(Diagnostic) {
        guard token == .beginObject || token == .beginArray else { return }
        skipping = true
        defer { skipping = false }
        var depth = 1
        while depth > 0 {
            switch try nextValue() {
            case .beginObject, .beginArray: depth += 1
            case .endObject, .endArray: depth -= 1
            default: break
            }
        }
    }

    /// Skips the next value.
    package func skipValue() throws(Diagnostic) {
        skipping = true
        let token: JSONToken
        do { token = try nextValue() } catch {
            skipping = false
            throw error
        }
        skipping = false
        try skipValue(startingWith: token)
    }

    /// After `beginObject`: calls `body` with each member's name; `body` must consume the member's value.
    package func members(_ body: (String) throws -> Void) throws {
        while true {
            switch try nextValue() {
            case .key(let name): try body(name)
            case .endObject: return
            case let other: throw error("unexpected \(other.kind) in an object")
            }
        }
    }

    /// After `beginArray`: calls `body` with each element's first token; `body` must consume the rest.
    package func elements(_ body: (JSONToken) throws -> Void) throws {
        while true {
            let token = try nextValue()
            if token == .endArray { return }
            try body(token)
        }
    }

    /// The next value, which must be a string (or, when `allowNull`, null → nil).
    package func string(for what: String, allowNull: Bool = false) throws(Diagnostic) -> String? {
        let token = try nextValue()
        switch token {
        case .string(let s): return s
        case .null where allowNull: return nil
        default:
            throw error("\(what) must be a string, not \(token.kind)")
        }
    }

    // MARK: - Message helpers

    package static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        return "byte 0x\(hex(UInt32(byte), 2))"
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "\\u{\(hex(UInt32(byte), 2))}"
    }

    package static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
