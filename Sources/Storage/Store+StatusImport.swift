import Ingest
import Calc
import Foundation

extension Store {
    /// Imports one status export in a single transaction: on any error nothing from the file is kept.
    package func importStatus(from source: StatusRowSource, format: StatusFormat, recordedPath: String, displayName: String,
                              sha256: String, replace: Bool) throws -> ImportSummary {
        try importFile(format: .status(format), recordedPath: recordedPath, sha256: sha256, replace: replace) {
            fileID, summary in
            var writer = StatusSampleWriter(store: self, fileID: fileID, displayName: displayName, replace: replace,
                                            location: source.location(ofRow:))
            summary.rows = try source.parseCompact { batch in
                let names = batch.series
                for row in batch.rows { try writer.write(row, names: names, summary: &summary) }
            }
            try writer.finish()
            summary.samplesByService = try writer.newSamplesByService()
        }
    }
}


/// Writes parsed rows as runs, deduplicating against stored samples and catching contradictions.
///
/// Each series of the file keeps a cursor on the stored runs (from earlier files) at or after its last row, and
/// the run it is building. Rows come in ascending time order per series, so one pass over the stored runs
/// suffices: a row no stored run's range holds is new and extends the run being built; a row inside a stored
/// run's range is a stored sample (duplicate, or conflict / replacement) when it falls on the run's grid, else new
/// (the stored run is split around it so runs never overlap). The run being built is written out whenever a stored
/// run lies before the next row, so the file's runs never overlap stored ones either.
private struct StatusSampleWriter {
    let store: Store
    let fileID: Int64
    let displayName: String
    let replace: Bool
    /// Where a row is, for a conflict's diagnostic (its source's `location(ofRow:)`).
    let location: (Int) -> Diagnostic.Location
    var seriesIndex: [String: [String: Int]] = [:]
    var series: [SeriesState] = []
    /// The writer's series number of each of the source's series numbers, -1 while not yet seen. The source numbers
    /// series by exact bytes; the writer, as ever, by `String` equality (so canonically equal names share a series).
    var sourceSeries: [Int] = []

    struct Run {
        var t0: Millis
        var step: Millis
        var count: Int64
        var status: ObservedStatus
        var fileID: Int64
        var last: Millis { t0 + step * (count - 1) }
    }

    struct SeriesState {
        var id: Int64
        /// The first stored run (from an earlier file) whose last sample is at or after the series' last row.
        var stored: Run?
        /// The run of this file being built.
        var building: Run?
        /// The time of the file's last row of this series: rows must ascend (see `write`).
        var lastRow: Millis?
    }

    init(store: Store, fileID: Int64, displayName: String, replace: Bool, location: @escaping (Int) -> Diagnostic.Location) {
        self.store = store
        self.fileID = fileID
        self.displayName = displayName
        self.replace = replace
        self.location = location
    }

    mutating func seriesNumber(_ row: CompactStatusRow, names: [StatusSeriesName]) throws -> Int {
        let source = Int(row.series)
        if source < sourceSeries.count, sourceSeries[source] >= 0 { return sourceSeries[source] }
        let name = names[source]
        let number: Int
        if let known = seriesIndex[name.service]?[name.region] {
            number = known
        } else {
            let db = store.database
            try db.statement("INSERT OR IGNORE INTO status_series (service, region) VALUES (?, ?)")
                .bind(.text(name.service), .text(name.region)).run()
            let isNew = db.changes == 1
            let id = isNew ? db.lastInsertRowID : try db.statusSeriesID(service: name.service, region: name.region)!
            var state = SeriesState(id: id)
            if !isNew {
                if let (run, file) = try db.statusRun(seriesID: id, holding: row.time) {
                    state.stored = Run(t0: run.t0, step: run.step, count: run.count, status: run.status, fileID: file)
                } else {
                    state.stored = try storedRun(series: id, after: row.time)
                }
            }
            number = series.count
            series.append(state)
            seriesIndex[name.service, default: [:]][name.region] = number
        }
        if source >= sourceSeries.count { sourceSeries.append(contentsOf: repeatElement(-1, count: source + 1 - sourceSeries.count)) }
        sourceSeries[source] = number
        return number
    }

    /// The first run of an earlier file starting after `time`.
    func storedRun(series: Int64, after time: Millis) throws -> Run? {
        let s = try store.database.statement("""
            SELECT t0, step, count, status, file_id FROM status_run WHERE series_id = ? AND t0 > ? AND file_id <> ?
            ORDER BY t0 LIMIT 1
            """)
        defer { s.reset() }
        try s.bind(.int(series), .int(time), .int(fileID))
        guard try s.step() else { return nil }
        return Run(t0: s.int(0), step: s.int(1), count: s.int(2),
                   status: ObservedStatus(rawValue: UInt8(truncatingIfNeeded: s.int(3))) ?? .unknown, fileID: s.int(4))
    }

    /// The samples this file added, by service: its runs of each series it touched (looked up by the series key, so
    /// the cost grows with the file's series, not with the store).
    func newSamplesByService() throws -> [String: Int] {
        let s = try store.database.statement("SELECT coalesce(sum(count), 0) FROM status_run WHERE series_id = ? AND file_id = ?")
        var out: [String: Int] = [:]
        for (service, regions) in seriesIndex {
            for number in regions.values {
                defer { s.reset() }
                try s.bind(.int(series[number].id), .int(fileID))
                if try s.step() { out[service, default: 0] += Int(s.int(0)) }
            }
        }
        return out
    }

    func insert(_ run: Run, series: Int64) throws {
        try store.database.statement("""
            INSERT INTO status_run (series_id, t0, step, count, status, file_id) VALUES (?, ?, ?, ?, ?, ?)
            """).bind(.int(series), .int(run.t0), .int(run.count == 1 ? 0 : run.step), .int(run.count),
                      .int(Int64(run.status.rawValue)), .int(run.fileID)).run()
    }

    func delete(series: Int64, t0: Millis) throws {
        try store.database.statement("DELETE FROM status_run WHERE series_id = ? AND t0 = ?").bind(.int(series), .int(t0)).run()
    }

    mutating func flush(_ number: Int) throws {
        guard let run = series[number].building else { return }
        try insert(run, series: series[number].id)
        series[number].building = nil
    }

    /// Replaces stored run `run` by its samples before `time` and from `resume` on; returns the later part.
    func split(_ run: Run, series id: Int64, before time: Millis, resumingAt resume: Millis) throws -> Run? {
        try delete(series: id, t0: run.t0)
        let before = time <= run.t0 ? 0 : (time - run.t0 + run.step - 1) / run.step  // samples earlier than `time`
        if before > 0 { try insert(Run(t0: run.t0, step: run.step, count: before, status: run.status, fileID: run.fileID), series: id) }
        guard run.step > 0, resume <= run.last else { return nil }
        let skipped = (resume - run.t0) / run.step
        let later = Run(t0: resume, step: run.step, count: run.count - skipped, status: run.status, fileID: run.fileID)
        try insert(later, series: id)
        return later
    }

    mutating func write(_ row: CompactStatusRow, names: [StatusSeriesName], summary: inout ImportSummary) throws {
        let number = try seriesNumber(row, names: names)
        let t = row.time
        let id = series[number].id
        // Readers check each series' order, but two spellings of one name (NFC and NFD) are one series here; a reader
        // that let them through would make runs overlap, so the store refuses rather than stores that.
        if let last = series[number].lastRow, t <= last {
            let name = names[Int(row.series)]
            let seriesName = MessageText.escaped(name.region.isEmpty ? name.service : "\(name.service)/\(name.region)")
            throw Diagnostic(file: displayName, location: location(row.line), message: "out of order: \(seriesName) at "
                             + "\(Timestamp.format(t)) is not after \(Timestamp.format(last)), an earlier row's time; the file "
                             + "writes this name in two ways that are one name in Unicode (NFC)")
        }
        series[number].lastRow = t
        while let stored = series[number].stored, stored.last < t {
            try flush(number)
            series[number].stored = try storedRun(series: id, after: stored.t0)
        }
        if let stored = series[number].stored, stored.t0 <= t {
            try flush(number)
            let offset = t - stored.t0
            if offset == 0 || offset % stored.step == 0 {
                if stored.status == row.status {
                    summary.duplicates += 1
                    return
                }
                guard replace else {
                    let path = try store.database.importedFilePath(id: stored.fileID)
                    let name = names[Int(row.series)]
                    let seriesName = name.region.isEmpty ? name.service : "\(name.service)/\(name.region)"
                    throw Diagnostic.conflict(file: displayName, at: location(row.line), series: seriesName, time: t,
                                              here: row.status.name, stored: stored.status.name, storedIn: path)
                }
                let later = try split(stored, series: id, before: t, resumingAt: t + stored.step)
                series[number].stored = try later ?? storedRun(series: id, after: t)
                try store.database.statement("INSERT INTO replacement (file_id, series_id, t, old_status, new_status) VALUES (?, ?, ?, ?, ?)")
                    .bind(.int(fileID), .int(id), .int(t), .int(Int64(stored.status.rawValue)), .int(Int64(row.status.rawValue))).run()
                summary.replaced += 1
            } else {
                // Between two samples of a stored run: a new sample, and the stored run is cut around it.
                let resume = stored.t0 + (offset / stored.step + 1) * stored.step
                series[number].stored = try split(stored, series: id, before: t, resumingAt: resume)
                summary.stored += 1
            }
            series[number].building = Run(t0: t, step: 0, count: 1, status: row.status, fileID: fileID)
            return
        }
        summary.stored += 1
        if var run = series[number].building, run.status == row.status, run.count == 1 || t - run.last == run.step {
            if run.count == 1 { run.step = t - run.t0 }
            run.count += 1
            series[number].building = run
        } else {
            try flush(number)
            series[number].building = Run(t0: t, step: 0, count: 1, status: row.status, fileID: fileID)
        }
    }

    /// Writes the runs still being built.
    mutating func finish() throws {
        for number in series.indices { try flush(number) }
    }
}
