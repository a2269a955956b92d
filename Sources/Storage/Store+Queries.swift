import Ingest
import Calc

extension Store {
    /// The time of the earliest stored status or metric sample, or nil for an empty store.
    package func earliestSampleTime() throws -> Millis? {
        let s = try database.statement("""
            SELECT min(t) FROM (SELECT min(t0) AS t FROM status_run UNION ALL SELECT min(t) FROM metric_sample)
            """)
        defer { s.reset() }
        guard try s.step(), !s.isNull(0) else { return nil }
        return s.int(0)
    }

    /// Whether any status sample, of any series, lies in `[interval.start, interval.end)` (§10.1: a period without
    /// one is refused, not reported). A run's samples are at `t0 + k · step`, k < count; the first at or after
    /// `start` is k = ⌈(start − t0) / step⌉.
    package func hasStatusSamples(in interval: Interval) throws -> Bool {
        let s = try database.statement("""
            SELECT EXISTS (SELECT 1 FROM status_run
                           WHERE t0 < ?2 AND (t0 >= ?1 OR ((?1 - t0 + step - 1) / step < count
                                                            AND t0 + (?1 - t0 + step - 1) / step * step < ?2)))
            """)
        defer { s.reset() }
        try s.bind(.int(interval.start), .int(interval.end))
        _ = try s.step()
        return s.int(0) != 0
    }

    /// How many status samples are stored (all runs' samples).
    package func statusSampleCount() throws -> Int64 { try database.statusSampleCount() }

    /// The stored status of a series at `time` and the path of the file it came from, if a sample is stored there.
    package func storedStatus(service: String, region: String, time: Millis) throws -> (status: ObservedStatus, path: String)? {
        try database.storedStatus(service: service, region: region, time: time)
    }
}

/// Status queries that work on any connection to a store, including read-only ones (`check`, tests): samples
/// live in runs, so nothing outside the store should read `status_run` itself.
extension Database {
    /// How many status samples are stored; with `status`, only those with that status; with `service`, only that
    /// service's series.
    package func statusSampleCount(service: String? = nil, status: ObservedStatus? = nil) throws -> Int64 {
        let s = try statement("""
            SELECT coalesce(sum(r.count), 0) FROM status_run r JOIN status_series s ON s.id = r.series_id
            WHERE (?1 IS NULL OR s.service = ?1) AND (?2 IS NULL OR r.status = ?2)
            """)
        defer { s.reset() }
        try s.bind(service.map { .text($0) } ?? .null, status.map { .int(Int64($0.rawValue)) } ?? .null)
        _ = try s.step()
        return s.int(0)
    }

    /// Per imported file: its path, the rows and new samples its log entry records, and how many stored samples
    /// still come from it.
    package func importLogWithSampleCounts() throws -> [(path: String, rows: Int64, stored: Int64, samples: Int64)] {
        let s = try statement("""
            SELECT f.path, f.rows, f.stored, (SELECT coalesce(sum(r.count), 0) FROM status_run r WHERE r.file_id = f.id)
            FROM import_file f ORDER BY f.id
            """)
        defer { s.reset() }
        var out: [(String, Int64, Int64, Int64)] = []
        while try s.step() { out.append((s.text(0), s.int(1), s.int(2), s.int(3))) }
        return out
    }

    /// The id of a status series, if it is stored.
    package func statusSeriesID(service: String, region: String) throws -> Int64? {
        let s = try statement("SELECT id FROM status_series WHERE service = ? AND region = ?")
        defer { s.reset() }
        try s.bind(.text(service), .text(region))
        return try s.step() ? s.int(0) : nil
    }

    /// The stored run of series `seriesID` whose time range holds `time` (the last one starting at or before it),
    /// with its file id.
    package func statusRun(seriesID: Int64, holding time: Millis) throws -> (run: StatusRun, fileID: Int64)? {
        let s = try statement("""
            SELECT t0, step, count, status, file_id FROM status_run WHERE series_id = ? AND t0 <= ? ORDER BY t0 DESC LIMIT 1
            """)
        defer { s.reset() }
        try s.bind(.int(seriesID), .int(time))
        guard try s.step() else { return nil }
        let run = StatusRun(t0: s.int(0), step: s.int(1), count: s.int(2),
                            status: ObservedStatus(rawValue: UInt8(truncatingIfNeeded: s.int(3))) ?? .unknown)
        return run.last >= time ? (run, s.int(4)) : nil
    }

    /// The stored status of series `seriesID` at `time`, if a sample is stored there, and the path of its file.
    package func storedStatus(seriesID: Int64, time: Millis) throws -> (status: ObservedStatus, path: String)? {
        guard let (run, fileID) = try statusRun(seriesID: seriesID, holding: time) else { return nil }
        let offset = time - run.t0
        guard offset == 0 || (run.step > 0 && offset % run.step == 0) else { return nil }
        return (run.status, try importedFilePath(id: fileID))
    }

    package func storedStatus(service: String, region: String, time: Millis) throws -> (status: ObservedStatus, path: String)? {
        guard let id = try statusSeriesID(service: service, region: region) else { return nil }
        return try storedStatus(seriesID: id, time: time)
    }

    /// The recorded path of an imported file.
    package func importedFilePath(id: Int64) throws -> String {
        let s = try statement("SELECT path FROM import_file WHERE id = ?")
        defer { s.reset() }
        try s.bind(.int(id))
        return try s.step() ? s.text(0) : ""
    }

    /// The replacement log: each replaced sample's old and new status, in the order they were logged.
    package func replacements() throws -> [(old: ObservedStatus, new: ObservedStatus)] {
        let s = try statement("SELECT old_status, new_status FROM replacement ORDER BY rowid")
        defer { s.reset() }
        var out: [(ObservedStatus, ObservedStatus)] = []
        while try s.step() {
            out.append((ObservedStatus(rawValue: UInt8(truncatingIfNeeded: s.int(0))) ?? .unknown,
                        ObservedStatus(rawValue: UInt8(truncatingIfNeeded: s.int(1))) ?? .unknown))
        }
        return out
    }
}
