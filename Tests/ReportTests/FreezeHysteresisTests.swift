import Foundation
import Testing
@testable import Pipeline

/// The deploy-freeze flag carries over from the previous period (§5.4), recomputed from the stored data.
struct FreezeHysteresisTests {
    // One gold lease (uptime 99.9 %) in UTC; a sample holds for up to 40 days, so each one lasts until the next.
    // October: 31 d = 2 678 400 000 ms eligible, budget 0.1 % = 2 678 400 ms; 40 min down = 2 400 000 ms
    //   → remaining (2 678 400 − 2 400 000) / 2 678 400 = 10.3943 % < 20 % → frozen.
    // November: 30 d = 2 592 000 000 ms, budget 2 592 000 ms; 25 min down = 1 500 000 ms
    //   → remaining 1 092 000 / 2 592 000 = 42.1296 %: between 20 and 50, so the flag stays what October said.
    static let october = """
        timestamp,service,status
        2026-10-01T00:00:00Z,api,up
        2026-10-10T00:00:00Z,api,down
        2026-10-10T00:40:00Z,api,up

        """
    static let november = """
        timestamp,service,status
        2026-11-01T00:00:00Z,api,up
        2026-11-10T00:00:00Z,api,down
        2026-11-10T00:25:00Z,api,up
        2026-11-30T00:00:00Z,api,up

        """

    static func novemberBudget(importing files: [String]) throws -> Substring {
        let (dir, config) = try CommandLineTests.estate()
        // The estate's own status_defaults say 5m; rewrite it to let samples hold until the next.
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "status_defaults: {max_sample_gap: 5m}", with: "status_defaults: {max_sample_gap: 40d}")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        var paths: [String] = []
        for (i, text) in files.enumerated() { paths.append(try CommandLineTests.write(text, "part\(i).csv", in: dir)) }
        let loaded = try Config.load(path: config)
        try InProcess.importExports(config: loaded, status: paths, metrics: [])
        let out = dir.appendingPathComponent("out")
        try InProcess.writeReport(config: loaded, period: "2026-11", to: out)
        let budgets = try String(contentsOf: out.appendingPathComponent("budgets.csv"), encoding: .utf8)
        return try #require(budgets.split(separator: "\n").first { $0.hasPrefix("api,uptime,") })
    }

    @Test func aFrozenServiceStaysFrozenUntilItsBudgetRecoversAboveHalf() throws {
        let row = try Self.novemberBudget(importing: [Self.october, Self.november])
        #expect(row.hasPrefix("api,uptime,uptime,99.9000,2592000,1500000,42.1296,warning,"))
        #expect(row.hasSuffix(",true"))
    }

    @Test func withoutAnEarlierPeriodTheSameBudgetIsNotFrozen() throws {
        let row = try Self.novemberBudget(importing: [Self.november])
        #expect(row.hasPrefix("api,uptime,uptime,99.9000,2592000,1500000,42.1296,warning,"))
        #expect(row.hasSuffix(",false"))
    }
}
