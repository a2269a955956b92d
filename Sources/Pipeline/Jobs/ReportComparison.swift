import Ingest
import Storage
import Foundation
import Render

/// Says where two versions of a report file first differ: the row of a CSV, the key path of a JSON document,
/// the line of a text file, or only the digests of a binary one.
package enum ReportComparison {
    package static func firstDifference(name: String, recorded: [UInt8], recomputed: [UInt8]) -> String {
        if name.hasSuffix(".json"), let a = JSONReader.parse(recorded), let b = JSONReader.parse(recomputed),
           let (path, x, y) = firstDifference(a, b, path: "") {
            return "\(name): differs at \(path.isEmpty ? "the top level" : path):\n  recorded:   \(x)\n  recomputed: \(y)"
        }
        if name.hasSuffix(".csv"), let a = ReportCSV(recorded), let b = ReportCSV(recomputed), a.header == b.header,
           let difference = firstDifference(name: name, a, b) {
            return difference
        }
        guard let a = String(validating: recorded, as: UTF8.self), let b = String(validating: recomputed, as: UTF8.self) else {
            return "\(name): bytes differ (SHA-256 \(SHA256.hex(of: Data(recorded))) recorded, \(SHA256.hex(of: Data(recomputed))) recomputed)"
        }
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<end of file>"
            let y = i < lb.count ? String(lb[i]) : "<end of file>"
            if x != y {
                let what = name.hasSuffix(".csv") ? (i == 0 ? "the header" : "row \(i) (line \(i + 1))") : "line \(i + 1)"
                return "\(name): differs at \(what):\n  recorded:   \(clip(x))\n  recomputed: \(clip(y))"
            }
        }
        return "\(name): differs (line ends or trailing bytes)"
    }

    /// The first differing row of two CSVs with the same header, with every differing column.
    package static func firstDifference(name: String, _ a: ReportCSV, _ b: ReportCSV) -> String? {
        let keyColumns = (Restatement.keys[name] ?? [a.header.first ?? ""]).compactMap { a.column($0) }
        for i in 0..<max(a.rows.count, b.rows.count) {
            let x = i < a.rows.count ? a.rows[i] : nil, y = i < b.rows.count ? b.rows[i] : nil
            if x == y { continue }
            let label = ((x ?? y)!).enumerated().filter { keyColumns.contains($0.offset) }.map(\.element).joined(separator: ", ")
            var out = "\(name): differs at row \(i + 1) (\(label)):"
            guard let x, let y else {
                let row = (x ?? y)!.joined(separator: ",")
                return out + "\n  recorded:   \(x == nil ? "<no such row>" : clip(row))\n  recomputed: \(y == nil ? "<no such row>" : clip(row))"
            }
            for (column, heading) in a.header.enumerated() {
                let p = column < x.count ? x[column] : "", q = column < y.count ? y[column] : ""
                if p != q { out += "\n  \(heading): recorded \(clip(p)), recomputed \(clip(q))" }
            }
            return out
        }
        return nil
    }

    /// The first key path (in document order) where two JSON values differ, with both values.
    package static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String) -> (String, String, String)? {
        switch (a, b) {
        case let (.object(x), .object(y)):
            for (i, (key, value)) in x.enumerated() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard i < y.count, y[i].0 == key else {
                    if let other = y.first(where: { $0.0 == key }) {
                        if let d = firstDifference(value, other.1, path: child) { return d }
                        continue
                    }
                    return (child, brief(value), "<no such key>")
                }
                if let d = firstDifference(value, y[i].1, path: child) { return d }
            }
            if let extra = y.first(where: { key in !x.contains(where: { $0.0 == key.0 }) }) {
                let child = path.isEmpty ? extra.0 : "\(path).\(extra.0)"
                return (child, "<no such key>", brief(extra.1))
            }
            return nil
        case let (.array(x), .array(y)):
            for i in 0..<max(x.count, y.count) {
                guard i < x.count, i < y.count else {
                    return ("\(path)[\(i)]", i < x.count ? brief(x[i]) : "<no element>", i < y.count ? brief(y[i]) : "<no element>")
                }
                if let d = firstDifference(x[i], y[i], path: "\(path)[\(i)]") { return d }
            }
            return nil
        default:
            return a == b ? nil : (path, brief(a), brief(b))
        }
    }

    private static func brief(_ v: JSONValue) -> String {
        clip(v.text.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: " "))
    }

    private static func clip(_ s: String) -> String { s.count > 240 ? String(s.prefix(240)) + "…" : s }
}

/// Reads JSON into `JSONValue`, keeping the order of object keys and numbers as their text.
package enum JSONReader {
    package static func parse(_ bytes: [UInt8]) -> JSONValue? {
        var parser = Parser(bytes: bytes)
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.i == bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String, _ value: JSONValue) -> JSONValue? {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return nil }
            i += w.count
            return value
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < 256 else { return nil }
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(String, JSONValue)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    guard let v = value(depth: depth + 1) else { return nil }
                    pairs.append((key, v))
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                    return nil
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    guard let v = value(depth: depth + 1) else { return nil }
                    items.append(v)
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default:
                let start = i
                while i < bytes.count, (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9"))
                    || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]) {
                    i += 1
                }
                guard i > start else { return nil }
                return .number(String(decoding: bytes[start..<i], as: UTF8.self))
            }
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case UInt8(ascii: "\""): return String(validating: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard i < bytes.count else { return nil }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                           bytes[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { return nil }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: return nil
                    }
                default: out.append(b)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
            i += 4
            return v
        }
    }
}
