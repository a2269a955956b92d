import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// 2026-10-01T00:00:00Z.
private let october1: Millis = 1_790_812_800_000

/// A Kuma-shaped database: `monitor` and `heartbeat` with the columns Uptime Kuma 2 has (plus `extra`),
/// holding `monitors` (id, name) and `beats` (monitor id, status, time text).
private func kumaDB(monitors: [(Int, String?)], beats: [(Int, Int, String)], extraSQL: String = "") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kuma-\(UUID().uuidString).db").path
    let db = try Database(path: path)
    try db.execute("""
        PRAGMA journal_mode = DELETE;
        CREATE TABLE monitor (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(150), active BOOLEAN NOT NULL DEFAULT 1,
                              interval INTEGER NOT NULL DEFAULT 20, type VARCHAR(20), url TEXT);
        CREATE TABLE heartbeat (id INTEGER PRIMARY KEY AUTOINCREMENT, important BOOLEAN NOT NULL DEFAULT 0,
                                monitor_id INTEGER NOT NULL, status SMALLINT NOT NULL, msg TEXT, time DATETIME NOT NULL,
                                ping INTEGER, duration INTEGER NOT NULL DEFAULT 0, down_count INTEGER NOT NULL DEFAULT 0,
                                end_time DATETIME, retries INTEGER NOT NULL DEFAULT 0, response TEXT, extra BLOB);
        CREATE INDEX monitor_time_index ON heartbeat (monitor_id, time);
        """)
    for (id, name) in monitors {
        try db.statement("INSERT INTO monitor (id, name) VALUES (?, ?)").bind(.int(Int64(id)), name.map { .text($0) } ?? .null).run()
    }
    for (monitor, status, time) in beats {
        try db.statement("INSERT INTO heartbeat (monitor_id, status, time, msg, ping) VALUES (?, ?, ?, ?, ?)")
            .bind(.int(Int64(monitor)), .int(Int64(status)), .text(time), .text(status == 1 ? "200 - OK" : "timeout"),
                  status == 1 ? .int(42) : .null).run()
    }
    if !extraSQL.isEmpty { try db.execute(extraSQL) }
    return path
}

private func read(_ path: String, range: StatusTimeRange = .all, batchSize: Int = 8192) throws -> [StatusRow] {
    var rows: [StatusRow] = []
    let count = try UptimeKumaReader(path: path, displayName: "kuma.db", range: range, batchSize: batchSize).parse { rows += $0 }
    #expect(count == rows.count)
    return rows
}

private func readError(_ path: String) -> String? {
    do {
        _ = try read(path)
        return nil
    } catch {
        return "\(error)"
    }
}

struct UptimeKumaReaderTests {
    @Test func rowsOrderedByMonitorThenTimeWithEveryStatus() throws {
        // Heartbeat ids interleave across monitors (as Kuma writes them); rows come per monitor, in time order.
        let path = try kumaDB(monitors: [(1, "API"), (2, "Web")], beats: [
            (2, 1, "2026-10-01 00:00:00.000"), (1, 0, "2026-10-01 00:00:00.000"), (1, 1, "2026-10-01 00:01:00.250"),
            (2, 3, "2026-10-01 00:01:00"), (1, 2, "2026-10-01 00:02:00"), (1, 3, "2026-10-01 00:03:00.5"),
        ])
        let rows = try read(path, batchSize: 2)
        #expect(rows.map(\.service) == ["API", "API", "API", "API", "Web", "Web"])
        #expect(rows.map(\.status) == [.down, .up, .pending, .maintenance, .up, .maintenance])
        #expect(rows.map(\.time) == [october1, october1 + 60_250, october1 + 120_000, october1 + 180_500, october1, october1 + 60_000])
        #expect(rows.map(\.line) == [2, 3, 5, 6, 1, 4])  // the heartbeat ids
        #expect(rows[0].message == "timeout" && rows[0].responseTimeMs == nil)
        #expect(rows[1].message == "200 - OK" && rows[1].responseTimeMs == 42)
    }

    @Test func sinceAndUntilAreExactToTheMillisecond() throws {
        let path = try kumaDB(monitors: [(1, "API")], beats: [
            (1, 1, "2026-10-01 00:00:00.400"), (1, 1, "2026-10-01 00:00:00.500"), (1, 1, "2026-10-01 00:00:01"),
            (1, 1, "2026-10-01 00:00:01.499"), (1, 1, "2026-10-01 00:00:01.500"),
        ])
        let range = StatusTimeRange(since: october1 + 500, until: october1 + 1500)
        #expect(try read(path, range: range).map(\.time) == [october1 + 500, october1 + 1000, october1 + 1499])
    }

    @Test func sameInstantTwiceIsDroppedWhenEqualAndAnErrorOtherwise() throws {
        let same = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00"), (1, 1, "2026-10-01 00:00:00.000")])
        #expect(try read(same).count == 1)
        let clash = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00"), (1, 0, "2026-10-01 00:00:00.000")])
        #expect(readError(clash) == "kuma.db: error: heartbeat 2 (monitor 1 \"API\") is down at 2026-10-01T00:00:00Z, "
            + "but heartbeat 1 of the same monitor is up at the same time")
    }

    @Test func extraTablesAndColumnsAreIgnoredAndMissingOnesNamed() throws {
        let extra = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00")],
                               extraSQL: "CREATE TABLE stat_daily (id INTEGER PRIMARY KEY, monitor_id INTEGER, up INTEGER);")
        #expect(try read(extra).count == 1)
        let noTime = try kumaDB(monitors: [], beats: [], extraSQL: """
            DROP TABLE heartbeat; CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, monitor_id INTEGER, status INTEGER, stamp TEXT);
            """)
        #expect(readError(noTime) == "kuma.db: error: table \"heartbeat\" has no column \"time\" "
            + "(not an Uptime Kuma database, or one this version cannot read)")
    }

    @Test(arguments: [
        ([(1, 7, "2026-10-01 00:00:00")] as [(Int, Int, String)],
         "kuma.db: error: heartbeat 1 (monitor 1 \"API\"): unknown status \"7\" (expected 0 down, 1 up, 2 pending, 3 maintenance)"),
        ([(1, 1, "2026-10-01T00:00:00Z")], "kuma.db: error: heartbeat 1 (monitor 1 \"API\"): time is not UTC text "
         + "YYYY-MM-DD HH:MM:SS[.mmm]: \"2026-10-01T00:00:00Z\""),
        ([(1, 1, "2026-10-01 00:00:00+02:00")], "kuma.db: error: heartbeat 1 (monitor 1 \"API\"): time is not UTC text "
         + "YYYY-MM-DD HH:MM:SS[.mmm]: \"2026-10-01 00:00:00+02:00\""),
        ([(1, 1, "2026-02-30 00:00:00")], "kuma.db: error: heartbeat 1 (monitor 1 \"API\"): time is not a valid date and time: \"2026-02-30 00:00:00\""),
        ([(9, 1, "2026-10-01 00:00:00")], "kuma.db: error: heartbeat 1 belongs to monitor 9, which is not in the \"monitor\" table"),
        ([(2, 1, "2026-10-01 00:00:00")], "kuma.db: error: monitor 2 has no name, and the service is the monitor's name (name it in Uptime Kuma)"),
    ])
    func badHeartbeats(beats: [(Int, Int, String)], expected: String) throws {
        let path = try kumaDB(monitors: [(1, "API"), (2, nil)], beats: beats)
        #expect(readError(path) == expected)
    }

    /// Kuma does not enforce unique names: monitors sharing one are distinct series named by id, with a warning
    /// that says how to map them (SPEC §10.7); the file is never refused for it.
    @Test func monitorsSharingANameAreDistinctSeriesByID() throws {
        let path = try kumaDB(monitors: [(1, "API"), (4, "API"), (5, "API"), (6, "Web")],
                              beats: [(1, 1, "2026-10-01 00:00:00"), (4, 0, "2026-10-01 00:00:00"),
                                      (6, 1, "2026-10-01 00:00:00")])
        // Monitor 5 has no heartbeats, so it shares nothing; Web keeps its name.
        let reader = UptimeKumaReader(path: path, displayName: "kuma.db")
        var rows: [StatusRow] = []
        _ = try reader.parse { rows += $0 }
        #expect(rows.map(\.service) == ["kuma:1", "kuma:4", "Web"])
        let warnings = try reader.warnings()   // what the parse met
        #expect(warnings.map(\.description) == [
            "kuma.db: warning: monitors 1, 4 are all named \"API\"; their heartbeats are stored as the series kuma:1, "
                + "kuma:4; map the one a service means with status_series: \"kuma:1\" in sla.yaml",
        ])
    }

    /// `status_series: kuma:6` names a monitor by its id even when its name is its own.
    @Test func theConfigCanNameAMonitorByID() throws {
        let path = try kumaDB(monitors: [(6, "Web"), (7, "DB")],
                              beats: [(6, 1, "2026-10-01 00:00:00"), (7, 1, "2026-10-01 00:00:00")])
        var rows: [StatusRow] = []
        let reader = UptimeKumaReader(path: path, displayName: "kuma.db", seriesNames: ["kuma:6", "DB"])
        _ = try reader.parse { rows += $0 }
        #expect(rows.map(\.service) == ["kuma:6", "DB"])
        #expect(try reader.warnings().isEmpty)   // no name is shared
    }

    @Test func aPendingWriteAheadLogIsRefused() throws {
        let path = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00")])
        try Data("uncheckpointed".utf8).write(to: URL(fileURLWithPath: path + "-wal"))
        let name = URL(fileURLWithPath: path).lastPathComponent
        #expect(readError(path) == "kuma.db: error: the database has a write-ahead log (\(name)-wal, 14 bytes) whose heartbeats "
            + "are not in the file itself; import a copy made with `sqlite3 kuma.db \".backup kuma-copy.db\"` (or stop Uptime Kuma first)")
    }

    @Test func aWALModeDatabaseIsReadWithoutFilesBesideIt() throws {
        // Uptime Kuma runs its database in WAL mode, and a checkpointed copy still says so in its header.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kuma wal?#%-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00")])
        let path = dir.appendingPathComponent("kuma.db").path
        try FileManager.default.copyItem(atPath: source, toPath: path)
        do { try Database(path: path).execute("PRAGMA journal_mode = WAL") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["kuma.db"])
        #expect(try read(path).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["kuma.db"])
    }

    @Test func emptyAndNonSQLiteFiles() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).db").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(readError(empty) == "kuma.db: error: file is empty")
        // A header that claims SQLite over garbage: SQLite's own words.
        let fake = FileManager.default.temporaryDirectory.appendingPathComponent("fake-\(UUID().uuidString).db").path
        #expect(FileManager.default.createFile(atPath: fake, contents: Data("SQLite format 3\u{0}".utf8 + Array(repeating: 0x41, count: 200))))
        #expect(readError(fake)?.hasPrefix("kuma.db: error: not an SQLite database (") == true)
    }

    // MARK: - Bad bytes and what cannot be real (issue 12 §6)

    /// A NUL in a monitor's name was cut off by `String(cString:)`; now the name is read whole and refused.
    @Test func monitorNamesWithControlCharactersOrInvalidUTF8AreRefused() throws {
        let nul = try kumaDB(monitors: [(1, "A\u{0}PI")], beats: [(1, 1, "2026-10-01 00:00:00")])
        #expect(readError(nul) == "kuma.db: error: monitor 1: name \"A\\u{0}PI\" contains the control character U+0000 "
            + "(names may not contain control characters, tabs and line breaks included); rename it in Uptime Kuma")
        let latin1 = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00")],
                                extraSQL: "UPDATE monitor SET name = CAST(x'4170E9' AS TEXT) WHERE id = 1")
        #expect(readError(latin1) == "kuma.db: error: monitor 1's name is not valid UTF-8 (byte 0xE9 at byte 3); "
            + "rename the monitor in Uptime Kuma")
        // A NUL after a valid time made `2026-10-01 00:00:00\0junk` read as the valid time.
        let time = try kumaDB(monitors: [(1, "API")], beats: [(1, 1, "2026-10-01 00:00:00\u{0}junk")])
        #expect(readError(time) == "kuma.db: error: heartbeat 1 (monitor 1 \"API\"): time is not UTC text "
            + "YYYY-MM-DD HH:MM:SS[.mmm]: \"2026-10-01 00:00:00\\u{0}junk\"")
    }

    /// A recursive view named `heartbeat` spun for ever; views and virtual tables are refused before any row is read.
    @Test func aHeartbeatViewIsRefused() throws {
        let view = try kumaDB(monitors: [(1, "API")], beats: [], extraSQL: """
            DROP TABLE heartbeat;
            CREATE VIEW heartbeat AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)
                SELECT x AS id, 1 AS monitor_id, 1 AS status, '2026-10-01 00:00:00' AS time FROM r;
            """)
        #expect(try TestSupport.finishing(within: 60, "reading a heartbeat view") { readError(view) } == "kuma.db: error: \"heartbeat\" is a view, not a table; Uptime Kuma's kuma.db has tables "
            + "\"monitor\" and \"heartbeat\" (rows a view computes are not data the file holds, and a recursive view never ends)")
        let monitorView = try kumaDB(monitors: [], beats: [], extraSQL: "DROP TABLE monitor; CREATE VIEW MONITOR AS SELECT 1 AS id, 'x' AS name;")
        #expect(readError(monitorView)?.hasPrefix("kuma.db: error: \"monitor\" is a view, not a table;") == true)
    }

    /// Repeated monitor ids would repeat each of their heartbeats in the join (a small file, a huge number of rows).
    @Test func repeatedMonitorIDsAndGeneratedColumnsAreRefused() throws {
        let repeated = try kumaDB(monitors: [], beats: [(1, 1, "2026-10-01 00:00:00")], extraSQL: """
            DROP TABLE monitor; CREATE TABLE monitor (id INTEGER, name TEXT); INSERT INTO monitor VALUES (1, 'API'), (1, 'API');
            """)
        #expect(readError(repeated) == "kuma.db: error: monitor id 1 appears 2 times in table \"monitor\" "
            + "(Uptime Kuma's monitor ids are unique; the file was not written by Uptime Kuma)")
        let generated = try kumaDB(monitors: [(1, "API")], beats: [], extraSQL: """
            DROP TABLE heartbeat;
            CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, monitor_id INTEGER, status INTEGER, t TEXT, time TEXT AS (t || ''));
            """)
        #expect(readError(generated) == "kuma.db: error: column \"time\" of table \"heartbeat\" is generated (computed on "
            + "read), not stored; not an Uptime Kuma database")
    }

    /// `café` precomposed and decomposed are one name (NFC, docs/DECISIONS.md): two monitors so named share it.
    @Test func namesEqualInNFCAreShared() throws {
        let path = try kumaDB(monitors: [(1, "caf\u{E9}"), (2, "cafe\u{301}")],
                              beats: [(1, 1, "2026-10-01 00:00:00"), (2, 0, "2026-10-01 00:00:00")])
        #expect(try read(path).map(\.service) == ["kuma:1", "kuma:2"])
        let single = try kumaDB(monitors: [(1, "cafe\u{301}")], beats: [(1, 1, "2026-10-01 00:00:00")])
        #expect(try read(single).map { Array($0.service.utf8) } == [Array("caf\u{E9}".utf8)])
    }
}
