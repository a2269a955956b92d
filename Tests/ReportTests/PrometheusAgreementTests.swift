import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// slareport's daily error ratio and latency quantiles (Calc's `ServiceMetrics`, SPEC §5.2) against a real
/// Prometheus — Debian's `prometheus` package — on the same fixture series.
///
/// `scripts/prometheus/agree.py` installs Prometheus when it is missing, backfills October's OpenMetrics files
/// of `api`, `web` and `legacy` (`fixtures/exports/metrics/*-2026-10.om`) with `promtool tsdb create-blocks-from
/// openmetrics`, and asks the server the PromQL questions below over its HTTP API; the test starts and stops the
/// server itself (by its PID), reads the same files with the project's `OpenMetricsReader`, and compares.
/// Without Prometheus (not root, offline) the test is skipped with the reason, never failed.
@Suite("Prometheus agreement", .serialized)
struct PrometheusAgreementTests {
    static let helper = TestSupport.packageRoot.appendingPathComponent("scripts/prometheus/agree.py")
    static let metricsDirectory = TestSupport.fixtures.appendingPathComponent("exports/metrics")
    static let files = ["api-2026-10.om", "web-2026-10.om", "legacy-2026-10.om"]
    /// The fixtures' sample interval (`METRIC_STEP` in fixtures/generate.py); checked against the series below.
    static let step: Millis = Duration.hour

    /// The local (Europe/Berlin) days compared, with what makes each one worth comparing; fixtures/README.md
    /// ("Metric scenarios") derives their values by hand.
    static let days: [(service: String, day: CivilDate, scenario: String)] = [
        ("api", CivilDate(year: 2026, month: 10, day: 10), "process restart at 02:30Z: every api counter resets"),
        ("api", CivilDate(year: 2026, month: 10, day: 14), "an ordinary day"),
        ("api", CivilDate(year: 2026, month: 10, day: 20), "3 140 errors of 140 339 requests: 2.24 %, over gold's 0.1 %"),
        ("web", CivilDate(year: 2026, month: 10, day: 12), "an ordinary day"),
        ("web", CivilDate(year: 2026, month: 10, day: 27), "p99 in the +Inf bucket: the highest finite bound, 1 s"),
        ("legacy", CivilDate(year: 2026, month: 10, day: 15), "an ordinary day"),
        ("legacy", CivilDate(year: 2026, month: 10, day: 21), "slow morning: p99 447 ms, above 200 ms, below 1 s"),
    ]

    @Test("daily increases, error ratios and p50/p99 equal Prometheus's", .timeLimit(.minutes(1)))
    func dailyValuesAgree() throws {
        let started = Date()
        let work = try TestSupport.temporaryDirectory("prometheus-agreement")
        defer { try? FileManager.default.removeItem(at: work) }

        // 1. Prometheus: installed if missing, the files backfilled, the arguments to start it with.
        let paths = Self.files.map { Self.metricsDirectory.appendingPathComponent($0).path }
        let prepared = try Self.helper(["prepare", "--dir", work.path] + paths)
        try #require(prepared.status == 0, "agree.py prepare failed:\n\(prepared.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(prepared.stdout.utf8)) as? [String: Any])
        if let reason = plan["skip"] as? String {
            return try TestSupport.unavailable("Prometheus is not available: \(reason)")
        }
        let version = try #require(plan["version"] as? String)
        // Prometheus 3 selects the left-open range (T − 1d, T]: the sample at the range start drops out and
        // `increase` extrapolates, so no evaluation time reproduces an exact [a, b) increase (see below).
        if let major = Int(version.prefix { $0.isNumber }), major >= 3 {
            return try TestSupport.unavailable("Prometheus \(version): ranges are left-open from 3.0 on; this comparison needs 2.x's closed ranges")
        }

        // 2. The same series, read by the project's reader; the selectors come from fixtures/sla.yaml.
        let series = try Self.readSeries(paths)
        let config = try Config.load(path: TestSupport.fixtures.appendingPathComponent("sla.yaml").path)
        var metrics: [String: ServiceMetrics] = [:]
        var selectorText: [String: [ServiceMetrics.Role: String]] = [:]
        for service in Set(Self.days.map(\.service)) {
            let definition = try #require(config.estate.services.first { $0.id == service })
            var texts: [ServiceMetrics.Role: String] = [:]
            var selectors: [ServiceMetrics.Role: SeriesSelector] = [:]
            for role in ServiceMetrics.Role.allCases {
                let selector = try #require(definition.metrics[role], "sla.yaml: \(service) has no metrics.\(role.rawValue)")
                texts[role] = selector.description   // PromQL text: the selector written back, quoted as PromQL quotes
                selectors[role] = selector
            }
            selectorText[service] = texts
            metrics[service] = ServiceMetrics(selectors: selectors, from: series)
            #expect(metrics[service]!.requests.count == 3 && metrics[service]!.errors.count == 2
                        && metrics[service]!.latency.count == 9, "\(service): 3 request counters, 2 of them 5xx, 9 buckets")
        }

        // 3. The questions, one day at a time.
        //
        // Our increase over the day [a, b) adds up the pairs of consecutive samples whose later sample lies in
        // [a, b): with a sample every hour, the samples a − 1h, a, …, b − 1h. Prometheus 2.x evaluates
        // `increase(x[1d])` at T over the samples in the closed range [T − 1d, T]; at T = b − 1h (the window's
        // end minus one step) that is [a − 1h, b − 1h]: the same samples, the first exactly on the range's
        // start and the last exactly on its end. Prometheus takes last − first and adds back the previous value
        // at every drop, which is pair by pair our v_{i+1} − v_i, or v_{i+1} after a reset. Its extrapolation
        // multiplies by (sampled interval + time to start + time to end) / sampled interval, and both gaps are 0,
        // so the factor is exactly 1: no extrapolation. Whole counts below 2^53 are exact in float64, so
        // Prometheus's increases are the exact integers ours are, and the ratio and the quantile differ from
        // our exact values only by float64 rounding.
        let zone = config.estate.timezone
        var queries: [[String: Any]] = []
        var expected: [(id: String, service: String, day: CivilDate, kind: String, ours: Ratio?)] = []
        for (service, day, _) in Self.days {
            let window = Interval(start: zone.startOfDay(day), end: zone.startOfDay(day.adding(days: 1)))
            try #require(window.duration == Duration.day, "\(day) is not a 24-hour day")
            let at = window.end - Self.step
            let m = metrics[service]!, s = selectorText[service]!
            let requests = "sum(increase(\(s[.requests]!)[1d]))", errors = "sum(increase(\(s[.errors]!)[1d]))"
            let buckets = "sum by (le) (increase(\(s[.latency]!)[1d]))"
            let asked: [(String, String, Ratio?)] = [
                ("requests", requests, try Counters.increase(m.requests, over: window)),
                ("errors", errors, try Counters.increase(m.errors, over: window)),
                ("error ratio", "\(errors) / \(requests)", try m.errorRatePercent(over: window).map { try $0 / Ratio.hundred }),
                ("p50", "histogram_quantile(0.5, \(buckets))", try m.latencyMilliseconds(quantile: Ratio(1, 2), over: window).map { try $0 / Ratio(1000) }),
                ("p99", "histogram_quantile(0.99, \(buckets))", try m.latencyMilliseconds(quantile: Ratio(99, 100), over: window).map { try $0 / Ratio(1000) }),
            ]
            for (kind, expr, ours) in asked {
                let id = "\(service) \(day) \(kind)"
                queries.append(["id": id, "expr": expr, "time": at / 1000])
                expected.append((id, service, day, kind, ours))
            }
        }
        // The data answers once every backfilled series is there: 14 per file (3 counters, 9 buckets, _count, _sum).
        let check: [String: Any] = ["expr": "count({__name__=~\"http_.+\"})",
                                    "time": (zone.startOfDay(CivilDate(year: 2026, month: 10, day: 15))) / 1000,
                                    "value": String(14 * Self.files.count)]

        // 4. The server: started here, stopped by its PID whatever happens.
        let executable = try #require(plan["prometheus"] as? String)
        let arguments = try #require(plan["arguments"] as? [String])
        let port = try #require(plan["port"] as? Int)
        let logPath = try #require(plan["log"] as? String)
        try #require(FileManager.default.createFile(atPath: logPath, contents: nil), "cannot create \(logPath)")
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let server = Process()
        server.executableURL = URL(fileURLWithPath: executable)
        server.arguments = arguments
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = log
        server.standardError = log
        try server.run()
        let pid = server.processIdentifier
        defer {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while server.isRunning && Date() < deadline { usleep(50_000) }
            if server.isRunning { kill(pid, SIGKILL) }
            server.waitUntilExit()
            try? log.close()
        }

        let request = try JSONSerialization.data(withJSONObject: ["check": check, "queries": queries])
        let answered = try Self.helper(["query", "--port", String(port), "--pid", String(pid), "--log", logPath], input: request)
        try #require(answered.status == 0, "agree.py query failed:\n\(answered.stderr)")
        let results = try #require((try JSONSerialization.jsonObject(with: Data(answered.stdout.utf8)) as? [String: Any])?["results"]
            as? [String: Any])

        // 5. Compare: the counts exactly, the ratio and the quantiles to 9 significant digits (Prometheus prints
        // the float64 nearest its result; ours is exact) or exactly where Prometheus's text is our exact value.
        var report: [String] = []
        for (id, service, day, kind, ours) in expected {
            let text = results[id] as? String
            let theirs = text.flatMap { Self.decimal($0) }
            report.append("\(id): prometheus \(text ?? "—"), ours \(ours.map(Self.plain) ?? "—")")
            guard let ours, let theirs else {
                Issue.record("\(id): no value (prometheus \(text ?? "empty"), ours \(ours.map(Self.plain) ?? "none"))")
                continue
            }
            if kind == "requests" || kind == "errors" || ours == theirs {
                #expect(ours == theirs, "\(id): prometheus \(text!), ours \(Self.plain(ours))")
            } else {
                #expect(Self.significant(ours) == Self.significant(theirs),
                        "\(id): prometheus \(text!), ours \(Self.plain(ours)) (\(service) \(day))")
            }
        }
        print("Prometheus \(version) agreement (\(String(format: "%.1f", Date().timeIntervalSince(started))) s):\n  "
              + report.joined(separator: "\n  "))

        // The scenarios themselves, so that this test also pins what fixtures/README.md says of them.
        func value(_ id: String) -> Ratio? { expected.first { $0.id == id }?.ours }
        #expect(value("api 2026-10-20 error ratio")! > Ratio(1, 1000), "api 10-20 breaches gold's 0.1 %")
        #expect(value("web 2026-10-27 p99") == Ratio(1), "web 10-27: p99 in +Inf → the highest finite bound")
        let slow = value("legacy 2026-10-21 p99")!
        #expect(slow > Ratio(1, 5) && slow < Ratio(1), "legacy 10-21: 200 ms < p99 < 1 s")
        let reset = Interval(start: zone.startOfDay(CivilDate(year: 2026, month: 10, day: 10)),
                             end: zone.startOfDay(CivilDate(year: 2026, month: 10, day: 11)))
        #expect(metrics["api"]!.requests.allSatisfy { series in
            zip(series.samples, series.samples.dropFirst()).contains { reset.start <= $1.time && $1.time < reset.end && $1.value < $0.value }
        }, "api 10-10: every request counter drops (the restart)")
        for one in series {
            #expect(zip(one.samples, one.samples.dropFirst()).allSatisfy { $1.time - $0.time == Self.step },
                    "\(one.identity): one sample every \(Self.step / Duration.minute) min")
        }
    }

    // MARK: - Helpers

    /// Every series of `paths`, read by `OpenMetricsReader`.
    static func readSeries(_ paths: [String]) throws -> [MetricSeries] {
        var byIdentity: [String: MetricSeries] = [:]
        for path in paths {
            _ = try OpenMetricsReader(path: path, displayName: URL(fileURLWithPath: path).lastPathComponent).parse { rows in
                for row in rows {
                    byIdentity[row.series.identity, default: MetricSeries(name: row.name, labels: row.labels, samples: [])]
                        .samples.append(MetricSample(time: row.time, value: row.value))
                }
            }
        }
        return byIdentity.keys.sorted().map { byIdentity[$0]! }
    }

    /// Runs `python3 agree.py arguments…` with `input` on its standard input.
    static func helper(_ arguments: [String], input: Data = Data()) throws -> TestSupport.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", helper.path] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return TestSupport.Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                                  stderr: String(decoding: err, as: UTF8.self))
    }

    /// Prometheus's sample text (`140339`, `0.02237439343304427`: Go's shortest 'f' formatting) read exactly.
    static func decimal(_ text: String) -> Ratio? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, parts.count <= 2,
              text.utf8.count <= 36, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        var numerator: Int128 = 0, denominator: Int128 = 1
        for c in whole.utf8 { numerator = numerator * 10 + Int128(c - 48) }
        if parts.count == 2 {
            for c in parts[1].utf8 { numerator = numerator * 10 + Int128(c - 48); denominator *= 10 }
        }
        return Ratio(numerator, denominator)
    }

    /// `x` (≥ 0) rounded half-even to 9 significant digits, as digits × 10^exponent: 3140/140339 =
    /// 0.0223743934… → (223743934, −10).
    static func significant(_ x: Ratio) -> (digits: Int128, exponent: Int) {
        guard x.numerator > 0 else { return (0, 0) }
        var n = x.numerator, d = x.denominator, exponent = 0
        while n < 100_000_000 * d { n *= 10; exponent -= 1 }
        while n >= 1_000_000_000 * d { d *= 10; exponent += 1 }
        let digits = Rounding.halfEven.divide(n, by: d)
        return digits == 1_000_000_000 ? (100_000_000, exponent + 1) : (digits, exponent)
    }

    /// A value for the report line: exact integers as they are, anything else to 18 decimals.
    static func plain(_ x: Ratio) -> String { x.denominator == 1 ? "\(x.numerator)" : x.formatted(places: 18) }
}
