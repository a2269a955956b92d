import Foundation
import Testing
@testable import Pipeline

/// Regenerates the fixture estate's reports and compares them byte for byte with `fixtures/expected/`.
/// Re-record on purpose with `RECORD=1 swift test --filter GoldenReportTests` (it fails while recording).
@Suite(.serialized)
struct GoldenReportTests {
    static let periods = ["2026-10", "2026-Q4"]

    /// Imports every fixture export into a scratch estate and writes each period's report, in-process.
    static func generate() throws -> [String: URL] {
        let (root, configURL) = try TestSupport.estateCopy()
        let config = try Config.load(path: configURL.path)
        try InProcess.importExports(config: config, status: try TestSupport.statusExports(under: configURL),
                                    metrics: try TestSupport.exports(under: configURL, kind: "metrics"))
        var out: [String: URL] = [:]
        for period in periods {
            let dir = root.appendingPathComponent("out/\(period)")
            try InProcess.writeReport(config: config, period: period, to: dir)
            out[period] = dir
        }
        return out
    }

    /// The same through the binary, with another environment and the exports imported in reverse order.
    static func generateWithBinary(environment: [String: String], reverseImport: Bool) throws -> [String: URL] {
        let (root, config) = try TestSupport.estateCopy()
        var files = try TestSupport.statusExports(under: config)
        if reverseImport { files.reverse() }
        let imported = try TestSupport.run(["import", "status"] + files + ["--config", config.path], environment: environment)
        #expect(imported.status == 0, "import failed: \(imported.stderr)")
        var metricFiles = try TestSupport.exports(under: config, kind: "metrics")
        if reverseImport { metricFiles.reverse() }
        let metrics = try TestSupport.run(["import", "metrics"] + metricFiles + ["--config", config.path], environment: environment)
        #expect(metrics.status == 0, "import metrics failed: \(metrics.stderr)")
        var out: [String: URL] = [:]
        for period in periods {
            let dir = root.appendingPathComponent("out/\(period)")
            let result = try TestSupport.run(["report", "--config", config.path, "--period", period, "--out", dir.path],
                                             environment: environment)
            #expect(result.status == 0, "report \(period) failed: \(result.stderr)")
            out[period] = dir
        }
        return out
    }

    @Test func reportsMatchGoldenFiles() throws {
        let generated = try Self.generate()
        let record = ProcessInfo.processInfo.environment["RECORD"] == "1"
        for period in Self.periods {
            let expectedDir = TestSupport.fixtures.appendingPathComponent("expected/\(period)")
            let actual = try TestSupport.contents(of: generated[period]!)
            if record {
                try? FileManager.default.removeItem(at: expectedDir)
                try FileManager.default.createDirectory(at: expectedDir, withIntermediateDirectories: true)
                for (name, data) in actual { try data.write(to: expectedDir.appendingPathComponent(name)) }
                Issue.record("re-recorded \(expectedDir.path); run again without RECORD=1")
                continue
            }
            let expected = try TestSupport.contents(of: expectedDir)
            #expect(Set(actual.keys) == Set(expected.keys), "\(period): file sets differ")
            for (name, data) in expected.sorted(by: { $0.key < $1.key }) {
                let got = actual[name] ?? Data()
                #expect(got == data, "\(period)/\(name) differs from the golden file: \(TestSupport.firstDifference(String(decoding: data, as: UTF8.self), String(decoding: got, as: UTF8.self)))")
            }
        }
    }

    /// Same bytes from the binary under another locale and time zone, with the exports imported in reverse order.
    @Test func reportsAreDeterministic() throws {
        let first = try Self.generate()
        let second = try Self.generateWithBinary(environment: ["LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "TZ": "Asia/Tokyo"],
                                                 reverseImport: true)
        for period in Self.periods {
            let a = try TestSupport.contents(of: first[period]!)
            let b = try TestSupport.contents(of: second[period]!)
            #expect(a.keys.sorted() == b.keys.sorted())
            for name in a.keys.sorted() {
                #expect(a[name] == b[name], "\(period)/\(name) differs between runs")
            }
        }
    }

    /// The uptime and incident figures agree with the independent Python oracle (scripts/oracle/uptime_oracle.py).
    @Test(arguments: ["2026-10", "2026-Q4"])
    func uptimeAgreesWithOracle(period: String) throws {
        let generated = try Self.generate()
        for file in ["uptime.csv", "incidents.csv"] {
            let oracle = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("expected-oracle/\(period)/\(file)"),
                                    encoding: .utf8)
            let ours = try String(contentsOf: generated[period]!.appendingPathComponent(file), encoding: .utf8)
            #expect(ours == oracle, "\(period)/\(file): \(TestSupport.firstDifference(oracle, ours))")
        }
    }
}
