import Ingest
import Storage
import Calc
import Foundation
import Render

/// `RESTATEMENT.md`: what changed between a period's earlier report and the version that restates it, figure
/// by figure (old → new), so that finance can correct the invoices made from the earlier one.
///
/// It depends only on the two directories' files, so `verify` can regenerate it and compare.
package enum Restatement {
    /// Each report CSV's key columns (`ReportTables`): rows pair up by them; a table without keys compares as
    /// a set of rows.
    package static let keys: [String: [String]] = Dictionary(
        ReportTables.all.map { ($0.fileName, $0.keyColumns) }, uniquingKeysWith: { a, _ in a })

    package struct Version {
        /// The directory's name (`2026-10`, `2026-10.r2`).
        package var name: String
        package var files: [String: [UInt8]]
    }

    package static func notice(period: String, previous: Version, current: Version) -> RenderedFile {
        var out = Markdown()
        out.line("# Restatement of the \(period) report")
        out.line()
        out.line("`\(current.name)` restates `\(previous.name)`, which is kept unchanged beside it. Every figure that differs "
            + "is listed below as old → new; correct invoices from the credit differences.")
        inputs(previous, current, &out)

        let ignored: Set<String> = [ReportDirectory.manifestName, ReportDirectory.restatementName]
        let oldNames = Set(previous.files.keys).subtracting(ignored), newNames = Set(current.files.keys).subtracting(ignored)
        var comparedCSV = false
        var uncomparable: [String] = []
        for (name, title) in ReportTables.all.map({ ($0.fileName, $0.sheetName) }) {
            guard let a = previous.files[name], let b = current.files[name] else { continue }
            guard let old = CSVRows(a), let new = CSVRows(b),
                  let diff = CSVRowsDiff(old: old, new: new, keyColumns: keys[name] ?? []) else {
                uncomparable.append(name)
                continue
            }
            comparedCSV = true
            section(title, file: name, diff: diff, header: new.header, &out)
            if name == "credits.csv" { creditDifferences(old, new, &out) }
        }

        out.line()
        out.line("## Files")
        out.line()
        let changed = oldNames.intersection(newNames).filter { previous.files[$0] != current.files[$0] }.sorted()
        let addedFiles = newNames.subtracting(oldNames).sorted(), removedFiles = oldNames.subtracting(newNames).sorted()
        if !comparedCSV {
            out.line("The two reports have no CSV files in common, so their figures are not compared here; compare the files below.")
            out.line()
        }
        for name in uncomparable {
            out.line("- `\(name)`: its columns changed, so its rows are not compared figure by figure.")
        }
        out.line("- Changed: \(list(changed))")
        if !addedFiles.isEmpty { out.line("- Only in `\(current.name)`: \(list(addedFiles))") }
        if !removedFiles.isEmpty { out.line("- Only in `\(previous.name)`: \(list(removedFiles))") }
        return RenderedFile(name: ReportDirectory.restatementName, text: out.text)
    }

    // MARK: - Sections

    private static func inputs(_ previous: Version, _ current: Version, _ out: inout Markdown) {
        // An unreadable manifest tells nothing: its figures show as "?".
        func manifest(_ version: Version) -> Manifest? {
            version.files[ReportDirectory.manifestName].flatMap { try? Manifest(decoding: $0) }
        }
        func inputs(_ manifest: Manifest?) -> [String: Manifest.Input] {
            Dictionary((manifest?.inputs ?? []).map { ($0.path, $0) }, uniquingKeysWith: { _, later in later })
        }
        let old = manifest(previous), new = manifest(current)
        let oldInputs = inputs(old), newInputs = inputs(new)
        out.line()
        out.line("## Why")
        out.line()
        var reasons: [String] = []
        if old?.config.sha256 != new?.config.sha256 {
            reasons.append("- The configuration changed (SHA-256 \(short(old?.config.sha256)) → \(short(new?.config.sha256))).")
        }
        if old?.tool.version != new?.tool.version {
            reasons.append("- The tool changed: slareport \(old?.tool.version ?? "?") → \(new?.tool.version ?? "?").")
        }
        for path in Set(oldInputs.keys).union(newInputs.keys).sorted() {
            switch (oldInputs[path], newInputs[path]) {
            case let (nil, b?): reasons.append("- Input added: `\(path)` (\(rows(b.rows))).")
            case let (a?, nil): reasons.append("- Input no longer imported: `\(path)` (\(rows(a.rows))).")
            case let (a?, b?) where (a.sha256, a.rows) != (b.sha256, b.rows):
                reasons.append("- Input changed: `\(path)` (\(a.rows) → \(b.rows) rows, SHA-256 \(short(a.sha256)) → \(short(b.sha256))).")
            default: break
            }
        }
        if reasons.isEmpty { reasons.append("- Same configuration, tool version and inputs.") }
        for reason in reasons { out.line(reason) }
    }

    private static func section(_ title: String, file: String, diff: CSVRowsDiff, header: [String], _ out: inout Markdown) {
        out.line()
        out.line("## \(title) (`\(file)`)")
        out.line()
        if diff.isEmpty {
            out.line("No change.")
            return
        }
        var printed = false
        if !diff.changes.isEmpty {
            let keyNames = keys[file] ?? []
            out.row(keyNames + ["figure", "old", "new"])
            out.row(keyNames.map { _ in "---" } + ["---", "---:", "---:"])
            for change in diff.changes {
                out.row(change.key + [change.column, change.old.isEmpty ? "—" : change.old, change.new.isEmpty ? "—" : change.new])
            }
            printed = true
        }
        for (label, rows) in [("Added", diff.added), ("Removed", diff.removed)] where !rows.isEmpty {
            if printed { out.line() }
            printed = true
            out.line("\(label) rows:")
            out.line()
            out.row(header)
            out.row(header.map { _ in "---" })
            for row in rows { out.row(row) }
        }
    }

    /// Credit per lease and month (segments added up), old → new, with the difference to invoice.
    private static func creditDifferences(_ old: CSVRows, _ new: CSVRows, _ out: inout Markdown) {
        typealias Key = CreditKey
        func totals(_ csv: CSVRows) -> [Key: Money]? {
            var sums: [Key: Money] = [:]
            for row in csv.rows {
                let v = csv.values(row)
                guard let lease = v["lease"], let month = v["month"], let code = v["currency"], let amount = v["credit_amount"],
                      let money = try? Money(parsing: Substring(amount), currency: Currency(code: code)) else { return nil }
                let key = Key(lease: lease, month: month, currency: code)
                guard let sum = try? (sums[key] ?? .zero(money.currency)) + money else { return nil }
                sums[key] = sum
            }
            return sums
        }
        guard let a = totals(old), let b = totals(new) else { return }
        do throws(ArithmeticOverflowError) {
            var table = out   // written whole or not at all
            try creditDifferenceTable(a, b, &table)
            out = table
        } catch {
            out.line()
            out.line("The credit differences are too large to add up exactly; compare the two credits.csv files line by line.")
        }
    }

    private static func creditDifferenceTable(_ a: [CreditKey: Money], _ b: [CreditKey: Money],
                                              _ out: inout Markdown) throws(ArithmeticOverflowError) {
        let differing = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
        guard !differing.isEmpty else { return }
        out.line()
        out.line("Credit per lease and month (all segments), and what to correct on the invoice:")
        out.line()
        out.row(["lease", "month", "currency", "old credit", "new credit", "difference"])
        out.row(["---", "---", "---", "---:", "---:", "---:"])
        var byCurrency: [String: (Money, Money)] = [:]
        for key in differing {
            let currency = Currency(code: key.currency)
            let before = a[key] ?? .zero(currency), after = b[key] ?? .zero(currency)
            out.row([key.lease, key.month, key.currency, before.formatted, after.formatted, signed(try after - before)])
        }
        for (key, money) in a { try byCurrency[key.currency, default: (.zero(money.currency), .zero(money.currency))].0 += money }
        for (key, money) in b { try byCurrency[key.currency, default: (.zero(money.currency), .zero(money.currency))].1 += money }
        out.line()
        for (code, pair) in byCurrency.sorted(by: { $0.key < $1.key }) {
            out.line("Total credits (\(code)): \(pair.0.formatted) → \(pair.1.formatted) (\(signed(try pair.1 - pair.0))).")
        }
    }

    // MARK: - Helpers

    private static func signed(_ m: Money) -> String { m.isNegative ? m.formatted : "+" + m.formatted }

    private static func rows(_ n: Int) -> String { n == 1 ? "1 row" : "\(n) rows" }

    private static func short(_ sha: String?) -> String { sha.map { String($0.prefix(12)) } ?? "?" }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "`\($0)`" }.joined(separator: ", ")
    }

    package struct Markdown {
        private(set) var text = ""
        package mutating func line(_ s: String = "") { text += s + "\n" }
        /// A table row; `|`, line breaks and backslashes in cells are escaped (`MarkdownText`).
        package mutating func row(_ cells: [String]) {
            line("| " + cells.map { MarkdownText.cell($0, markup: false) }.joined(separator: " | ") + " |")
        }
    }
}

/// A credit sum's key in a restatement: lease, month and currency.
private struct CreditKey: Hashable, Comparable {
    var lease: String, month: String, currency: String
    static func < (a: CreditKey, b: CreditKey) -> Bool { (a.lease, a.month, a.currency) < (b.lease, b.month, b.currency) }
}
