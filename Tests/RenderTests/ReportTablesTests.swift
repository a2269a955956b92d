import Calc
import Testing
@testable import Render

/// Each table is declared once: the CSV header, the sheet's header row and the keys all come from it.
@Suite struct ReportTablesTests {
    @Test func csvHeadersAreTheDeclaredNames() {
        #expect(ReportTables.credits.description.csvHeader == [
            "lease", "customer", "provider", "service", "tier", "month", "segment_start", "segment_end", "currency",
            "monthly_fee", "prorated_fee", "achieved_pct", "achieved", "achieved_unit", "credit_pct", "credit_amount",
            "credit_status",
        ])
        #expect(ReportTables.violations.description.csvHeader == [
            "lease", "customer", "provider", "service", "objective", "metric", "window_start", "window_end", "target",
            "actual", "unit", "status",
        ])
        #expect(ReportTables.incidents.description.csvHeader == ["service", "state", "start", "end", "duration_ms"])
        // The sheet shows three columns the CSV does not (the window in local time, Severity), in the same order
        // otherwise.
        #expect(ReportTables.violations.sheetColumns.compactMap(\.title).count
                == ReportTables.violations.csvColumns.count + 3)
        #expect(ReportTables.budgets.sheetColumns.compactMap(\.title)[4] == "Unit")
    }

    @Test func keysPairRowsOfTwoVersions() {
        let keys = Dictionary(uniqueKeysWithValues: ReportTables.all.map { ($0.fileName, $0.keyColumns) })
        #expect(keys == [
            "uptime.csv": ["service"], "credits.csv": ["lease", "month", "segment_start"], "escrow.csv": ["provider"],
            "budgets.csv": ["service", "objective"], "violations.csv": [], "incidents.csv": [],
        ])
    }

    /// The XLSX fixture's CSV header row is the declaration, and so is its sheet's header row.
    @Test func writtenFilesFollowTheDeclaration() throws {
        let report = try XLSXFixture.report()
        for file in [ReportTables.uptime.csvFile(report), ReportTables.credits.csvFile(report),
                     ReportTables.escrow.csvFile(report), ReportTables.budgets.csvFile(report)] {
            let header = String(decoding: file.contents, as: UTF8.self).split(separator: "\n").first.map(String.init)
            let declared = ReportTables.all.first { $0.fileName == file.name }!.csvHeader
            #expect(header == declared.joined(separator: ","), "\(file.name)")
        }
        #expect(XLSXReport.sheetTable(ReportTables.credits, report).headers
                == ReportTables.credits.columns.compactMap(\.title))
    }

    /// A latency credit policy's achieved value is milliseconds, not a percentage (issue 12 §5: `achieved_pct` once
    /// read 150.0000 for 150 ms): `achieved_pct` is empty, `achieved` is 150.000 with `achieved_unit` ms.
    @Test func aLatencyPolicyKeepsItsUnit() throws {
        var report = try XLSXFixture.report()
        var line = report.credits[0]
        line.policies = [PolicyCredit(objective: "p99", metric: .latencyP99, achieved: Ratio(150), creditPercent: .zero, coverage: .hundred)]
        line.achieved = Ratio(150)
        report.credits = [line]
        let csv = String(decoding: ReportTables.credits.csvFile(report).contents, as: UTF8.self)
        let header = csv.split(separator: "\n")[0].split(separator: ",", omittingEmptySubsequences: false)
        let row = csv.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        let cell = { (name: String) in String(row[header.firstIndex { $0 == name }!]) }
        #expect(cell("achieved_pct") == "" && cell("achieved") == "150.000" && cell("achieved_unit") == "ms")
        let markdown = MarkdownReport.lists(report, DisplayText(report)).first { $0.name == "credits" }!
        #expect(markdown.dictionaries[0]["achieved"] as? String == "150.000 ms")
        let json = ReportJSON.credit(line).text
        #expect(json.contains(#""achieved_pct": null"#) && json.contains(#""achieved": 150.000"#)
                && json.contains(#""achieved_unit": "ms""#) && json.contains(#""metric": "latency_p99""#))
    }
}
