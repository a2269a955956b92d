import Foundation
import Testing
import Calc
@testable import Ingest
@testable import Pipeline

/// Config values that would change money or verdicts in ways no contract means are refused with their key path
/// (exit 78 from every command): a 150 % credit paid 4,650.00 on a 3,100.00 fee before.
@Suite struct ConfigRangeTests {
    /// The config of `CommandLineTests.estate` with one tier `t` whose body is `tier`, and `extra` at the top level.
    static func load(tier: String, extra: String = "") throws -> Config {
        let (_, path) = try CommandLineTests.estate("""
            tiers:
              t:
            \(tier)
            \(extra)
            """)
        return try Config.load(path: path)
    }

    static let uptime = "      objectives: [{id: up, metric: uptime, target: \"99.9\"}]"

    /// The message after `file:line:column: error: `.
    static func message(_ body: () throws -> Config) -> String? {
        do {
            _ = try body()
            return nil
        } catch let failure as CommandFailure {
            #expect(failure.exitCode == ExitStatus.config)
            return failure.diagnostics.first.map { $0.message }
        } catch let diagnostic as Diagnostic {
            return diagnostic.message
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("      objectives: [{id: up, metric: uptime, target: \"150\"}]", "tiers.t.objectives[0].target: must be a percentage from 0 to 100, got \"150\""),
        ("      objectives: [{id: up, metric: uptime, target: \"-1\"}]", "tiers.t.objectives[0].target: must be a percentage from 0 to 100, got \"-1\""),
        ("      objectives: [{id: e, metric: error_rate, target: \"100.5\"}]", "tiers.t.objectives[0].target: must be a percentage from 0 to 100, got \"100.5\""),
        ("      objectives: [{id: l, metric: latency_p99, target: \"-200ms\"}]", "tiers.t.objectives[0].target: a latency target must be longer than 0, got \"-200ms\""),
        (uptime + "\n      warning_buffer: \"150\"", "tiers.t.warning_buffer: must be a percentage from 0 to 100, got \"150\""),
        (uptime + "\n      max_credit: \"101\"", "tiers.t.max_credit: must be a percentage from 0 to 100, got \"101\""),
        (uptime + "\n      credits: [{objective: up, brackets: [{below: \"99.9\", credit: \"150\"}]}]",
         "tiers.t.credits[0].brackets[0].credit: must be a percentage from 0 to 100, got \"150\""),
        (uptime + "\n      credits: [{objective: up, brackets: [{below: \"99.9\", credit: \"-5\"}]}]",
         "tiers.t.credits[0].brackets[0].credit: must be a percentage from 0 to 100, got \"-5\""),
        ("      objectives: [{id: up, metric: uptime, target: \"99.9\", window: 1ms}]",
         "tiers.t.objectives[0].window: must be at least 1m (monitors measure in minutes), got \"1ms\""),
        ("      objectives: [{id: up, metric: uptime, target: \"99.9\"}, {id: up, metric: uptime, target: \"99\"}]",
         "tiers.t.objectives[1]: duplicate objective id \"up\" in tier t (give each objective its own id)"),
    ])
    func outOfRangeValuesAreRefused(tier: String, expected: String) {
        #expect(Self.message { try Self.load(tier: tier) } == expected)
    }

    @Test func theOutputDirectoryNamesThePeriod() {
        #expect(Self.message { try Self.load(tier: Self.uptime, extra: "output: {directory: \"\"}") }
                == "output.directory: must contain {period} (e.g. \"reports/{period}\"), got \"\"")
        #expect(Self.message { try Self.load(tier: Self.uptime, extra: "output: {directory: \"reports/all\"}") }
                == "output.directory: must contain {period} (e.g. \"reports/{period}\"), got \"reports/all\"")
        #expect(Self.message { try Self.load(tier: Self.uptime + "\n      warning_buffer: \"0\"\n      max_credit: \"100\"",
                                             extra: "output: {directory: \"out/{period}\"}") } == nil)
    }

    /// `status_defaults.min_coverage` (§10.1) is a percentage, 90 when not given.
    @Test func theCoverageFloorIsAPercentage() throws {
        func load(_ floor: String?) throws -> Config {
            let (_, path) = try CommandLineTests.estate()
            if let floor {
                let yaml = try String(contentsOfFile: path, encoding: .utf8)
                    .replacingOccurrences(of: "{max_sample_gap: 5m}", with: "{max_sample_gap: 5m, min_coverage: \(floor)}")
                try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            }
            return try Config.load(path: path)
        }
        #expect(try load(nil).estate.statusPolicy.minCoverage == Ratio(90))
        #expect(try load("\"99.5\"").estate.statusPolicy.minCoverage == Ratio(995, 10))
        #expect(Self.message { try load("101") } == "status_defaults.min_coverage: must be a percentage from 0 to 100, got \"101\"")
        #expect(Self.message { try load("-1") } == "status_defaults.min_coverage: must be a percentage from 0 to 100, got \"-1\"")
    }
}
