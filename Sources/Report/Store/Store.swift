import Calc
import Foundation

/// The embedded database: imported files, status and metric series and their samples (schema version 1).
///
/// WAL journal, one transaction per imported file: a file is stored whole or not at all, and a
/// `kill -9` at any moment leaves the last committed state.
final class Store {
    let database: Database

    static let schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA foreign_keys = ON;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
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
        CREATE TABLE IF NOT EXISTS status_sample (
            series_id INTEGER NOT NULL REFERENCES status_series (id),
            t INTEGER NOT NULL,
            status INTEGER NOT NULL,
            response_time_ms INTEGER,
            message TEXT,
            file_id INTEGER NOT NULL REFERENCES import_file (id),
            PRIMARY KEY (series_id, t)
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

    init(path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        database = try Database(path: path.path)
        try database.execute(Store.schema)
    }

    /// An already-imported file with these bytes, if any.
    func importedFile(sha256: String) throws -> (path: String, rows: Int)? {
        let s = try database.statement("SELECT path, rows FROM import_file WHERE sha256 = ?")
        try s.bind(.text(sha256))
        return try s.step() ? (s.text(0), Int(s.int(1))) : nil
    }

    struct ImportedFile: Equatable {
        var path: String
        var sha256: String
        var kind: String
        var format: String
        var rows: Int
    }

    /// Every file in the import log, sorted by path then hash, so the order files were imported in never shows.
    func importedFiles() throws -> [ImportedFile] {
        let s = try database.statement("SELECT path, sha256, kind, format, rows FROM import_file ORDER BY path, sha256")
        var out: [ImportedFile] = []
        while try s.step() {
            out.append(ImportedFile(path: s.text(0), sha256: s.text(1), kind: s.text(2), format: s.text(3), rows: Int(s.int(4))))
        }
        return out
    }

    /// All series of a service, with their samples in `[from, to)` in time order.
    func statusSeries(service: String, from: Millis, to: Millis) throws -> [StatusSeries] {
        let ids = try database.statement("SELECT id, region FROM status_series WHERE service = ? ORDER BY region")
        try ids.bind(.text(service))
        var regions: [(Int64, String)] = []
        while try ids.step() { regions.append((ids.int(0), ids.text(1))) }
        let samples = try database.statement(
            "SELECT t, status FROM status_sample WHERE series_id = ? AND t >= ? AND t < ? ORDER BY t")
        return try regions.map { id, region in
            try samples.bind(.int(id), .int(from), .int(to))
            var out: [StatusSample] = []
            while try samples.step() {
                let status = ObservedStatus(rawValue: UInt8(truncatingIfNeeded: samples.int(1))) ?? .unknown
                out.append(StatusSample(time: samples.int(0), status: status))
            }
            samples.reset()
            return StatusSeries(region: region, samples: out)
        }
    }
}
