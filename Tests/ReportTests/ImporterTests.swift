import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Storage

/// The one importer, in-process: the store and `check`'s read-only look-up take the same files through the same
/// readers; they differ only in what they do with the rows.
struct ImporterTests {
    /// Lines logged, kept in order.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        var log: Log { Log { line in self.lock.withLock { self.lines.append(line) } } }
    }

    /// A folder with `sla.yaml` (one service, API; CSV output only, so `check` needs no template) and `files`.
    static func estate(_ files: [String: String], inputs: String = "") throws -> (dir: URL, config: Config) {
        let dir = try TestSupport.temporaryDirectory("slareport-importer")
        let yaml = """
            version: 1
            timezone: UTC
            database: data/sla.db
            output: {formats: [csv]}
            \(inputs)
            """
        try yaml.write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return (dir, try Config.load(path: dir.appendingPathComponent("sla.yaml").path))
    }

    static func statusFile(_ name: String, _ config: Config, format: FormatChoice<StatusFormat> = .auto) -> ImportPlan.File {
        ImportPlan.File(configRelative: name, config: config, format: .status(format))
    }

    /// `a.csv` holds API up at 2026-10-01T00:00:00Z.
    static let stored = "timestamp,service,status\n2026-10-01T00:00:00Z,API,up\n"

    /// A Kuma-shaped database: monitor 1 "API" with heartbeat 1 (up, 23:59 the day before) and heartbeat 2 (down at
    /// 2026-10-01 00:00:00, the instant `a.csv` says API was up).
    static func kumaDatabase(at url: URL) throws {
        let db = try Database(path: url.path)
        try db.execute("""
            PRAGMA journal_mode = DELETE;
            CREATE TABLE monitor (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, monitor_id INTEGER NOT NULL, status INTEGER NOT NULL, time TEXT NOT NULL);
            INSERT INTO monitor VALUES (1, 'API');
            INSERT INTO heartbeat VALUES (1, 1, 1, '2026-09-30 23:59:00'), (2, 1, 0, '2026-10-01 00:00:00');
            """)
    }

    // MARK: - check against a database, read-only

    /// `check` finds the conflict `run` would reject `b.csv` for (line 3: API down where `a.csv` stored up), through
    /// the same reader, and writes nothing: the database keeps its bytes.
    @Test func checkFindsAConflictWithoutWritingAnything() throws {
        let (dir, config) = try Self.estate([
            "a.csv": Self.stored,
            "b.csv": "timestamp,service,status\n2026-09-30T23:55:00Z,API,up\n2026-10-01T00:00:00Z,API,down\n",
        ], inputs: "inputs: {status: [{path: b.csv, format: csv}]}")
        do {
            let store = try Store.opening(config)
            let first = try Importer(config: config, sink: store, log: Log { _ in }).importFile(Self.statusFile("a.csv", config), replace: false)
            #expect(first.stored == 1)
        }   // the store is closed here
        let data = dir.appendingPathComponent("data")
        let before = try TestSupport.contents(of: data)
        #expect(before.keys.contains("sla.db"))

        let lines = Lines()
        #expect(throws: CommandFailure.self) { try CheckJob(config: config, context: InProcess.context(log: lines.log)).run() }
        #expect(lines.all == [
            "b.csv:3:1: error: conflicts with a stored sample: API at 2026-10-01T00:00:00Z is down here but up in a.csv; "
                + "run would reject this file (import it with --replace to overwrite)",
            "check: 1 of 1 input files would be rejected; nothing was changed",
        ])
        // The database keeps its bytes. SQLite's read-only connection to a WAL database leaves its side files behind
        // (an empty `-wal`, the `-shm` index): nothing is written to the log, as before this importer.
        let after = try TestSupport.contents(of: data)
        #expect(after["sla.db"] == before["sla.db"])
        #expect(after["sla.db-wal"]?.isEmpty ?? true)
        #expect(Set(after.keys).subtracting(["sla.db-wal", "sla.db-shm"]) == Set(before.keys))
    }

    /// Without a database `check` only reads, and creates none.
    @Test func checkWithoutADatabaseCreatesNone() throws {
        let (dir, config) = try Self.estate(["a.csv": Self.stored], inputs: "inputs: {status: [{path: a.csv}]}")
        let lines = Lines()
        try CheckJob(config: config, context: InProcess.context(log: lines.log)).run()
        // The estate configures no service, so API's sample belongs to nothing configured.
        #expect(lines.all == ["ok a.csv (csv): 1 row; 1 sample of \"API\", which no service's status_series names", "check: \(config.path) and 1 input file are valid; nothing was changed"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("data").path))
    }

    // MARK: - A conflict's place

    /// A database has no lines: the conflict names the heartbeat, located there by the Kuma reader (heartbeat 2 is
    /// the down beat at 00:00), and prints as it always did; the store and `check` differ only in the consequence.
    @Test func kumaConflictIsLocatedAtItsHeartbeat() throws {
        let (dir, config) = try Self.estate(["a.csv": Self.stored])
        try Self.kumaDatabase(at: dir.appendingPathComponent("kuma.db"))
        let store = try Store.opening(config)
        let importer = Importer(config: config, sink: store, log: Log { _ in })
        _ = try importer.importFile(Self.statusFile("a.csv", config), replace: false)

        let kuma = Self.statusFile("kuma.db", config)
        let place = "kuma.db: error: heartbeat 2: conflicts with a stored sample: API at 2026-10-01T00:00:00Z is down here but up in a.csv; "
        do {
            _ = try importer.importFile(kuma, replace: false)
            Issue.record("kuma.db was imported despite the conflict")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.location == .heartbeat(2))
            #expect(diagnostic.description == place + "nothing from this file was stored (re-import with --replace to overwrite)")
        }
        do {
            _ = try Importer(config: config, sink: ConflictCheck(stored: try StoredSamples(databasePath: config.databasePath)),
                             log: Log { _ in }).importFile(kuma, replace: false)
            Issue.record("check accepted kuma.db despite the conflict")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.location == .heartbeat(2))
            #expect(diagnostic.description == place + "run would reject this file (import it with --replace to overwrite)")
        }
        // With --replace the down beat wins: 2 rows, heartbeat 1 new, heartbeat 2 replacing a.csv's sample.
        let replaced = try importer.importFile(kuma, replace: true)
        // Both heartbeats are now stored from kuma.db: 2 samples of API, which no configured service names.
        #expect(replaced.line == "imported kuma.db (uptime-kuma, detected): 2 rows, 1 new, 0 already stored, 1 replaced; "
                + "2 samples of \"API\", which no service's status_series names")
    }

    /// The Kuma reader's own problems are located at the heartbeat and its monitor.
    @Test func kumaReaderLocatesABadHeartbeat() throws {
        let (dir, _) = try Self.estate([:])
        let url = dir.appendingPathComponent("kuma.db")
        try Self.kumaDatabase(at: url)
        try Database(path: url.path).execute("UPDATE heartbeat SET status = 7 WHERE id = 2")
        do {
            _ = try UptimeKumaReader(path: url.path, displayName: "kuma.db").parse { _ in }
            Issue.record("status 7 was accepted")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.location == .heartbeat(2, monitor: "monitor 1 \"API\""))
            #expect(diagnostic.description == "kuma.db: error: heartbeat 2 (monitor 1 \"API\"): unknown status \"7\" "
                    + "(expected 0 down, 1 up, 2 pending, 3 maintenance)")
        }
    }

    // MARK: - One summary wording

    /// One function words every summary line; each expected line is what `import` or `check` prints today.
    @Test(arguments: [
        (InputFormat.status(.csv), 8928, false, false, false, "imported a.csv (csv): 8928 rows, 8928 new, 0 already stored, 0 replaced"),
        (.status(.prometheusJSON), 8928, false, true, false, "imported a.csv (prometheus-json, detected): 8928 rows, 8928 new, 0 already stored, 0 replaced"),
        (.metrics(.openmetrics), 8928, false, true, false, "imported a.csv (openmetrics, detected): 8928 rows, 8928 new, 0 already stored, 0 replaced"),
        (.metrics(.csv), 0, true, true, false, "skipped a.csv: already imported (same SHA-256)"),
        (.status(.csv), 0, false, false, false, "a.csv: warning: header only, nothing to import"),
        (.status(.uptimeKuma), 0, false, true, false, "a.csv (uptime-kuma, detected): warning: no status samples, nothing to import"),
        (.metrics(.csv), 0, false, true, false, "a.csv (csv, detected): warning: header only, nothing to import"),
        (.metrics(.prometheusJSON), 0, false, false, false, "a.csv (prometheus-json): warning: no metric samples, nothing to import"),
        (.status(.csv), 8928, false, false, true, "ok a.csv (csv): 8928 rows"),
        (.metrics(.openmetrics), 8928, true, false, true, "ok a.csv (openmetrics): 8928 rows, already imported"),
        (.status(.csv), 0, true, false, true, "a.csv: warning: header only, nothing to import"),   // check reads it anyway
    ])
    func summaryLine(format: InputFormat, rows: Int, alreadyImported: Bool, detected: Bool, checkOnly: Bool, line: String) {
        var summary = ImportSummary(path: "a.csv", format: format, sha256: "")
        summary.rows = rows
        summary.stored = checkOnly ? 0 : rows
        summary.alreadyImported = alreadyImported
        summary.detected = detected
        summary.checkOnly = checkOnly
        #expect(summary.line == line)
    }

    /// The same file through the two sinks: imported (and then skipped), or checked.
    @Test func storeAndCheckWordTheSameFileAlike() throws {
        let (_, config) = try Self.estate(["a.csv": Self.stored])
        let file = Self.statusFile("a.csv", config)
        let lines = Lines()
        let check = Importer(config: config, sink: ConflictCheck(stored: nil), log: lines.log)
        let store = Importer(config: config, sink: try Store.opening(config), log: lines.log)
        _ = try check.importEach(ImportPlan(files: [file]))
        _ = try store.importEach(ImportPlan(files: [file]))
        _ = try store.importEach(ImportPlan(files: [file]))
        _ = try Importer(config: config, sink: ConflictCheck(stored: try StoredSamples(databasePath: config.databasePath)),
                         log: lines.log).importEach(ImportPlan(files: [file]))
        #expect(lines.all == [
            "ok a.csv (csv): 1 row; 1 sample of \"API\", which no service's status_series names",
            "imported a.csv (csv): 1 row, 1 new, 0 already stored, 0 replaced; 1 sample of \"API\", which no service's status_series names",
            "skipped a.csv: already imported (same SHA-256)",
            "ok a.csv (csv): 1 row, already imported; 1 sample of \"API\", which no service's status_series names",
        ])
    }

    // MARK: - The plan

    /// Command-line paths are named as given and recorded relative to the config folder when inside it.
    @Test func planRecordsPathsAsTheImportLogDoes() throws {
        let (dir, config) = try Self.estate([:])
        let plan = ImportPlan(paths: [dir.appendingPathComponent("exports/a.csv").path, "/elsewhere/b.csv"],
                              format: .metrics(.explicit(.openmetrics)), replace: true, config: config)
        #expect(plan.files.map(\.recordedPath) == ["exports/a.csv", "/elsewhere/b.csv"])
        #expect(plan.files.map(\.name) == [dir.appendingPathComponent("exports/a.csv").path, "/elsewhere/b.csv"])
        #expect(plan.files.allSatisfy { $0.kind == .metrics } && plan.replace)
    }

    /// A rejected file is reported and kept; the others are still imported, in order.
    @Test func importEachKeepsGoingPastARejectedFile() throws {
        let (_, config) = try Self.estate(["a.csv": Self.stored, "bad.csv": "timestamp,service,status\nnot a time,API,up\n",
                                           "c.csv": "timestamp,service,status\n2026-10-02T00:00:00Z,API,up\n"])
        let outcome = try Importer(config: config, sink: try Store.opening(config), log: Log { _ in })
            .importEach(ImportPlan(files: ["a.csv", "bad.csv", "c.csv"].map { Self.statusFile($0, config) }))
        #expect(outcome.summaries.map(\.path) == ["a.csv", "c.csv"])
        #expect(outcome.rejected.map(\.file) == ["bad.csv"])
        #expect(outcome.rejection(consequence: "nothing from them was stored")?.description
                == "slareport: error: 1 of 3 files rejected; nothing from them was stored")
    }
}
