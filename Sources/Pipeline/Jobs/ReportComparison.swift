import Ingest
import Storage
import Foundation
import Render

/// Says where two versions of a report file first differ: the row of a CSV, the key path of a JSON document,
/// the line of a text file, or only the digests of a binary one.
package enum ReportComparison {
    package static func firstDifference(name: String, recorded: [UInt8], recomputed: [UInt8]) -> String {
        if name.hasSuffix(".json"), let a = jsonValue(recorded), let b = jsonValue(recomputed),
           let (path, x, y) = firstDifference(a, b, path: "") {
            return "\(name): differs at \(path.isEmpty ? "the top level" : path):\n  recorded:   \(x)\n  recomputed: \(y)"
        }
        if name.hasSuffix(".csv"), let a = CSVRows(recorded), let b = CSVRows(recomputed), a.header == b.header,
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
    package static func firstDifference(name: String, _ a: CSVRows, _ b: CSVRows) -> String? {
        let declared = ReportTables.all.first { $0.fileName == name }?.keyColumns ?? []
        let keyColumns = (declared.isEmpty ? [a.header.first ?? ""] : declared).compactMap { a.column($0) }
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

    /// A report's JSON as a `JSONValue` (keys in document order, numbers as their text), read by the same
    /// tokenizer as the imports; nil when it is not one JSON value.
    package static func jsonValue(_ bytes: [UInt8]) -> JSONValue? {
        let json = JSONTokenizer(bytes: bytes, displayName: "")
        func value(_ token: JSONToken) throws(Diagnostic) -> JSONValue {
            switch token {
            case .beginObject:
                var members: [(String, JSONValue)] = []
                while true {
                    switch try json.nextValue() {
                    case let .key(key): members.append((key, try value(try json.nextValue())))
                    default: return .object(members)   // endObject: the tokenizer checks the structure
                    }
                }
            case .beginArray:
                var elements: [JSONValue] = []
                while true {
                    let next = try json.nextValue()
                    if next == .endArray { return .array(elements) }
                    elements.append(try value(next))
                }
            case let .string(text): return .string(text)
            case let .number(text): return .number(text)
            case let .bool(flag): return .bool(flag)
            case .null: return .null
            case .key, .endObject, .endArray: throw json.error("unexpected \(token.kind)")
            }
        }
        do {
            let document = try value(try json.nextValue())
            return try json.next() == nil ? document : nil
        } catch {
            return nil
        }
    }

    private static func brief(_ v: JSONValue) -> String {
        clip(v.text.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: " "))
    }

    private static func clip(_ s: String) -> String { s.count > 240 ? String(s.prefix(240)) + "…" : s }
}

/// A report CSV (`uptime.csv`, `credits.csv`, …) read back for comparison: header and rows as text, read by the
/// same reader as the imports (`CSVReader`). nil when the bytes are not a CSV with a header row.
package struct CSVRows: Equatable {
    package var header: [String]
    package var rows: [[String]]

    package init?(_ bytes: [UInt8]) {
        let reader = CSVReader(bytes: bytes, displayName: "")
        var records: [[String]] = []
        do {
            while let record = try reader.next() {
                records.append((0..<record.count).map { record.string($0) })
            }
        } catch {
            return nil
        }
        guard let first = records.first else { return nil }
        header = first
        rows = Array(records.dropFirst())
    }

    package func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The row as `column → value`.
    package func values(_ row: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for (i, name) in header.enumerated() where i < row.count { out[name] = row[i] }
        return out
    }
}

/// Comparison of two versions of one report CSV, row by row.
package struct CSVRowsDiff {
    /// A figure that changed in a row found in both versions.
    package struct Change: Equatable {
        package var key: [String]
        package var column: String
        package var old: String
        package var new: String
    }

    package var changes: [Change] = []
    package var added: [[String]] = []
    package var removed: [[String]] = []

    package var isEmpty: Bool { changes.isEmpty && added.isEmpty && removed.isEmpty }

    /// Rows match by `keyColumns` (every column when empty: then a changed row is one removed and one added).
    /// Nil when the headers differ (the file's layout changed; figures cannot be paired).
    package init?(old: CSVRows, new: CSVRows, keyColumns: [String]) {
        guard old.header == new.header else { return nil }
        let keyIndexes = keyColumns.isEmpty ? Array(old.header.indices) : keyColumns.compactMap { old.column($0) }
        guard keyColumns.isEmpty || keyIndexes.count == keyColumns.count else { return nil }
        func key(_ row: [String]) -> [String] { keyIndexes.map { $0 < row.count ? row[$0] : "" } }
        var oldByKey: [[String]: [String]] = [:]
        for row in old.rows { oldByKey[key(row)] = row }
        var newKeys = Set<[String]>()
        for row in new.rows {
            let k = key(row)
            newKeys.insert(k)
            guard let before = oldByKey[k] else {
                added.append(row)
                continue
            }
            for (i, name) in new.header.enumerated() where !keyIndexes.contains(i) {
                let a = i < before.count ? before[i] : "", b = i < row.count ? row[i] : ""
                if a != b { changes.append(Change(key: k, column: name, old: a, new: b)) }
            }
        }
        removed = old.rows.filter { !newKeys.contains(key($0)) }
    }
}
