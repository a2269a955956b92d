import Ingest
import Calc
import Foundation

extension Store {
    /// Imports one metric export in a single transaction: on any error nothing from the file is kept. The rules are
    /// status imports' (SPEC §4): a file with a known SHA-256 is skipped; a sample equal to a stored one (same series,
    /// time and exact value) is counted as already stored; a different value rejects the file unless `replace`,
    /// which overwrites it and logs the change in `metric_replacement`.
    package func importMetrics(from source: MetricRowSource, format: MetricFormat, recordedPath: String, displayName: String,
                               sha256: String, replace: Bool) throws -> ImportSummary {
        try importFile(format: .metrics(format), recordedPath: recordedPath, sha256: sha256, replace: replace) {
            fileID, summary in
            var writer = MetricSampleWriter(store: self, fileID: fileID, displayName: displayName, replace: replace)
            summary.rows = try source.parse { batch in
                for row in batch { try writer.write(row, summary: &summary) }
            }
        }
    }
}

/// Writes parsed metric rows, deduplicating against stored samples and catching contradictions.
private struct MetricSampleWriter {
    let store: Store
    let fileID: Int64
    let displayName: String
    let replace: Bool
    var seriesIDs: [MetricSeriesKey: Int64] = [:]

    init(store: Store, fileID: Int64, displayName: String, replace: Bool) {
        self.store = store
        self.fileID = fileID
        self.displayName = displayName
        self.replace = replace
    }

    mutating func seriesID(_ series: MetricSeriesKey) throws -> Int64 {
        if let id = seriesIDs[series] { return id }
        let db = store.database
        let labels = series.labelText
        try db.statement("INSERT OR IGNORE INTO metric_series (name, labels) VALUES (?, ?)")
            .bind(.text(series.name), .text(labels)).run()
        let lookup = try db.statement("SELECT id FROM metric_series WHERE name = ? AND labels = ?")
        try lookup.bind(.text(series.name), .text(labels))
        _ = try lookup.step()
        let id = lookup.int(0)
        seriesIDs[series] = id
        return id
    }

    mutating func write(_ row: MetricRow, summary: inout ImportSummary) throws {
        let db = store.database
        let series = try seriesID(row.series)
        let value = row.value.description
        try db.statement("INSERT OR IGNORE INTO metric_sample (series_id, t, value, file_id) VALUES (?, ?, ?, ?)")
            .bind(.int(series), .int(row.time), .text(value), .int(fileID)).run()
        if db.changes == 1 {
            summary.stored += 1
            summary.samplesBySeries[row.series, default: 0] += 1
            return
        }
        let existing = try db.statement("""
            SELECT s.value, f.path FROM metric_sample s JOIN import_file f ON f.id = s.file_id
            WHERE s.series_id = ? AND s.t = ?
            """)
        try existing.bind(.int(series), .int(row.time))
        _ = try existing.step()
        // Both texts are `MetricValue.description`, the canonical form: equal text is an equal value.
        let stored = existing.text(0)
        if stored == value {
            summary.duplicates += 1
            return
        }
        guard replace else {
            throw Diagnostic.conflict(file: displayName, at: .line(row.line, column: 1), series: row.series.identity,
                                      time: row.time, here: value, stored: stored, storedIn: existing.text(1))
        }
        try db.statement("UPDATE metric_sample SET value = ?, file_id = ? WHERE series_id = ? AND t = ?")
            .bind(.text(value), .int(fileID), .int(series), .int(row.time)).run()
        try db.statement("INSERT INTO metric_replacement (file_id, series_id, t, old_value, new_value) VALUES (?, ?, ?, ?, ?)")
            .bind(.int(fileID), .int(series), .int(row.time), .text(stored), .text(value)).run()
        summary.replaced += 1
        summary.samplesBySeries[row.series, default: 0] += 1
    }
}
