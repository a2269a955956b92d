import Foundation
import Testing
@testable import Render

/// The committed fixture workbooks read back by openpyxl (`scripts/xlsx_check.py`, which also asserts the
/// structure: sheets, frozen headers, filters, formats, no user formulas, totals): every Credits and Escrow
/// cell shows exactly what `credits.csv` and `escrow.csv` say, with the currency after money.
struct FixtureWorkbookTests {
    @Test(arguments: ["2026-10", "2026-Q4"])
    func creditAndEscrowSheetsEqualTheCSVFiles(period: String) throws {
        let dir = TestSupport.fixtures.appendingPathComponent("expected/\(period)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestSupport.packageRoot.appendingPathComponent("scripts/xlsx_check.py").path,
                             dir.appendingPathComponent("report.xlsx").path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "xlsx_check.py: \(errors)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tables = try #require(json["tables"] as? [String: [String: Any]])

        // Cells are paired through the table declaration: the CSV column `name` is the sheet column `title` (a column
        // one of them lacks, like the CSV's `achieved_pct`, is not compared).
        let credits = ReportTables.credits, escrow = ReportTables.escrow
        for (table, columns, moneyColumns) in [
            (credits.description, credits.columns.map { ($0.name, $0.title) }, Set(["monthly_fee", "prorated_fee", "credit_amount"])),
            (escrow.description, escrow.columns.map { ($0.name, $0.title) }, Set(["opening_balance", "credits", "closing_balance", "shortfall"])),
        ] {
            let sheet = table.sheetName
            let header = try #require(tables[sheet]?["header"] as? [String])
            let rows = try #require(tables[sheet]?["rows"] as? [[String]])
            let text = try String(contentsOf: dir.appendingPathComponent(table.fileName), encoding: .utf8)
            let csv = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.count == csv.count - 1, "\(period) \(sheet): \(rows.count) rows, \(table.fileName) has \(csv.count - 1)")
            let pairs = columns.compactMap { column -> (csv: Int, sheet: Int, money: Bool)? in
                guard let name = column.0, let title = column.1,
                      let c = csv[0].firstIndex(of: name), let s = header.firstIndex(of: title) else { return nil }
                return (c, s, moneyColumns.contains(name))
            }
            #expect(pairs.count == header.count, "\(sheet): every sheet column has its CSV column")
            for (row, line) in zip(rows, csv.dropFirst()) {
                let currency = line[csv[0].firstIndex(of: "currency")!]
                for pair in pairs {
                    #expect(row[pair.sheet] == (pair.money ? "\(line[pair.csv]) \(currency)" : line[pair.csv]), "\(period) \(sheet) \(header[pair.sheet])")
                }
            }
        }
    }
}
