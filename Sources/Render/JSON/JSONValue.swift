import Calc

/// A JSON document with keys in the order given, written the same way every time.
///
/// Not `indirect`: objects and arrays already hold their members in array storage, and boxing every string and
/// number besides cost a heap allocation each (some 400 000 for a 10 000-lease `report.json`).
public enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number written exactly as this text (an integer or a fixed-point decimal).
    case number(String)
    case bool(Bool)
    case null

    public static func int<T: BinaryInteger>(_ v: T) -> JSONValue { .number(String(v)) }

    /// A fixed-point number, or null.
    public static func decimal(_ text: String?) -> JSONValue { text.flatMap { $0.isEmpty ? nil : JSONValue.number($0) } ?? .null }

    /// An exact ratio as `{"numerator": n, "denominator": d}`, or null.
    public static func exact(_ r: Ratio?) -> JSONValue {
        guard let r else { return .null }
        return .object([("numerator", .number(String(r.numerator))), ("denominator", .number(String(r.denominator)))])
    }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.bytes == b.bytes }

    /// Two-space indentation, `\n` line ends, a final newline.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `text` as UTF-8. The document is written straight into one byte buffer: `report.json` for 10 000 leases
    /// is 18 MB, and appending to a `String` piece by piece cost twice as long.
    public var bytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self, depth: 0)
        writer.out.append(UInt8(ascii: "\n"))
        return writer.out
    }
}

/// A JSON value whose long arrays are made one element at a time, as they are written: `report.json`'s credit
/// lines and violations, so that a 10 000-lease document never exists as `JSONValue`s all at once (that tree
/// was half the peak memory of a report). `value` gives the same document as a `JSONValue`.
enum JSONMember {
    case value(JSONValue)
    case object([(String, JSONMember)])
    case array(count: Int, element: (Int) -> JSONValue)

    /// The member as one `JSONValue`, made in full.
    var value: JSONValue {
        switch self {
        case let .value(value): value
        case let .object(members): .object(members.map { ($0.0, $0.1.value) })
        case let .array(count, element): .array((0..<count).map(element))
        }
    }

    /// `value.bytes`, written element by element.
    var bytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self, depth: 0)
        writer.out.append(UInt8(ascii: "\n"))
        return writer.out
    }
}

/// Appends a `JSONValue` to a byte buffer, the same bytes `JSONValue.text` has always had.
struct JSONWriter {
    var out: [UInt8] = []

    mutating func write(_ value: JSONValue, depth: Int) {
        switch value {
        case let .object(pairs):
            container("{", "}", count: pairs.count, depth: depth) { writer, i in
                writer.quote(pairs[i].0)
                writer.append(": ")
                writer.write(pairs[i].1, depth: depth + 1)
            }
        case let .array(items):
            container("[", "]", count: items.count, depth: depth) { writer, i in writer.write(items[i], depth: depth + 1) }
        case let .string(s): quote(s)
        case let .number(n): append(n)
        case let .bool(b): append(b ? "true" : "false")
        case .null: append("null")
        }
    }

    mutating func write(_ member: JSONMember, depth: Int) {
        switch member {
        case let .value(value): write(value, depth: depth)
        case let .object(members):
            container("{", "}", count: members.count, depth: depth) { writer, i in
                writer.quote(members[i].0)
                writer.append(": ")
                writer.write(members[i].1, depth: depth + 1)
            }
        case let .array(count, element):
            container("[", "]", count: count, depth: depth) { writer, i in writer.write(element(i), depth: depth + 1) }
        }
    }

    /// An object or array: `{}` when empty, else one element per line, indented one level deeper.
    mutating func container(_ open: String, _ close: String, count: Int, depth: Int,
                            element: (inout JSONWriter, Int) -> Void) {
        if count == 0 { append(open + close); return }
        append(open + "\n")
        for i in 0..<count {
            indent(depth + 1)
            element(&self, i)
            append(i + 1 < count ? ",\n" : "\n")
        }
        indent(depth)
        append(close)
    }

    mutating func append(_ text: String) { out.append(contentsOf: text.utf8) }

    /// Two spaces per level.
    mutating func indent(_ depth: Int) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// A JSON string: `"`, `\` and the control characters escaped, everything else (UTF-8 included) as is.
    mutating func quote(_ s: String) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        // Most strings (ids, timestamps) need no escaping: one scan, one copy.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: s.utf8)
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                append("\\u00")
                out.append(JSONWriter.hexDigits[Int(byte >> 4)])
                out.append(JSONWriter.hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
