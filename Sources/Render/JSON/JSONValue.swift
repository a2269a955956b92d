import Calc

/// A JSON document with keys in the order given, written the same way every time.
public indirect enum JSONValue: Equatable, Sendable {
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

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text == b.text }

    /// Two-space indentation, `\n` line ends, a final newline.
    public var text: String {
        var out = ""
        write(to: &out, indent: "")
        return out + "\n"
    }

    private func write(to out: inout String, indent: String) {
        switch self {
        case let .object(pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            let inner = indent + "  "
            for (i, (key, value)) in pairs.enumerated() {
                out += inner + JSONValue.quote(key) + ": "
                value.write(to: &out, indent: inner)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += indent + "}"
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            let inner = indent + "  "
            for (i, value) in items.enumerated() {
                out += inner
                value.write(to: &out, indent: inner)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case let .string(s): out += JSONValue.quote(s)
        case let .number(n): out += n
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func quote(_ s: String) -> String {
        // Most strings (ids, timestamps) need no escaping: one scan, one copy.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
