import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

/// `run`, `check` and the report archive (restatements): the real binary on small estates.
struct RunCommandTests {
    /// One service, one gold lease of 100.00 USD, escrow 100.00, in UTC. `max_sample_gap: 31d` lets one
    /// sample hold for all of October, so the figures below follow from one or two rows.
    static func estate(inputs: String = #"{path: "exports/*.csv", format: csv}"#, extra: String = "") throws -> URL {
        let dir = try TestSupport.temporaryDirectory("slareport-run")
        let yaml = """
            version: 1
            timezone: UTC
            database: data/sla.db
            currency: USD
            output: {directory: "reports/{period}", formats: [md, csv, json]}
            templates: \(TestSupport.packageRoot.appendingPathComponent("templates").path)
            inputs:
              status: [\(inputs)]
            status_defaults: {max_sample_gap: 31d}
            providers: [{id: p, name: "Provider", escrow_balance: "100.00"}]
            customers: [{id: c, name: "Customer"}]
            services: [{id: api, provider: p}]
            leases:
              - {id: L-1, customer: c, service: api, tier: gold, monthly_fee: "100.00", start: "2026-01-01"}
            \(extra)
            """
        try yaml.write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("exports"), withIntermediateDirectories: true)
        return dir
    }

    /// Up from 2026-10-01 00:00 for the whole month.
    static let allUp = "timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n"
    /// Down for October's last day: 86 400 000 of 2 678 400 000 ms, so uptime 30/31 = 96.7742 %, below gold's
    /// 98.9 bracket and above 94.9 → 25 % credit of 100.00 = 25.00.
    static let lastDayDown = "timestamp,service,status\n2026-10-31T00:00:00Z,api,down\n"

    static func write(_ text: String, _ path: String, in dir: URL) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func listing(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func runImportsTheFixtureEstateAndMatchesTheGoldenReport() throws {
        let (root, config) = try TestSupport.estateCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try TestSupport.run(["run", "--config", config.path, "--period", "2026-10"])
        #expect(first.status == 0, "\(first.stderr)")
        let reports = config.deletingLastPathComponent().appendingPathComponent("reports/2026-10")
        #expect(first.stdout == reports.path + "\n")
        let lines = first.stderr.split(separator: "\n")
        // One summary line per file: 21 status exports and 9 metric exports.
        #expect(lines.filter { $0.hasPrefix("imported exports/status/") }.count == 21)
        #expect(lines.filter { $0.hasPrefix("imported exports/metrics/") }.count == 9)
        // `run` writes what `import` + `report` write: the committed golden files.
        let expected = try TestSupport.contents(of: TestSupport.fixtures.appendingPathComponent("expected/2026-10"))
        #expect(lines.last == "wrote \(expected.count) files for 2026-10 to \(reports.path)")
        #expect(try TestSupport.contents(of: reports) == expected)

        // Idempotent: nothing imported, nothing written, and it says so.
        let before = try FileManager.default.attributesOfItem(atPath: reports.appendingPathComponent("report.json").path)
        let second = try TestSupport.run(["run", "--config", config.path, "--period", "2026-10"])
        #expect(second.status == 0)
        #expect(second.stdout == reports.path + "\n")
        let again = second.stderr.split(separator: "\n")
        #expect(again.filter { $0.hasPrefix("skipped exports/status/") && $0.hasSuffix(": already imported (same SHA-256)") }.count == 21)
        #expect(again.suffix(2) == [
            "2026-10: unchanged; \(reports.path) already holds this report (nothing written)",
            "run: nothing changed (30 input files already imported, report unchanged)",
        ])
        #expect(try Self.listing(reports.deletingLastPathComponent()) == ["2026-10"])
        let after = try FileManager.default.attributesOfItem(atPath: reports.appendingPathComponent("report.json").path)
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
    }

    @Test func secondRunExits75AtOnceWhileTheLockIsHeld() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        // Hold the lock the way a running `run` does: flock on data/sla.db.lock, our pid inside.
        let lockPath = dir.appendingPathComponent("data/sla.db.lock")
        try FileManager.default.createDirectory(at: lockPath.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(lockPath.path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = "\(getpid())\n".withCString { Glibc.write(fd, $0, strlen($0)) }

        let started = Date()
        let result = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(Date().timeIntervalSince(started) < 5)  // at once, not after a wait
        #expect(result.status == 75)
        #expect(result.stdout == "")
        #expect(result.stderr == "\(dir.path)/data/sla.db.lock: error: another slareport run holds the lock (pid \(getpid())); nothing was done, try again later\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/sla.db").path))

        flock(fd, LOCK_UN)
        let free = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(free.status == 0, "\(free.stderr)")
    }

    @Test func changedFiguresAreRestatedBesideTheEarlierReport() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        let reports = dir.appendingPathComponent("reports")
        let first = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let original = try TestSupport.contents(of: reports.appendingPathComponent("2026-10"))

        try Self.write(Self.lastDayDown, "exports/b.csv", in: dir)
        let second = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "\(reports.path)/2026-10.r2\n")
        #expect(second.stderr.hasSuffix("2026-10: the report differs from \(reports.path)/2026-10; wrote the restatement "
            + "\(reports.path)/2026-10.r2 (see its RESTATEMENT.md; the earlier report is kept)\n"))
        #expect(try Self.listing(reports) == ["2026-10", "2026-10.r2"])
        #expect(try TestSupport.contents(of: reports.appendingPathComponent("2026-10")) == original)  // untouched

        let notice = try Self.text(reports.appendingPathComponent("2026-10.r2/RESTATEMENT.md"))
        for line in [
            "`2026-10.r2` restates `2026-10`, which is kept unchanged beside it. Every figure that differs is listed below as old → new; correct invoices from the credit differences.",
            "- Input added: `exports/b.csv` (1 row).",
            "| api | down_ms | 0 | 86400000 |",
            "| api | uptime_pct | 100.0000 | 96.7742 |",
            "| L-1 | 2026-10 | 2026-10-01T00:00:00Z | credit_pct | 0.0000 | 25.0000 |",
            "| L-1 | 2026-10 | 2026-10-01T00:00:00Z | credit_amount | 0.00 | 25.00 |",
            "| L-1 | 2026-10 | USD | 0.00 | 25.00 | +25.00 |",
            "Total credits (USD): 0.00 → 25.00 (+25.00).",
            "| p | credits | 0.00 | 25.00 |",
            "| p | closing_balance | 100.00 | 75.00 |",
            "| L-1 | c | p | api | uptime | uptime | 2026-10-01T00:00:00Z | 2026-11-01T00:00:00Z | 99.9000 | 96.7742 | % | breached |",
            "| api | down | 2026-10-31T00:00:00Z | 2026-11-01T00:00:00Z | 86400000 |",
        ] {
            #expect(notice.contains(line + "\n"), "RESTATEMENT.md lacks: \(line)\n\(notice)")
        }

        // Nothing new: nothing written. `verify` checks the restated version, its notice included.
        let third = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(third.stderr.hasSuffix("run: nothing changed (2 input files already imported, report unchanged)\n"))
        #expect(try Self.listing(reports) == ["2026-10", "2026-10.r2"])
        let verified = try TestSupport.run(["verify", "reports/2026-10.r2"], in: dir)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        // The earlier version still verifies against its own manifest (one input).
        let earlier = try TestSupport.run(["verify", "reports/2026-10"], in: dir)
        #expect(earlier.status == 0, "\(earlier.stdout)\(earlier.stderr)")
        #expect(earlier.stderr.hasSuffix("recomputed from 1 inputs are byte-identical\n"))
    }

    /// `report` without `--out` publishes like `run` (restating); with `--out` it replaces that directory.
    @Test func reportRestatesTheConfigDirectoryButOverwritesAnExplicitOut() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        #expect(try TestSupport.run(["import", "status", "exports/a.csv", "--config", "sla.yaml"], in: dir).status == 0)
        let out = dir.appendingPathComponent("scratch-out")
        for args in [["--period", "2026-10"], ["--period", "2026-10", "--out", out.path]] {
            #expect(try TestSupport.run(["report", "--config", "sla.yaml"] + args, in: dir).status == 0)
        }
        try Self.write(Self.lastDayDown, "exports/b.csv", in: dir)
        #expect(try TestSupport.run(["import", "status", "exports/b.csv", "--config", "sla.yaml"], in: dir).status == 0)
        let published = try TestSupport.run(["report", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(published.stdout == dir.appendingPathComponent("reports/2026-10.r2").path + "\n")
        let overwritten = try TestSupport.run(["report", "--config", "sla.yaml", "--period", "2026-10", "--out", out.path], in: dir)
        #expect(overwritten.stdout == out.path + "\n")
        #expect(try Self.listing(dir).filter { $0.hasPrefix("scratch-out") } == ["scratch-out"])
        #expect(try Self.text(out.appendingPathComponent("uptime.csv")).contains(",96.7742,"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("RESTATEMENT.md").path))
    }

    /// What a `kill -9` mid-write leaves (hidden `.2026-10.tmp-<pid>` folders) is removed by the next write,
    /// unless its process still runs.
    @Test func hiddenLeftoversOfDeadWritersAreRemoved() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        let dead: Int32 = 2_147_483_000  // above any pid_max: no such process
        for leftover in [".2026-10.tmp-\(dead)/uptime.csv", ".2026-10.r2.tmp-\(dead + 1)/report.md",
                         ".2026-10.tmp-\(getpid())/uptime.csv", ".unrelated/file"] {
            try Self.write("partial", "reports/\(leftover)", in: dir)
        }
        let result = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.listing(dir.appendingPathComponent("reports")) == [".2026-10.tmp-\(getpid())", ".unrelated", "2026-10"])
    }

    @Test func checkValidatesWithoutChangingAnything() throws {
        let (root, config) = try TestSupport.estateCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.run(["check", "--config", config.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first == "ok exports/status/api-2026-10.csv (csv): 17880 rows")
        #expect(lines.filter { $0.hasPrefix("ok exports/status/") }.count == 21)
        #expect(lines.filter { $0.hasPrefix("ok exports/metrics/") }.count == 9)
        #expect(lines.last == "check: \(config.path) and 30 input files are valid; nothing was changed")
        let estate = config.deletingLastPathComponent()
        #expect(try Self.listing(estate) == ["exports", "sla.yaml"])  // no database, no lock, no reports
    }

    @Test func checkFindsAConflictWithTheDatabaseAndLeavesItAsItWas() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        #expect(try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir).status == 0)
        try Self.write("timestamp,service,status\n2026-10-01T00:00:00Z,api,down\n", "exports/b.csv", in: dir)
        let db = dir.appendingPathComponent("data/sla.db")
        let before = try ErrorCatalogueTests.stored(db.deletingLastPathComponent())
        let result = try TestSupport.run(["check", "--config", "sla.yaml"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == """
            ok exports/a.csv (csv): 1 row, already imported
            exports/b.csv:2:1: error: conflicts with a stored sample: api at 2026-10-01T00:00:00Z is down here but up in exports/a.csv; run would reject this file (import it with --replace to overwrite)
            check: 1 of 2 input files would be rejected; nothing was changed

            """)
        #expect(try ErrorCatalogueTests.stored(db.deletingLastPathComponent()) == before)
    }

    @Test func aMissingNamedInputExits66AndImportsNothing() throws {
        let dir = try Self.estate(inputs: #"{path: "exports/a.csv"}, {path: "exports/missing.csv"}"#)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        for command in ["run", "check"] {
            let result = try TestSupport.run([command, "--config", "sla.yaml"], in: dir)
            #expect(result.status == 66)
            #expect(result.stderr == "exports/missing.csv: error: no such file (named by inputs.status[1].path in sla.yaml); nothing was imported (check the path)\n")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/sla.db").path))
    }

    @Test func aPatternMatchingNothingIsOnlyAWarning() throws {
        let dir = try Self.estate(inputs: #"{path: "exports/*.csv"}, {path: "later/**/*.csv"}"#)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp, "exports/a.csv", in: dir)
        let result = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("sla.yaml: warning: inputs.status[1].path: \"later/**/*.csv\" matches no file\n"))
    }

    /// `run --strict` refuses a report with a credit line short of data (§10.1): one sample on Oct 20 holds to the
    /// month's end (max_sample_gap 31d), 12 of 31 days = 38.7097 % coverage, below the 90 % floor.
    @Test func runStrictWritesNothingWhenACreditLacksData() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write("timestamp,service,status\n2026-10-20T00:00:00Z,api,down\n", "exports/a.csv", in: dir)
        let strict = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10", "--strict"], in: dir)
        #expect(strict.status == 65)
        #expect(strict.stderr.hasSuffix("coverage is 38.7097 %, below min_coverage 90.0000 %, so no credit was computed "
                                        + "(credit_status insufficient_data); import the missing data for api and report again; "
                                        + "nothing was written (--strict)\n"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports").path))
        let lenient = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(lenient.status == 0 && lenient.stderr.contains("slareport: warning: lease L-1, 2026-10"), "\(lenient.stderr)")
    }

    /// `last-month` is relative to `--as-of`, else SOURCE_DATE_EPOCH (2026-11-15T00:00:00Z = 1794700800).
    @Test func runDefaultsToLastMonth() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(Self.allUp + "2026-11-01T00:00:00Z,api,up\n", "exports/a.csv", in: dir)
        let viaEpoch = try TestSupport.run(["run", "--config", "sla.yaml"], environment: ["SOURCE_DATE_EPOCH": "1794700800"], in: dir)
        #expect(viaEpoch.stdout == dir.appendingPathComponent("reports/2026-10").path + "\n")
        let viaAsOf = try TestSupport.run(["run", "--config", "sla.yaml", "--as-of", "2026-12-01T00:00:00Z"], in: dir)
        #expect(viaAsOf.stdout == dir.appendingPathComponent("reports/2026-11").path + "\n")
    }

    /// Ids and periods become file names only after they are checked.
    @Test func pathLikeIdsAndPeriodsAreRefused() throws {
        let dir = try Self.estate(extra: #"  - {id: "../evil", customer: c, service: api, tier: gold, monthly_fee: "1.00", start: "2026-01-01"}"#)
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in [["run", "--period", "2026-10"], ["check"]] {
            let badLease = try TestSupport.run(command + ["--config", "sla.yaml"], in: dir)
            #expect(badLease.status == 78)
            #expect(badLease.stderr.hasPrefix("sla.yaml:15:"))
            #expect(badLease.stderr.hasSuffix("error: leases[1].id: not a usable id: \"../evil\" (no '/', '\\', '..' or control characters)\n"))
        }
        #expect(try Self.listing(dir) == ["exports", "sla.yaml"])

        let good = try Self.estate()
        defer { try? FileManager.default.removeItem(at: good) }
        for period in ["../2026-10", "2026-10/..", "2026-1"] {
            for command in ["run", "report"] {
                let result = try TestSupport.run([command, "--config", "sla.yaml", "--period", period], in: good)
                #expect(result.status == 64)
                #expect(result.stderr.contains("'--period <period>': not a period: \"\(period)\""))
            }
        }
        #expect(try Self.listing(good) == ["exports", "sla.yaml"])
    }

    /// Progress is drawn (`\r`, erase line) only when stderr is a terminal; `script` gives the run a pty.
    @Test(.enabled(if: TestSupport.runs(needing: "/usr/bin/script")))
    func progressOnlyOnATerminal() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A file big enough that importing it takes longer than the first progress tick (0.5 s).
        var rows = "timestamp,service,region,status\n"
        for i in 0..<150_000 { rows += "\(1_790_000_000 + i * 10),api,r\(i % 2),up\n" }
        try Self.write(rows, "exports/a.csv", in: dir)
        let plain = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(!plain.stderr.contains("\r"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("data"))
        let command = "\(TestSupport.binary.path) run --config sla.yaml --period 2026-10"
        let tty = try TestSupport.run(executable: URL(fileURLWithPath: "/usr/bin/script"),
                                           arguments: ["-qec", command, "/dev/null"], in: dir)
        #expect(tty.status == 0)
        #expect(tty.stdout.contains("\r\u{1B}[K[1/1] exports/a.csv…"))
        #expect(tty.stdout.contains("imported exports/a.csv (csv): 150000 rows"))
    }

    /// `import status` and `import metrics` draw the same progress line on a terminal, and none off it.
    @Test(.enabled(if: TestSupport.runs(needing: "/usr/bin/script")))
    func importProgressOnlyOnATerminal() throws {
        let dir = try Self.estate()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write("timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n", "exports/a.csv", in: dir)
        try Self.write("timestamp,series,value\n2026-10-01T00:00:00Z,up_total,1\n", "b.csv", in: dir)
        let plain = try TestSupport.run(["import", "status", "exports/a.csv", "--config", "sla.yaml"], in: dir)
        #expect(plain.status == 0 && !plain.stderr.contains("\r"))
        for (kind, file) in [("status", "exports/a.csv"), ("metrics", "b.csv")] {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent("data"))
            let command = "\(TestSupport.binary.path) import \(kind) \(file) --config sla.yaml"
            let tty = try TestSupport.run(executable: URL(fileURLWithPath: "/usr/bin/script"),
                                               arguments: ["-qec", command, "/dev/null"], in: dir)
            #expect(tty.status == 0, "\(tty.stdout)")
            #expect(tty.stdout.contains("[1/1] \(file)…"))
            #expect(tty.stdout.contains("\r\u{1B}[K"))
        }
    }
}
