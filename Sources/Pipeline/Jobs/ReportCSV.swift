/// A report CSV (`uptime.csv`, `credits.csv`, …) read back for comparison: header, rows, and each row's line.
///
/// These are small files slareport wrote itself (RFC 4180, `\n` line ends), read whole; imports never use this.
package struct ReportCSV: Equatable {
    package var header: [String]
    package var rows: [[String]]

    /// Parses `bytes`; nil when they are not a CSV with a header row (not UTF-8, an unclosed quote).
    package init?(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                afterQuote = false
            default: field.unicodeScalars.append(c)
            }
        }
        if quoted { return nil }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
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
package struct ReportCSVDiff {
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
    package init?(old: ReportCSV, new: ReportCSV, keyColumns: [String]) {
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
