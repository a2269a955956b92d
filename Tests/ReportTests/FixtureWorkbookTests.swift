import Foundation
import Testing

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

        for (sheet, csv, moneyColumns) in [("Credits", "credits.csv", Set([9, 10, 13])), ("Escrow", "escrow.csv", Set([2, 3, 4, 5]))] {
            let rows = try #require(tables[sheet]?["rows"] as? [[String]])
            let lines = try String(contentsOf: dir.appendingPathComponent(csv), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.count == lines.count, "\(period) \(sheet): \(rows.count) rows, \(csv) has \(lines.count)")
            for (row, line) in zip(rows, lines) {
                let currency = sheet == "Credits" ? line[8] : line[1]
                let expected = line.enumerated().map { moneyColumns.contains($0.offset) ? "\($0.element) \(currency)" : $0.element }
                #expect(row == expected, "\(period) \(sheet)")
            }
        }
    }
}
