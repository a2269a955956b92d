import Ingest
import Calc
import Foundation

/// The embedded database: imported files, status and metric series and their samples (schema version 2).
///
/// Status samples are stored as runs (`status_run`): samples `t0, t0 + step, …` of one status from one file.
/// The runs of a series never overlap in time (`[t0, last]` ranges are disjoint), so the run holding a time,
/// if any, is the last one starting at or before it.
///
/// WAL journal, one transaction per imported file: a file is stored whole or not at all, and a
/// `kill -9` at any moment leaves the last committed state.
package final class Store {
    package let database: Database

    package static let schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA foreign_keys = ON;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '2');
        CREATE TABLE IF NOT EXISTS import_file (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            format TEXT NOT NULL,
            rows INTEGER NOT NULL,
            stored INTEGER NOT NULL,
            replaced INTEGER NOT NULL,
            replace_requested INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS status_series (
            id INTEGER PRIMARY KEY,
            service TEXT NOT NULL,
            region TEXT NOT NULL,
            UNIQUE (service, region)
        );
        CREATE TABLE IF NOT EXISTS status_run (
            series_id INTEGER NOT NULL REFERENCES status_series (id),
            t0 INTEGER NOT NULL,
            step INTEGER NOT NULL,
            count INTEGER NOT NULL,
            status INTEGER NOT NULL,
            file_id INTEGER NOT NULL REFERENCES import_file (id),
            PRIMARY KEY (series_id, t0)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS replacement (
            file_id INTEGER NOT NULL REFERENCES import_file (id),
            series_id INTEGER NOT NULL,
            t INTEGER NOT NULL,
            old_status INTEGER NOT NULL,
            new_status INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS metric_series (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            labels TEXT NOT NULL,
            UNIQUE (name, labels)
        );
        CREATE TABLE IF NOT EXISTS metric_sample (
            series_id INTEGER NOT NULL REFERENCES metric_series (id),
            t INTEGER NOT NULL,
            value TEXT NOT NULL,
            file_id INTEGER NOT NULL REFERENCES import_file (id),
            PRIMARY KEY (series_id, t)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS metric_replacement (
            file_id INTEGER NOT NULL REFERENCES import_file (id),
            series_id INTEGER NOT NULL,
            t INTEGER NOT NULL,
            old_value TEXT NOT NULL,
            new_value TEXT NOT NULL
        );
        """

    package init(path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        database = try Database(path: path.path)
        try Store.checkSchemaVersion(database, path: path.path)
        try database.execute(Store.schema)
    }

    package static let schemaVersion = "2"

    /// A database written by another schema version: the project has no migrations yet.
    package struct SchemaVersionError: Error, CustomStringConvertible {
        package var path: String
        package var found: String
        package var description: String {
            "\(path) has schema version \(found), this slareport needs version \(Store.schemaVersion) (samples are now "
                + "stored as runs); re-import the exports into a new database (move or delete this one first)"
        }
    }

    /// Throws `SchemaVersionError` when `database` was created with another schema; a new or partly created
    /// database (no version recorded yet) passes.
    package static func checkSchemaVersion(_ database: Database, path: String) throws {
        let meta = try database.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        defer { meta.reset() }
        guard try meta.step() else { return }
        let version = try database.statement("SELECT value FROM meta WHERE key = 'schema_version'")
        defer { version.reset() }
        guard try version.step() else { return }
        let found = version.text(0)
        if found != schemaVersion { throw SchemaVersionError(path: path, found: found) }
    }

    /// An already-imported file with these bytes, if any.
    package func importedFile(sha256: String) throws -> (path: String, rows: Int)? {
        let s = try database.statement("SELECT path, rows FROM import_file WHERE sha256 = ?")
        try s.bind(.text(sha256))
        return try s.step() ? (s.text(0), Int(s.int(1))) : nil
    }

    package struct ImportedFile: Equatable {
        package var path: String
        package var sha256: String
        package var kind: String
        package var format: String
        package var rows: Int
    }

    /// Every file in the import log, sorted by path then hash, so the order files were imported in never shows.
    package func importedFiles() throws -> [ImportedFile] {
        let s = try database.statement("SELECT path, sha256, kind, format, rows FROM import_file ORDER BY path, sha256")
        var out: [ImportedFile] = []
        while try s.step() {
            out.append(ImportedFile(path: s.text(0), sha256: s.text(1), kind: s.text(2), format: s.text(3), rows: Int(s.int(4))))
        }
        return out
    }

    /// All series of a service, with their samples in `[from, to)` in time order (as runs, cut to the range).
    package func statusSeries(service: String, from: Millis, to: Millis) throws -> [StatusSeries] {
        let ids = try database.statement("SELECT id, region FROM status_series WHERE service = ? ORDER BY region")
        try ids.bind(.text(service))
        var regions: [(Int64, String)] = []
        while try ids.step() { regions.append((ids.int(0), ids.text(1))) }
        ids.reset()
        // The run holding `from` (the last one starting at or before it), then every run starting before `to`.
        let runs = try database.statement("""
            SELECT t0, step, count, status FROM status_run
            WHERE series_id = ?1 AND t0 < ?3
              AND t0 >= coalesce((SELECT max(t0) FROM status_run WHERE series_id = ?1 AND t0 <= ?2), ?2)
            ORDER BY t0
            """)
        return try regions.map { id, region in
            try runs.bind(.int(id), .int(from), .int(to))
            var out: [StatusRun] = []
            while try runs.step() {
                let status = ObservedStatus(rawValue: UInt8(truncatingIfNeeded: runs.int(3))) ?? .unknown
                var run = StatusRun(t0: runs.int(0), step: runs.int(1), count: runs.int(2), status: status)
                if run.t0 < from {
                    if run.last < from { continue }
                    let skip = (from - run.t0 + run.step - 1) / run.step
                    run.t0 += skip * run.step
                    run.count -= skip
                }
                if run.last >= to { run.count = (to - 1 - run.t0) / run.step + 1 }
                if run.count == 1 { run.step = 0 }
                out.append(run)
            }
            runs.reset()
            return StatusSeries(region: region, runs: out)
        }
    }
}
