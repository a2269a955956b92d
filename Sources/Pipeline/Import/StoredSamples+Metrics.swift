import Ingest
import Storage
import Calc
import Foundation

extension StoredSamples {
    /// Read-only conflict lookups for metric rows; nil when the database predates the metric tables (so nothing
    /// stored can contradict a row).
    package func metricLookup() throws -> StoredMetricSamples? {
        let s = try database.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metric_sample'")
        return try s.step() ? StoredMetricSamples(database: database) : nil
    }
}

/// Looks metric rows up among the stored samples for `check`.
package struct StoredMetricSamples {
    package let database: Database

    /// Throws the conflict `run` would report for `row`, if a stored sample has another value.
    package func checkNoConflict(_ row: MetricRow, file: String) throws {
        let s = try database.statement("""
            SELECT s.value, f.path FROM metric_series m
            JOIN metric_sample s ON s.series_id = m.id JOIN import_file f ON f.id = s.file_id
            WHERE m.name = ? AND m.labels = ? AND s.t = ?
            """)
        try s.bind(.text(row.series.name), .text(row.series.labelText), .int(row.time))
        guard try s.step() else { return }
        let stored = s.text(0), value = row.value.description
        guard stored != value else { return }
        throw Diagnostic.conflict(file: file, at: .line(row.line, column: 1), series: row.series.identity, time: row.time,
                                  here: value, stored: stored, storedIn: s.text(1), checking: true)
    }
}
