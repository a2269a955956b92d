import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// End-to-end: the real binary on small estates written by each test; exit codes, stderr and the store.
struct CommandLineTests {
    /// A one-service estate in UTC with the given extra YAML appended.
    static func estate(_ extra: String = "") throws -> (dir: URL, config: String) {
        let dir = try TestSupport.temporaryDirectory()
        let yaml = """
            version: 1
            timezone: UTC
            database: sla.db
            currency: USD
            templates: \(TestSupport.packageRoot.appendingPathComponent("templates").path)
            status_defaults: {max_sample_gap: 5m}
            providers: [{id: p, name: "Provider", escrow_balance: "100.00"}]
            customers: [{id: c, name: "Customer"}]
            services: [{id: api, provider: p}]
            leases:
              - {id: L-1, customer: c, service: api, tier: gold, monthly_fee: "100.00", start: "2026-10-01"}
            \(extra)
            """
        let config = dir.appendingPathComponent("sla.yaml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        return (dir, config.path)
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func sampleCount(_ dir: URL) throws -> Int64 {
        let db = try Database(path: dir.appendingPathComponent("sla.db").path, readOnly: true)
        let s = try db.statement("SELECT count(*) FROM import_file")
        _ = try s.step()
        return try db.statusSampleCount() * 1000 + s.int(0)
    }

    static let good = "timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n2026-10-01T00:05:00Z,api,down\n"

    @Test func importThenReportWritesEveryFormat() throws {
        let (dir, config) = try Self.estate()
        let file = try Self.write(Self.good, "a.csv", in: dir)
        let imported = try TestSupport.run(["import", "status", file, "--config", config])
        #expect(imported.status == 0)
        #expect(imported.stdout == "")
        #expect(imported.stderr == "imported \(file.hasPrefix(dir.path) ? "a.csv" : file) (csv): 2 rows, 2 new, 0 already stored, 0 replaced\n")
        let out = dir.appendingPathComponent("out")
        let report = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--out", out.path])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == out.path + "\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["budgets.csv", "credits.csv", "escrow.csv", "incidents.csv", "manifest.json", "report.json", "report.md",
                          "report.xlsx", "uptime.csv", "violations.csv"])
        // 00:00 up for 5 min, 00:05 down for 5 min (max_sample_gap), the rest of October unknown:
        // eligible 600 000 ms, good 300 000 ms → 50.0000 %; coverage 600 000 / 2 678 400 000 (31 d) = 0.0224 %.
        let uptime = try String(contentsOf: out.appendingPathComponent("uptime.csv"), encoding: .utf8)
        #expect(uptime.split(separator: "\n")[1] ==
            "api,p,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,2678400000,0,2677800000,600000,300000,0,300000,50.0000,0.0224,1,300000,300000")
    }

    @Test func reimportingTheSameBytesIsSkipped() throws {
        let (dir, config) = try Self.estate()
        let file = try Self.write(Self.good, "a.csv", in: dir)
        try TestSupport.run(["import", "status", file, "--config", config])
        let copy = try Self.write(Self.good, "copy.csv", in: dir)
        let again = try TestSupport.run(["import", "status", copy, "--config", config])
        #expect(again.status == 0)
        #expect(again.stderr == "skipped copy.csv: already imported (same SHA-256)\n")
        #expect(try Self.sampleCount(dir) == 2001)
    }

    @Test func badRowRejectsTheWholeFileAndStoresNothing() throws {
        let (dir, config) = try Self.estate()
        try TestSupport.run(["import", "status", try Self.write(Self.good, "a.csv", in: dir), "--config", config])
        let before = try Self.sampleCount(dir)
        // Row 2 is fine; row 3 has no UTC offset, so nothing of the file may be stored.
        let bad = try Self.write("timestamp,service,status\n2026-10-02T00:00:00Z,api,up\n2026-10-02 00:05:00,api,up\n",
                                 "bad.csv", in: dir)
        let result = try TestSupport.run(["import", "status", bad, "--config", config])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("\(bad):3:1: error: timestamp has no UTC offset: \"2026-10-02 00:05:00\""))
        #expect(try Self.sampleCount(dir) == before)
    }

    @Test func contradictingAStoredSampleIsAConflictUnlessReplaced() throws {
        let (dir, config) = try Self.estate()
        try TestSupport.run(["import", "status", try Self.write(Self.good, "a.csv", in: dir), "--config", config])
        let other = try Self.write("timestamp,service,status\n2026-10-01T00:05:00Z,api,up\n2026-10-01T00:10:00Z,api,up\n",
                                   "b.csv", in: dir)
        let rejected = try TestSupport.run(["import", "status", other, "--config", config])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.hasPrefix(
            "\(other):2:1: error: conflicts with a stored sample: api at 2026-10-01T00:05:00Z is up here but down in a.csv;"))
        #expect(try Self.sampleCount(dir) == 2001)

        let replaced = try TestSupport.run(["import", "status", other, "--replace", "--config", config])
        #expect(replaced.status == 0)
        #expect(replaced.stderr == "imported b.csv (csv): 2 rows, 1 new, 0 already stored, 1 replaced\n")
        let db = try Database(path: dir.appendingPathComponent("sla.db").path, readOnly: true)
        let log = try db.replacements()
        #expect(log.count == 1 && log.first?.old == .down && log.first?.new == .up)
    }

    @Test func missingInputFileExits66AndImportsNothing() throws {
        let (dir, config) = try Self.estate()
        let good = try Self.write(Self.good, "a.csv", in: dir)
        let result = try TestSupport.run(["import", "status", good, "/nonexistent/x.csv", "--config", config])
        #expect(result.status == 66)
        #expect(result.stderr == "/nonexistent/x.csv: error: no such file; nothing was imported (check the path)\n")
        #expect(try Self.sampleCount(dir) == 0)
    }

    @Test(arguments: [
        ("bogus: 1", "sla.yaml:12:1: error: bogus: unknown key (expected one of: currency, customers"),
        ("max_excluded_maintenance: soon", "sla.yaml:12:27: error: max_excluded_maintenance: not a duration: \"soon\" (expected e.g. 5m, 1h30m, 24h, 250ms)\n"),
        // Duplicate keys are found by Yams while composing (before any key path exists): the place is the first
        // of the two keys, line 4 for the top-level `currency`, column 42 for the lease's first `tier`.
        ("currency: EUR", "sla.yaml:4:1: error: duplicate key \"currency\" (each key may appear once in a mapping)\n"),
        ("  - {id: L-2, customer: c, service: api, tier: gold, tier: silver, monthly_fee: \"1.00\", start: \"2026-10-01\"}",
         "sla.yaml:12:42: error: duplicate key \"tier\" (each key may appear once in a mapping)\n"),
    ])
    func configErrorsExit78WithKeyPath(extra: String, expected: String) throws {
        let (_, config) = try Self.estate(extra)
        let result = try TestSupport.run(["report", "--config", config, "--period", "2026-10"])
        #expect(result.status == 78)
        #expect(result.stderr.hasPrefix(config.dropLast("sla.yaml".count) + expected), "\(result.stderr)")
    }

    @Test func wrongFeeTypeNamesTheLease() throws {
        let dir = try TestSupport.temporaryDirectory()
        let config = try Self.write("""
            version: 1
            timezone: Europe/Berlin
            providers: [{id: p}]
            customers: [{id: c}]
            services: [{id: api, provider: p}]
            leases:
              - {id: L-1, customer: c, service: api, tier: gold, monthly_fee: "10.00", start: "2026-10-01"}
              - {id: L-2, customer: c, service: api, tier: gold, monthly_fee: "12,00", start: "2026-10-01"}
            """, "sla.yaml", in: dir)
        let result = try TestSupport.run(["report", "--config", config, "--period", "2026-10"])
        #expect(result.status == 78)
        #expect(result.stderr == "\(config):8:67: error: leases[1].monthly_fee: expected a decimal string, got \"12,00\"\n")
    }

    @Test func unknownTimeZoneAndTierAreConfigErrors() throws {
        let (_, config) = try Self.estate("""
              - {id: L-2, customer: c, service: api, tier: diamond, monthly_fee: "1.00", start: "2026-10-01"}
            """)
        let result = try TestSupport.run(["report", "--config", config, "--period", "2026-10"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("leases[1].tier: unknown tier \"diamond\""))
    }

    @Test func badPeriodIsAUsageError() throws {
        let (_, config) = try Self.estate()
        let result = try TestSupport.run(["report", "--config", config, "--period", "2026-13"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'--period <period>': not a period: \"2026-13\""))
    }

    /// A system error reaches the user as a sentence with the place and the next step, never Foundation's
    /// `Error Domain=NSCocoaErrorDomain Code=4 …` (/proc admits no new folders).
    @Test func systemErrorsAreSentences() throws {
        let (dir, config) = try Self.estate()
        let file = try Self.write("timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n", "a.csv", in: dir)
        #expect(try TestSupport.run(["import", "status", file, "--config", config]).status == 0)
        let out = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--out", "/proc/nope/x"])
        #expect(out.status == 73)
        // (The one sample covers 5 minutes of October, so a coverage warning comes first: see `coverageFloor`.)
        #expect(out.stderr.hasSuffix("\n/proc/nope/x: error: cannot write the report: No such file or directory; check that the folder "
                + "above it exists and is writable; nothing was written\n"))
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "database: sla.db", with: "database: /proc/nope/sla.db")
        let moved = dir.appendingPathComponent("elsewhere.yaml")
        try yaml.write(to: moved, atomically: true, encoding: .utf8)
        let db = try TestSupport.run(["report", "--config", moved.path, "--period", "2026-10"])
        #expect(db.status == 73)
        #expect(db.stderr == "/proc/nope/sla.db: error: cannot open the database: No such file or directory; check that its "
                + "folder exists or can be created, and is writable\n")
    }

    /// §10.1 on the command line. No status data for the period: refused, nothing written. One sample (5 minutes
    /// of October's 44 640 with `max_sample_gap: 5m`, 5 / 44 640 = 0.0112 %): written, with a warning per short
    /// line and `insufficient_data` in credits.csv; with `--strict`, exit 65 and nothing written.
    @Test func coverageFloor() throws {
        let (dir, config) = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let empty = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--out", out])
        #expect(empty.status == 65)
        #expect(empty.stderr == "slareport: error: no status data for 2026-10; import or pull first (nothing was written)\n")
        #expect(!FileManager.default.fileExists(atPath: out))

        let file = try Self.write("timestamp,service,status\n2026-10-01T00:00:00Z,api,down\n", "a.csv", in: dir)
        #expect(try TestSupport.run(["import", "status", file, "--config", config]).status == 0)
        let warning = "lease L-1, 2026-10 from 2026-10-01T00:00:00Z to 2026-11-01T00:00:00Z on api: coverage is 0.0112 %, "
            + "below min_coverage 90.0000 %, so no credit was computed (credit_status insufficient_data); "
            + "import the missing data for api and report again"
        let strict = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--out", out, "--strict"])
        #expect(strict.status == 65)
        #expect(strict.stderr == "slareport: error: " + warning + "; nothing was written (--strict)\n")
        #expect(!FileManager.default.fileExists(atPath: out))

        let written = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--out", out])
        #expect(written.status == 0)
        #expect(written.stderr.hasPrefix("slareport: warning: " + warning + "\n"))
        let credits = try String(contentsOfFile: out + "/credits.csv", encoding: .utf8)
        // All 5 known minutes were down: uptime 0 % would be a 100 % credit of 100.00, but nothing is owed.
        #expect(credits.hasSuffix(",0.0000,0.0000,%,0.0000,0.00,insufficient_data\n"), "\(credits)")
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.contains("- **Needs attention: 1 credit line has too little monitoring data to settle** (below the "
                                  + "90.0000 % coverage floor), so no credit is computed for them; import the missing data and run "
                                  + "the report again: L-1 on api in 2026-10 (0.0112 % coverage).\n"), "\(markdown)")
        #expect(markdown.contains("| 0.00 | insufficient data (0.0112 % coverage) |"))
        let json = try String(contentsOfFile: out + "/report.json", encoding: .utf8)
        #expect(json.contains(#""credit_status": "insufficient_data""#))

        // A floor of 0 accepts any data: the same month then owes the whole fee.
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "{max_sample_gap: 5m}", with: "{max_sample_gap: 5m, min_coverage: 0}")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let floorless = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--out", out, "--strict"])
        #expect(floorless.status == 0 && !floorless.stderr.contains("warning"), "\(floorless.stderr)")
        #expect(try String(contentsOfFile: out + "/credits.csv", encoding: .utf8).hasSuffix(",0.0000,0.0000,%,100.0000,100.00,ok\n"))
    }

    /// Help reads as paragraphs (no hard breaks inside sentences), says a default once, and the completion scripts
    /// `make install` ships come from the binary.
    @Test func helpAndCompletions() throws {
        let run = try TestSupport.run(["run", "--help"])
        #expect(run.stdout.components(separatedBy: "default: last-month").count == 2, "\(run.stdout)")
        let check = try TestSupport.run(["check", "--help"])
        #expect(check.stdout.contains("looks each row up in the database (read-only, when it exists) for conflicts."),
                "\(check.stdout)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try TestSupport.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.stdout.contains("slareport") && script.stdout.contains("verify"), "\(shell)")
        }
    }

    /// Arguments are parsed into their types where they are read: a bad --as-of or an empty --format is a usage
    /// error (64) naming the option, never exit 1.
    @Test func badAsOfAndEmptyFormatAreUsageErrors() throws {
        let (_, config) = try Self.estate()
        for command in ["report", "run"] {
            var arguments = [command, "--config", config, "--as-of", "yesterday"]
            if command == "report" { arguments += ["--period", "2026-10"] }
            let result = try TestSupport.run(arguments)
            #expect(result.status == 64, "\(command)")
            #expect(result.stderr.contains("'--as-of <as-of>': not an RFC 3339 timestamp: \"yesterday\""), "\(result.stderr)")
        }
        let empty = try TestSupport.run(["report", "--config", config, "--period", "2026-10", "--format", ""])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("'--format <format>': no format given (expected md, csv, json, xlsx)"))
    }

    @Test func missingConfigExits66() throws {
        let result = try TestSupport.run(["report", "--config", "/nonexistent/sla.yaml", "--period", "2026-10"])
        #expect(result.status == 66)
        #expect(result.stderr == "/nonexistent/sla.yaml: error: cannot read the configuration file (does it exist?)\n")
    }
}
