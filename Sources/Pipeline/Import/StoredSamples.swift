import Ingest
import Storage
import Calc
import Foundation

/// Read-only lookups in an existing database: has a file been imported, does a row contradict a stored sample.
/// Opening it changes nothing; without a database there is nothing to contradict.
package final class StoredSamples {
    package let database: Database
    private var seriesIDs: [String: [String: Int64?]] = [:]

    package init?(databasePath: URL) throws {
        guard FileManager.default.fileExists(atPath: databasePath.path) else { return nil }
        do {
            database = try Database(path: databasePath.path, readOnly: true)
            try Store.checkSchemaVersion(database, path: databasePath.path)
            _ = try database.statement("SELECT count(*) FROM import_file").step()
        } catch {
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [
                Diagnostic(file: databasePath.path, message: "cannot read the database: \(error)"),
            ])
        }
    }

    package func isImported(sha256: String) throws -> Bool {
        let s = try database.statement("SELECT 1 FROM import_file WHERE sha256 = ?")
        try s.bind(.text(sha256))
        return try s.step()
    }

    /// Throws the conflict `run` would report for `row` (of series `name`), if a stored sample says otherwise;
    /// `location` says where the row is.
    package func checkNoConflict(_ row: CompactStatusRow, series name: StatusSeriesName, file: String,
                                 location: (Int) -> Diagnostic.Location) throws {
        guard let series = try seriesID(service: name.service, region: name.region),
              let (stored, path) = try database.storedStatus(seriesID: series, time: row.time),
              stored != row.status else { return }
        throw Diagnostic.conflict(file: file, at: location(row.line),
                                  series: name.region.isEmpty ? name.service : "\(name.service)/\(name.region)",
                                  time: row.time, here: row.status.name, stored: stored.name, storedIn: path, checking: true)
    }

    private func seriesID(service: String, region: String) throws -> Int64? {
        if let known = seriesIDs[service]?[region] { return known }
        let id = try database.statusSeriesID(service: service, region: region)
        seriesIDs[service, default: [:]][region] = .some(id)
        return id
    }
}

/// `check`'s sink: reads every row as an import would and, when the database exists, looks each one up read-only
/// among the stored samples, so a file that `run` would reject as a conflict is caught too. Nothing is written.
///
/// A file whose bytes were imported before is still read (its rows counted, its problems found) but not looked
/// up. `replace` is not looked at: `check` reads the config's inputs, which `run` imports without it.
package struct ConflictCheck: ImportSink {
    /// nil when there is no database yet.
    package let stored: StoredSamples?

    package init(stored: StoredSamples?) {
        self.stored = stored
    }

    package func importStatus(from source: StatusRowSource, format: StatusFormat, recordedPath: String, displayName: String,
                              sha256: String, replace: Bool) throws -> ImportSummary {
        var summary = try checking(.status(format), displayName: displayName, sha256: sha256)
        let lookup = summary.alreadyImported ? nil : stored
        var counts: [Int] = [], services: [String] = []   // by the source's series number
        summary.rows = try source.parseCompact { batch in
            services = batch.series.map(\.service)
            if counts.count < services.count { counts += repeatElement(0, count: services.count - counts.count) }
            for row in batch.rows { counts[Int(row.series)] += 1 }
            guard let lookup else { return }
            for row in batch.rows {
                try lookup.checkNoConflict(row, series: batch.series[Int(row.series)], file: displayName,
                                           location: source.location(ofRow:))
            }
        }
        for (series, count) in counts.enumerated() where count > 0 { summary.samplesByService[services[series], default: 0] += count }
        return summary
    }

    package func importMetrics(from source: MetricRowSource, format: MetricFormat, recordedPath: String, displayName: String,
                               sha256: String, replace: Bool) throws -> ImportSummary {
        var summary = try checking(.metrics(format), displayName: displayName, sha256: sha256)
        let lookup = summary.alreadyImported ? nil : try stored?.metricLookup()
        summary.rows = try source.parse { batch in
            for row in batch { summary.samplesBySeries[row.series, default: 0] += 1 }
            guard let lookup else { return }
            for row in batch { try lookup.checkNoConflict(row, file: displayName) }
        }
        return summary
    }

    /// The summary of a checked file; it names the file as the config does, since nothing records it.
    private func checking(_ format: InputFormat, displayName: String, sha256: String) throws -> ImportSummary {
        var summary = ImportSummary(path: displayName, format: format, sha256: sha256)
        summary.checkOnly = true
        summary.alreadyImported = try stored?.isImported(sha256: sha256) ?? false
        return summary
    }
}
