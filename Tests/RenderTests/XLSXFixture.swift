import Calc
import Render
import Foundation
import Testing

/// A tiny estate for the XLSX tests, computed through `ComplianceReportBuilder` so the report is a real one.
///
/// October 2026 in UTC: 31 days = 744 h = 2 678 400 000 ms. Every sample holds until the next one
/// (the sample gap is longer than the month), so "down for d ms" is exactly d ms of down time.
/// - `api` (prov-a), named like a formula, down 13 392 000 ms (0.5 %) on Oct 10 → 99.5000 %.
///   Lease L-1, gold, 1500.05 a month, customer `=1+2`: 99.5 is below 99.9, not below 98.9 → 10 %
///     → 150.005 → 150.00 (half-even).
/// - `web` (prov-b), down 12 960 000 ms on Oct 5 and 20 736 000 ms on Oct 20 → 33 696 000 ms down.
///   Lease L-2, 744.00 a month, silver until Oct 16 then gold:
///     [Oct 1, Oct 16) = 360 h → 360.00, 1 % down → 99.0 → silver 10 % → 36.00;
///     [Oct 16, Nov 1) = 384 h → 384.00, 1.5 % down → 98.5 → gold 25 % → 96.00.
///   Lease L-3, gold, 123.45 a month: 100 · (2 678 400 000 − 33 696 000) / 2 678 400 000 = 98.741935…
///     → below 98.9 → 25 % → 30.8625 → 30.86.
/// - `idle` (prov-b) has no samples: nothing eligible, no uptime (a blank cell).
/// Total credits: 150.00 + 36.00 + 96.00 + 30.86 = 312.86 USD, the sum of the rounded lines; rounding the
/// exact sum instead (150.005 + 36 + 96 + 30.8625 = 312.8675) would give 312.87.
/// Escrow: prov-a 100.00 − 150.00 = −50.00, shortfall 50.00; prov-b 5000.00 − 162.86 = 4837.14.
enum XLSXFixture {
    static let hour: Millis = 3_600_000
    static let day: Millis = 86_400_000
    static let formulaName = "=HYPERLINK(\"http://x\",\"y\")"

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int64 = 0) -> Millis {
        Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch) * XLSXFixture.day + hour * XLSXFixture.hour
    }

    static func decimal(_ text: String) -> Ratio { DecimalText.parse(Substring(text))! }

    static let october = PeriodSpec.month(year: 2026, month: 10).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)

    /// Up from well before the month, down for each `(start, duration)`, up again after.
    static func series(outages: [(Millis, Millis)]) -> [StatusSeries] {
        var samples = [StatusSample(time: utc(2026, 9, 1), status: .up)]
        for (start, duration) in outages {
            samples.append(StatusSample(time: start, status: .down))
            samples.append(StatusSample(time: start + duration, status: .up))
        }
        return [StatusSeries(region: "eu", samples: samples)]
    }

    static func report(currency: String = "USD", fees: [String] = ["1500.05", "744.00", "123.45"]) throws -> ComplianceReport {
        var policy = StatusPolicy()
        policy.maxSampleGap = 100 * day
        let from = utc(2026, 1, 1)
        let estate = Estate(
            timezone: .utc, currency: Currency(code: currency), moneyRounding: .halfEven, fiscalYearStartMonth: 1,
            statusPolicy: policy, maintenance: [], tiers: Tier.builtIn,
            providers: [Provider(id: "prov-a", name: "Acme", escrowBalance: decimal(currency == "JPY" ? "100" : "100.00")),
                        Provider(id: "prov-b", name: "Bolt", escrowBalance: decimal("5000"))],
            customers: [Customer(id: "=1+2", name: "Formula Inc"), Customer(id: "cust-2", name: "Globex")],
            services: [Service(id: "api", name: formulaName, provider: "prov-a", statusSeries: "api", metrics: [:]),
                       Service(id: "web", name: "Web shop", provider: "prov-b", statusSeries: "web", metrics: [:]),
                       Service(id: "idle", name: "Idle", provider: "prov-b", statusSeries: "idle", metrics: [:])],
            leases: [
                Lease(id: "L-1", customer: "=1+2", service: "api", monthlyFee: decimal(fees[0]),
                      active: Interval(start: from, end: .max), tiers: [TierSpan(tier: "gold", from: from)]),
                Lease(id: "L-2", customer: "cust-2", service: "web", monthlyFee: decimal(fees[1]),
                      active: Interval(start: from, end: .max),
                      tiers: [TierSpan(tier: "silver", from: from), TierSpan(tier: "gold", from: utc(2026, 10, 16))]),
                Lease(id: "L-3", customer: "cust-2", service: "web", monthlyFee: decimal(fees[2]),
                      active: Interval(start: from, end: .max), tiers: [TierSpan(tier: "gold", from: from)]),
            ])
        let status = [
            "api": series(outages: [(utc(2026, 10, 10), 13_392_000)]),
            "web": series(outages: [(utc(2026, 10, 5), 12_960_000), (utc(2026, 10, 20), 20_736_000)]),
        ]
        return try report(estate: estate, period: october, generatedAt: utc(2026, 11, 2, 6), status: status)
    }

    /// The report of `estate` from each service's status series, built service by service as the product does.
    static func report(estate: Estate, period: Period, generatedAt: Millis,
                       status: [String: [StatusSeries]]) throws -> ComplianceReport {
        var builder = ComplianceReportBuilder(estate: estate, period: period, generatedAt: generatedAt)
        for id in builder.serviceIDs {
            let timeline = ComplianceCalculator.timeline(of: id, estate: estate, period: period, series: status[id] ?? [])
            try builder.add(service: id, timeline: timeline, metrics: nil)
        }
        return try builder.report()
    }

    static let tool = ToolInfo(name: "slareport", version: "0.0-test")

    /// A locale whose decimal separator is a comma, when the machine has one.
    nonisolated(unsafe) static let commaLocale: locale_t? = newlocale(Int32(1) << LC_NUMERIC, "de_DE.UTF-8", nil)

    /// A fresh directory for libxlsxwriter's file and a checker's copy.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: The Python checker

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Installs openpyxl for the checker when it is missing (PyPI; a Debian Python refuses a plain install).
    static func ensureOpenpyxl() throws {
        if try run("python3", ["-c", "import openpyxl"]).status == 0 { return }
        if try run("python3", ["-m", "pip", "install", "--quiet", "openpyxl"]).status == 0 { return }
        let retry = try run("python3", ["-m", "pip", "install", "--quiet", "--user", "--break-system-packages", "openpyxl"])
        #expect(retry.status == 0, "cannot install openpyxl: \(retry.stderr)")
    }

    /// Runs `scripts/xlsx_check.py` on `bytes` and returns its JSON; a failed assertion there fails here.
    static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try ensureOpenpyxl()
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.xlsx")
        try Data(bytes).write(to: file)
        let script = packageRoot.appendingPathComponent("scripts/xlsx_check.py").path
        let result = try run("python3", [script, file.path])
        try #require(result.status == 0, "xlsx_check.py failed:\n\(result.stderr)", sourceLocation: sourceLocation)
        let json = try JSONSerialization.jsonObject(with: result.stdout)
        return try #require(json as? [String: Any], sourceLocation: sourceLocation)
    }
}
