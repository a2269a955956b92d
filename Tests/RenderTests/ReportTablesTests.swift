import Testing
@testable import Render

/// Each table is declared once: the CSV header, the sheet's header row and the keys all come from it.
@Suite struct ReportTablesTests {
    @Test func csvHeadersAreTheDeclaredNames() {
        #expect(ReportTables.credits.description.csvHeader == [
            "lease", "customer", "provider", "service", "tier", "month", "segment_start", "segment_end", "currency",
            "monthly_fee", "prorated_fee", "achieved_pct", "credit_pct", "credit_amount", "credit_status",
        ])
        #expect(ReportTables.incidents.description.csvHeader == ["service", "state", "start", "end", "duration_ms"])
        // The sheet shows one column the CSV does not (Severity), in the same order otherwise.
        #expect(ReportTables.violations.sheetColumns.compactMap(\.title).count
                == ReportTables.violations.csvColumns.count + 1)
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
}
