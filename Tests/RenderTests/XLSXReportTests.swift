import Calc
import Foundation
import Testing
@testable import Render

@Suite("XLSXReport")
struct XLSXReportTests {
    typealias F = XLSXFixture

    func render(_ report: ComplianceReport) throws -> RenderedFile {
        let dir = try F.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try XLSXReport.render(report, tool: F.tool, scratchDirectory: dir.path)
        // The scratch file is gone again.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [])
        return file
    }

    @Test func sameReportGivesTheSameBytesWhateverTheTimeZone() throws {
        let report = try F.report()
        let first = try render(report)
        #expect(first.name == "report.xlsx")
        #expect(first.contents.starts(with: Array("PK".utf8)))
        #expect(try render(report) == first)
        // Under another TZ: restored at once, since tests share the process (nothing may depend on it anyway, §7).
        let saved = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", "Asia/Tokyo", 1)
        tzset()
        let tokyo = Result { try render(report) }
        if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
        tzset()
        #expect(try tokyo.get() == first)
    }

    /// libxlsxwriter prints cell numbers with `%.16G`, which follows `LC_NUMERIC`: under a comma locale 99.5
    /// would be stored as `99,5` unless the writer pins the C locale. The locale is set for this thread only
    /// (`uselocale`), so tests running beside this one are not affected.
    @Test(.enabled(if: XLSXFixture.commaLocale != nil, "needs the de_DE.UTF-8 locale (localedef -i de_DE -f UTF-8 de_DE.UTF-8)"))
    func numbersDoNotFollowTheLocale() throws {
        let report = try F.report()
        let plain = try render(report)
        let german = try #require(XLSXFixture.commaLocale)
        let previous = uselocale(german)
        let underGerman = Result { try render(report) }
        uselocale(previous)
        #expect(try underGerman.get() == plain)
    }

    @Test func workbookShowsTheReport() throws {
        let report = try F.report()
        let file = try render(report)
        // `XLSX_KEEP=/some/dir swift test --filter XLSX` keeps the workbook, to look at it in a spreadsheet.
        if let keep = ProcessInfo.processInfo.environment["XLSX_KEEP"] {
            try Data(file.contents).write(to: URL(fileURLWithPath: keep).appendingPathComponent(file.name))
        }
        let seen = try F.check(file.contents)
        #expect(seen["sheets"] as? [String] == ["Summary", "Uptime", "Violations", "Incidents", "Credits", "Escrow", "Budgets"])
        // The document date is the report's generated_at; libxlsxwriter stamps every zip entry 1980-01-01.
        #expect(seen["created"] as? String == "2026-11-02T06:00:00Z")
        #expect(seen["zip_times"] as? [String] == ["1980-01-01T00:00:00"])
        #expect(seen["charts"] as? Int == 1)

        let tables = try #require(seen["tables"] as? [String: [String: Any]])
        let credits = try #require(tables["Credits"])
        // Every credit line, as the report has it (the exact values of §6, shown with the cell's format).
        let expected = report.credits.map { line in
            [line.lease, line.customer, line.provider, line.service, line.tier, line.month,
             Timestamp.format(line.segment.start), Timestamp.format(line.segment.end), line.currency.code,
             line.monthlyFeeAmount.description, line.proratedFeeAmount.description, Format.percent(line.achieved), "%",
             Format.percent(line.creditPercent), line.creditAmount.description, line.creditStatus.rawValue]
        }
        #expect(credits["rows"] as? [[String]] == expected)
        // And by hand (see XLSXFixture): the customer `=1+2` is text, the tier change gives two L-2 lines.
        #expect(credits["rows"] as? [[String]] == [
            ["L-1", "=1+2", "prov-a", "api", "gold", "2026-10", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "USD",
             "1500.05 USD", "1500.05 USD", "99.5000", "%", "10.0000", "150.00 USD", "ok"],
            ["L-2", "cust-2", "prov-b", "web", "silver", "2026-10", "2026-10-01T00:00:00Z", "2026-10-16T00:00:00Z", "USD",
             "744.00 USD", "360.00 USD", "99.0000", "%", "10.0000", "36.00 USD", "ok"],
            ["L-2", "cust-2", "prov-b", "web", "gold", "2026-10", "2026-10-16T00:00:00Z", "2026-11-01T00:00:00Z", "USD",
             "744.00 USD", "384.00 USD", "98.5000", "%", "25.0000", "96.00 USD", "ok"],
            ["L-3", "cust-2", "prov-b", "web", "gold", "2026-10", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "USD",
             "123.45 USD", "123.45 USD", "98.7419", "%", "25.0000", "30.86 USD", "ok"],
        ])
        // The totals row: a live SUM whose stored value is Σ of the rounded lines.
        #expect(report.totalCredits.description == "312.86 USD")
        let totals = try #require(credits["totals"] as? [String])
        #expect(totals.first == "Total")
        #expect(totals[14] == "312.86 USD")   // under Credit amount (column O)
        #expect(credits["formulas"] as? [String: String] == ["O6": "=SUM(O2:O5)"])

        let escrow = try #require(tables["Escrow"])
        #expect(escrow["rows"] as? [[String]] == [
            ["prov-a", "USD", "100.00 USD", "150.00 USD", "-50.00 USD", "50.00 USD"],
            ["prov-b", "USD", "5000.00 USD", "162.86 USD", "4837.14 USD", "0.00 USD"],
        ])
        #expect(escrow["totals"] as? [String] == ["Total", "USD", "5100.00 USD", "312.86 USD", "4787.14 USD", "50.00 USD"])

        // Uptime: sorted by service id; `idle` has no data, so its uptime and coverage are blank.
        let uptime = try #require(tables["Uptime"]?["rows"] as? [[String]])
        #expect(uptime.map { $0[0] } == ["api", "idle", "web"])
        #expect(uptime.map { $0[11] } == ["99.5000", "", "98.7419"])
        #expect(uptime[0][2] == "2026-10-01T00:00:00Z")
        #expect(uptime[0][10] == "13392000")
        #expect(uptime[1][12] == "0.0000")   // no samples: nothing of the month is known
        let uptimeTotals = try #require(tables["Uptime"]?["totals"] as? [String])
        #expect(uptimeTotals[10] == "47088000")   // 13 392 000 + 33 696 000 ms down
        #expect(uptimeTotals[11] == Format.percent(report.estate.uptimePercent))

        let incidents = try #require(tables["Incidents"]?["rows"] as? [[String]])
        #expect(incidents == [
            // The fixture's zone is UTC: the local columns (text) read the same wall clock, named UTC.
            ["api", "down", "2026-10-10 00:00 UTC", "2026-10-10 03:43:12 UTC", "2026-10-10T00:00:00Z", "2026-10-10T03:43:12Z", "13392000"],
            ["web", "down", "2026-10-05 00:00 UTC", "2026-10-05 03:36 UTC", "2026-10-05T00:00:00Z", "2026-10-05T03:36:00Z", "12960000"],
            ["web", "down", "2026-10-20 00:00 UTC", "2026-10-20 05:45:36 UTC", "2026-10-20T00:00:00Z", "2026-10-20T05:45:36Z", "20736000"],
        ])

        let violations = try #require(tables["Violations"]?["rows"] as? [[String]])
        #expect(violations.count == report.violations.count)
        #expect(violations.first == ["L-1", "=1+2", "prov-a", "api", "uptime", "uptime", "2026-10-01 00:00 UTC",
                                     "2026-11-01 00:00 UTC", "2026-10-01T00:00:00Z",
                                     "2026-11-01T00:00:00Z", "99.9000", "99.5000", "%", "breached", "critical"])

        // Summary: headline figures, and the formula-like service name as plain text in the service table.
        let summary = try #require(seen["summary"] as? [String: String])
        #expect(summary["Period"] == "2026-10")
        #expect(summary["First day"] == "2026-10-01")
        #expect(summary["Generated at (UTC)"] == "2026-11-02T06:00:00Z")
        #expect(summary["Services"] == "3")
        #expect(summary["Outages"] == "3")
        #expect(summary["Total downtime (ms)"] == "47088000")
        #expect(summary["Total credits"] == "312.86 USD")
        #expect(summary["Escrow shortfall"] == "50.00 USD")
        #expect(summary["Estate uptime %"] == Format.percent(report.estate.uptimePercent))
        let cells = try #require(seen["summary_cells"] as? [[String]])
        #expect(cells.contains { $0.starts(with: ["api", F.formulaName, "Acme", "99.5000"]) })
    }

    @Test func emptyEstateStillGivesEverySheet() throws {
        // No services, leases or providers: headers only, zero totals without a formula, no chart.
        let estate = Estate(timezone: .utc, currency: Currency(code: "EUR"), moneyRounding: .halfEven, fiscalYearStartMonth: 1,
                            statusPolicy: StatusPolicy(), maintenance: [], tiers: [:], providers: [], customers: [],
                            services: [], leases: [])
        let report = try F.report(estate: estate, period: F.october, generatedAt: F.utc(2026, 11, 1), status: [:])
        let seen = try F.check(render(report).contents)
        let tables = try #require(seen["tables"] as? [String: [String: Any]])
        #expect(tables.values.allSatisfy { ($0["rows"] as? [[String]])?.isEmpty == true })
        #expect((tables["Credits"]?["totals"] as? [String])?[14] == "0.00 EUR")
        #expect((tables["Credits"]?["formulas"] as? [String: String])?.isEmpty == true)
        #expect(seen["charts"] as? Int == 0)
        #expect((seen["summary"] as? [String: String])?["Estate uptime %"] == nil)   // no data: a blank cell
    }

    @Test func moneyTakesTheCurrencysMinorUnitDigits() throws {
        // JPY has no minor unit: 1500 × 10 % = 150, and the format shows no decimals.
        let report = try F.report(currency: "JPY", fees: ["1500", "744", "124"])
        let seen = try F.check(render(report).contents)
        let credits = try #require((seen["tables"] as? [String: [String: Any]])?["Credits"])
        let rows = try #require(credits["rows"] as? [[String]])
        #expect(rows.map { $0[14] } == report.credits.map(\.creditAmount.description))
        #expect(rows[0][14] == "150 JPY")
        #expect((credits["totals"] as? [String])?[14] == report.totalCredits.description)
        #expect(XLSXCell.moneyFormat(Currency(code: "JPY")) == "#,##0 \"JPY\"")
        #expect(XLSXCell.moneyFormat(Currency(code: "EUR")) == "#,##0.00 \"EUR\"")
        #expect(XLSXCell.moneyFormat(Currency(code: "KWD")) == "#,##0.000 \"KWD\"")
        // A code that is not letters cannot break out of the quoted part of the format.
        #expect(XLSXCell.moneyFormat(Currency(code: "U\"S;D")) == "#,##0.00 \"USD\"")
    }

    @Test func cellValuesComeFromTheExactFigures() {
        // Excel day 25 569 is 1970-01-01; 2026-10-01 is day 46 296, and noon is half a day.
        #expect(XLSXCell.instant(0).number == 25_569)
        #expect(XLSXCell.instant(F.utc(2026, 10, 1, 12)).number == 46_296.5)
        #expect(XLSXCell.day(CivilDate(year: 2026, month: 10, day: 1)).number == 46_296)
        // 4 decimals half-even first, then the number: 99.99995 → 100.0000, 2/3 → 66.6667.
        #expect(XLSXCell.percent(F.decimal("99.99995")).number == 100)
        #expect(XLSXCell.percent(Ratio(200, 3)).number == 66.6667)
        #expect(XLSXCell.percent(nil).number == nil)
        #expect(XLSXCell.money(Money(minorUnits: -890, currency: Currency(code: "USD"))).number == -8.9)
        #expect(XLSXCell.grouped("-1234567.89") == "-1,234,567.89")
        #expect(XLSXCell.grouped("999") == "999")
        #expect(XLSXSheet.columnName(0) == "A")
        #expect(XLSXSheet.columnName(25) == "Z")
        #expect(XLSXSheet.columnName(26) == "AA")
        #expect(XLSXSheet.columnRange(13, rows: 1...4) == "N2:N5")
    }

    @Test func libxlsxwriterErrorsAreThrownWithTheirMessage() throws {
        var report = try F.report()
        report.services[0].name = String(repeating: "x", count: 40_000)   // Excel's limit is 32 767 characters
        let dir = try F.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: XLSXError.self) {
            try XLSXReport.render(report, tool: F.tool, scratchDirectory: dir.path)
        }
        #expect(error?.description.contains("32,767") == true, "\(String(describing: error))")
        #expect(error?.description.contains("Summary!B") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [])
        #expect(throws: XLSXError.self) {
            try XLSXReport.render(F.report(), tool: F.tool, scratchDirectory: dir.path + "/missing")
        }
    }
}
