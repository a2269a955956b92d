import Calc
import Foundation

/// Anything that reads a status export into rows: it delivers them in batches and returns how many it read.
/// Each reader checks its own file (order within a series, in-file duplicates, bad values) and throws a
/// `Diagnostic` naming the place.
protocol StatusRowSource {
    func parse(batch: ([StatusRow]) throws -> Void) throws -> Int
}

extension StatusCSVParser: StatusRowSource {}

extension Store {
    /// Imports one status export in a single transaction: on any error nothing from the file is kept.
    func importStatus(from source: StatusRowSource, format: String, recordedPath: String, displayName: String,
                      sha256: String, replace: Bool) throws -> ImportSummary {
        var summary = ImportSummary(path: recordedPath, format: format, sha256: sha256)
        if try importedFile(sha256: sha256) != nil {
            summary.alreadyImported = true
            return summary
        }
        try database.transaction {
            try database.statement("""
                INSERT INTO import_file (path, sha256, kind, format, rows, stored, replaced, replace_requested)
                VALUES (?, ?, 'status', ?, 0, 0, 0, ?)
                """).bind(.text(recordedPath), .text(sha256), .text(format), .int(replace ? 1 : 0)).run()
            let fileID = database.lastInsertRowID
            var writer = StatusSampleWriter(store: self, fileID: fileID, displayName: displayName, replace: replace)
            summary.rows = try source.parse { batch in
                for row in batch { try writer.write(row, summary: &summary) }
            }
            try database.statement("UPDATE import_file SET rows = ?, stored = ?, replaced = ? WHERE id = ?")
                .bind(.int(Int64(summary.rows)), .int(Int64(summary.stored)), .int(Int64(summary.replaced)), .int(fileID)).run()
        }
        return summary
    }
}

/// Writes parsed rows, deduplicating against stored samples and catching contradictions.
private struct StatusSampleWriter {
    let store: Store
    let fileID: Int64
    let displayName: String
    let replace: Bool
    var seriesIDs: [String: [String: Int64]] = [:]

    init(store: Store, fileID: Int64, displayName: String, replace: Bool) {
        self.store = store
        self.fileID = fileID
        self.displayName = displayName
        self.replace = replace
    }

    mutating func seriesID(service: String, region: String) throws -> Int64 {
        if let id = seriesIDs[service]?[region] { return id }
        let db = store.database
        try db.statement("INSERT OR IGNORE INTO status_series (service, region) VALUES (?, ?)")
            .bind(.text(service), .text(region)).run()
        let lookup = try db.statement("SELECT id FROM status_series WHERE service = ? AND region = ?")
        try lookup.bind(.text(service), .text(region))
        _ = try lookup.step()
        let id = lookup.int(0)
        seriesIDs[service, default: [:]][region] = id
        return id
    }

    mutating func write(_ row: StatusRow, summary: inout ImportSummary) throws {
        let db = store.database
        let series = try seriesID(service: row.service, region: row.region)
        try db.statement("""
            INSERT OR IGNORE INTO status_sample (series_id, t, status, response_time_ms, message, file_id)
            VALUES (?, ?, ?, ?, ?, ?)
            """).bind(.int(series), .int(row.time), .int(Int64(row.status.rawValue)),
                      row.responseTimeMs.map { .int($0) } ?? .null, row.message.map { .text($0) } ?? .null,
                      .int(fileID)).run()
        if db.changes == 1 {
            summary.stored += 1
            return
        }
        let existing = try db.statement("""
            SELECT s.status, f.path FROM status_sample s JOIN import_file f ON f.id = s.file_id
            WHERE s.series_id = ? AND s.t = ?
            """)
        try existing.bind(.int(series), .int(row.time))
        _ = try existing.step()
        let stored = ObservedStatus(rawValue: UInt8(truncatingIfNeeded: existing.int(0))) ?? .unknown
        if stored == row.status {
            summary.duplicates += 1
            return
        }
        guard replace else {
            let seriesName = row.region.isEmpty ? row.service : "\(row.service)/\(row.region)"
            throw Diagnostic(file: displayName, line: row.line, column: 1, message:
                "conflicts with a stored sample: \(seriesName) at \(Timestamp.format(row.time)) is \(row.status.name) here but "
                + "\(stored.name) in \(existing.text(1)); nothing from this file was stored (re-import with --replace to overwrite)")
        }
        try db.statement("""
            UPDATE status_sample SET status = ?, response_time_ms = ?, message = ?, file_id = ? WHERE series_id = ? AND t = ?
            """).bind(.int(Int64(row.status.rawValue)), row.responseTimeMs.map { .int($0) } ?? .null,
                      row.message.map { .text($0) } ?? .null, .int(fileID), .int(series), .int(row.time)).run()
        try db.statement("INSERT INTO replacement (file_id, series_id, t, old_status, new_status) VALUES (?, ?, ?, ?, ?)")
            .bind(.int(fileID), .int(series), .int(row.time), .int(Int64(stored.rawValue)), .int(Int64(row.status.rawValue))).run()
        summary.replaced += 1
    }
}
