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

/// Appends a `JSONValue` to a byte buffer, the same bytes `JSONValue.text` has always had.
private struct JSONWriter {
    var out: [UInt8] = []

    mutating func write(_ value: JSONValue, depth: Int) {
        switch value {
        case let .object(pairs):
            if pairs.isEmpty { append("{}"); return }
            append("{\n")
            for (i, (key, value)) in pairs.enumerated() {
                indent(depth + 1)
                quote(key)
                append(": ")
                write(value, depth: depth + 1)
                append(i + 1 < pairs.count ? ",\n" : "\n")
            }
            indent(depth)
            append("}")
        case let .array(items):
            if items.isEmpty { append("[]"); return }
            append("[\n")
            for (i, value) in items.enumerated() {
                indent(depth + 1)
                write(value, depth: depth + 1)
                append(i + 1 < items.count ? ",\n" : "\n")
            }
            indent(depth)
            append("]")
        case let .string(s): quote(s)
        case let .number(n): append(n)
        case let .bool(b): append(b ? "true" : "false")
        case .null: append("null")
        }
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
