import Foundation
import Ingest

/// Mutations of an Uptime Kuma database. Flipped bytes in a SQLite file mostly give "database disk image is malformed",
/// so most mutations go through SQL on a copy: odd names (NUL, invalid UTF-8, decomposed accents, shared names),
/// odd times and statuses, heartbeats of missing monitors, repeated monitor ids, views in place of tables, generated
/// columns, many rows; then, now and then, a few flipped bytes on top.
enum KumaMutator {
    static func mutate(_ seed: [UInt8], work: URL, rng: inout SplitMix64, bytes mutator: Mutator) throws -> [UInt8] {
        let scratch = work.appendingPathComponent("kuma-mutating.db")
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch.path + suffix) }
        try Data(seed).write(to: scratch)
        do {
            let db = try Database(path: scratch.path)
            try? db.execute("PRAGMA journal_mode = DELETE")
            for _ in 0..<(1 + rng.below(4)) { try? apply(db, rng: &rng) }
        }
        var out = [UInt8]((try? Data(contentsOf: scratch)) ?? Data(seed))
        if rng.oneIn(8) {
            var flipper = mutator
            flipper.maxBytes = max(out.count, 1)
            flipper.dictionary = []
            out = flipper.mutate(out, splice: seed, rng: &rng)
        }
        return out
    }

    /// Text that a name should never be, and text that is a name in another spelling.
    static func oddName(_ rng: inout SplitMix64) -> SQLValue {
        rng.pick([
            .text("A\u{0}PI"), .text("API\u{0}"), .text("\u{0}"), .text("API\t"), .text("A\nPI"), .text("caf\u{E9}"),
            .text("cafe\u{301}"), .text("API"), .text("Website"), .text(""), .text(" API"), .text("\u{85}"),
            .text(String(repeating: "x", count: 5000)), .text("kuma:1"), .null, .int(7),
        ])
    }

    static let oddNameSQL = [
        "CAST(x'41FF' AS TEXT)", "CAST(x'C328' AS TEXT)", "CAST(x'80' AS TEXT)", "CAST(x'41005049' AS TEXT)",
        "CAST(x'EDA080' AS TEXT)", "x'4150'", "zeroblob(4)", "1.5",
    ]

    static func oddTime(_ rng: inout SplitMix64) -> SQLValue {
        rng.pick([
            .text("9999-12-31 23:59:59"), .text("0001-01-01 00:00:00"), .text("2026-10-01 00:00:00\u{0}junk"),
            .text("2026-13-01 00:00:00"), .text("2026-10-01T00:00:00Z"), .text(""), .int(1_790_812_800), .null,
            .text("2026-10-01 00:00:00.9999999999"), .text("2026-10-01 00:00:00.000"), .text("2026-10-02 00:00:00"),
            .text("2026-02-29 00:00:00"), .text("2026-10-01 24:00:00"), .text("2026-10-01 00:00:00 "),
        ])
    }

    private static func apply(_ db: Database, rng: inout SplitMix64) throws {
        let monitor = Int64(rng.below(5))
        let heartbeat = Int64(rng.below(1000) + 1)
        switch rng.below(15) {
        case 0:
            try db.statement("UPDATE monitor SET name = ? WHERE id = ?").bind(oddName(&rng), .int(monitor)).run()
        case 1:
            try db.execute("UPDATE monitor SET name = \(rng.pick(oddNameSQL)) WHERE id = \(monitor)")
        case 2:
            try db.statement("UPDATE heartbeat SET time = ? WHERE id = ?").bind(oddTime(&rng), .int(heartbeat)).run()
        case 3:
            let status: SQLValue = rng.pick([.int(7), .int(-1), .int(Int64.max), .text("1"), .null, .int(2), .int(3), .int(0)])
            try db.statement("UPDATE heartbeat SET status = ? WHERE id = ?").bind(status, .int(heartbeat)).run()
        case 4:
            try db.statement("""
                INSERT INTO heartbeat (monitor_id, status, time, msg, ping) VALUES (?, ?, ?, ?, ?)
                """).bind(.int(monitor), .int(Int64(rng.below(4))), oddTime(&rng), oddName(&rng),
                          rng.pick([.null, .int(-5), .int(Int64.max), .int(42)])).run()
        case 5:
            try db.statement("INSERT INTO monitor (id, name) VALUES (?, ?)").bind(.int(Int64(10 + rng.below(5))), oddName(&rng)).run()
            try db.execute("INSERT INTO heartbeat (monitor_id, status, time) SELECT 10 + abs(random()) % 5, 1, time FROM heartbeat LIMIT 20")
        case 6:
            try db.execute("DELETE FROM monitor WHERE id = \(monitor)")
        case 7:
            try db.execute("UPDATE heartbeat SET monitor_id = \(monitor) WHERE id % 7 = \(rng.below(7))")
        case 8:
            try db.execute("""
                DROP TABLE heartbeat;
                CREATE VIEW heartbeat AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)
                    SELECT x AS id, 1 AS monitor_id, 1 AS status, '2026-10-01 00:00:00' AS time FROM r;
                """)
        case 9:
            try db.execute("""
                CREATE TABLE m2 AS SELECT * FROM monitor; DROP TABLE monitor; ALTER TABLE m2 RENAME TO monitor;
                INSERT INTO monitor SELECT * FROM monitor;
                """)
        case 10:
            try db.execute(rng.pick([
                "ALTER TABLE heartbeat RENAME COLUMN time TO t",
                "ALTER TABLE monitor RENAME COLUMN name TO title",
                "ALTER TABLE heartbeat ADD COLUMN extra TEXT AS (msg || time)",
                "DROP TABLE monitor",
                "CREATE TABLE \"Heartbeat2\" (id INTEGER); DROP TABLE heartbeat; ALTER TABLE Heartbeat2 RENAME TO HEARTBEAT",
            ]))
        case 11:
            // Many rows: the reader streams them (and must bound nothing that is real).
            try db.execute("""
                WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT \(rng.pick([100, 5000, 50_000])))
                INSERT INTO heartbeat (monitor_id, status, time)
                SELECT \(monitor), x % 4, strftime('%Y-%m-%d %H:%M:%f', '2026-11-01', '+' || x || ' seconds') FROM r
                """)
        case 12:
            try db.execute("UPDATE heartbeat SET time = replace(time, '2026', '\(rng.pick(["9999", "0001", "2026", "1970"]))') WHERE id % 3 = 0")
        case 13:
            try db.execute("UPDATE heartbeat SET time = (SELECT time FROM heartbeat WHERE id = \(heartbeat)) WHERE id = \(heartbeat + 1)")
        default:
            try db.execute("UPDATE monitor SET name = (SELECT name FROM monitor WHERE id = 1) WHERE id = \(monitor)")
        }
    }
}
