import Calc
import Foundation
import Testing
@testable import Render

/// The executive summary's sentences read right with one, many and none (issue 12 §5): no "1 leases", no
/// "0 more objectives were at risk", no "7 services were measured" when none had data.
struct MarkdownSummaryTests {
    static func summaryLines(_ report: ComplianceReport) throws -> [String] {
        let template = try String(contentsOf: MarkdownRowSectionsTests.shippedTemplate, encoding: .utf8)
        let text = String(decoding: try MarkdownReport.render(report, template: template, tool: XLSXFixture.tool).contents, as: UTF8.self)
        let summary = text.components(separatedBy: "## Executive summary\n\n")[1].components(separatedBy: "\n\n")[0]
        return summary.split(separator: "\n").map(String.init)
    }

    /// XLSXFixture: api and web have data, idle none; 4 credit lines on 3 leases, 312.86 USD.
    @Test func theFixtureReadsAsCounts() throws {
        let report = try XLSXFixture.report()
        let lines = try Self.summaryLines(report)
        let breaches = report.violations.filter { $0.status == .breached }
        #expect(lines.contains("- **Service credits due: 312.86 USD** on 3 leases."))
        #expect(lines.contains { $0.hasPrefix("- **2 of 3 services had monitoring data**. Across them, uptime was **") })
        #expect(lines.contains { $0.hasPrefix("- **\(breaches.count) SLA breaches** across ") })
    }

    @Test func oneOfEachIsSingular() throws {
        var report = try XLSXFixture.report()
        report.services.removeAll { $0.id == "idle" }
        report.violations = Array(report.violations.filter { $0.status == .breached }.prefix(1))
        report.credits = report.credits.filter { $0.lease == "L-1" }   // (totalCredits is left as it was: only words are tested)
        report.estate.incidents = 1
        let lines = try Self.summaryLines(report)
        #expect(lines.contains("- **1 SLA breach** across 1 lease; no other objective was at risk."))
        #expect(lines.contains("- **Service credits due: 312.86 USD** on 1 lease."))
        #expect(lines.contains { $0.hasPrefix("- **2 services were measured**. Across them") })
        #expect(lines.contains { $0.hasPrefix("- **1 outage** took **") })
    }

    @Test func noneIsSaidInWords() throws {
        var report = try XLSXFixture.report()
        for i in report.services.indices { report.services[i].stats = UptimeStats(window: report.period.interval) }
        report.estate.uptimePercent = nil
        report.estate.incidents = 0
        report.violations = []
        report.credits = []
        let lines = try Self.summaryLines(report)
        #expect(lines.contains("- **No SLA breach**; no objective was at risk."))
        #expect(lines.contains("- **No service credits are due**."))
        #expect(lines.contains("- **No service had monitoring data** in this period, so there is no uptime to report."))
        #expect(lines.contains("- **No outage** was recorded in this period."))
        #expect(!lines.contains { $0.contains("no data of eligible time") || $0.contains("0 more") })
    }
}

/// §10.8: instants for people on the config's wall clock with the zone's abbreviation, beside UTC.
struct LocalTimeTests {
    static let berlin: Zone = {
        let bytes = FileManager.default.contents(atPath: "/usr/share/zoneinfo/Europe/Berlin")!
        return try! Zone(identifier: "Europe/Berlin", tzif: [UInt8](bytes))
    }()

    @Test func theSameWallClockTwiceIsToldApartByItsAbbreviation() {
        // 2026-10-25T00:40:00Z = 1 792 888 800 000 ms; Berlin leaves summer time at 01:00Z that day.
        let t: Millis = 1_792_888_800_000
        #expect(Format.timestamp(t) == "2026-10-25T00:40:00Z")
        #expect(Format.localTime(t, Self.berlin) == "2026-10-25 02:40 CEST")
        #expect(Format.localTime(t + Duration.hour, Self.berlin) == "2026-10-25 02:40 CET")
        // Seconds and milliseconds only when the instant has them.
        #expect(Format.localTime(t + 45_990, Self.berlin) == "2026-10-25 02:40:45.990 CEST")
        #expect(Format.localTime(t + 45_000, Self.berlin) == "2026-10-25 02:40:45 CEST")
        #expect(Format.localTime(t, .utc) == "2026-10-25 00:40 UTC")
        // Before 1970 the day still floors: 1969-12-31 23:00 UTC.
        #expect(Format.localTime(-Duration.hour, .utc) == "1969-12-31 23:00 UTC")
    }
}
