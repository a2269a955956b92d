import Ingest
import Calc
import Foundation

/// What importing (or checking) one file did, and the one summary line per file that says so.
package struct ImportSummary {
    /// The path the import log records; for `check`, which records nothing, the file as the config names it.
    package var path: String
    package var format: InputFormat
    package var sha256: String
    /// Rows read from the file (after in-file exact duplicates were dropped).
    package var rows = 0
    /// New samples stored.
    package var stored = 0
    /// Rows identical to samples already stored.
    package var duplicates = 0
    /// Stored samples overwritten under `--replace`.
    package var replaced = 0
    /// The file's bytes were imported before.
    package var alreadyImported = false
    /// `auto` chose the format from the file's content.
    package var detected = false
    /// The file was only read and looked up against the store (`check`): nothing was stored.
    package var checkOnly = false
    /// What the reader said about the file besides its rows (printed before the summary line).
    package var warnings: [Diagnostic] = []
    /// Status files: the samples of each service the file holds (new ones when stored; every row when checked).
    package var samplesByService: [String: Int] = [:]
    /// Metric files: the samples of each series the file holds (new or replaced ones when stored; every row when
    /// checked).
    package var samplesBySeries: [MetricSeriesKey: Int] = [:]
    /// The services of `samplesByService` that no configured service names (`status_series`), or the series of
    /// `samplesBySeries` that no configured selector matches, sorted: their samples are stored but count in no report
    /// (SPEC §10.2). Set by the importer, which knows the configuration.
    package var unmapped: [(service: String, samples: Int)] = []

    package init(path: String, format: InputFormat, sha256: String) {
        self.path = path
        self.format = format
        self.sha256 = sha256
    }

    /// The summary line, the one wording for every kind, format and command:
    ///
    /// - `imported exports/api.csv (csv): 8928 rows, 8928 new, 0 already stored, 0 replaced`; `(prometheus-json,
    ///   detected)` when `auto` chose the format;
    /// - `skipped exports/api.csv: already imported (same SHA-256)`;
    /// - `m.json (prometheus-json): warning: no metric samples, nothing to import` (`header only` for a CSV; a status
    ///   CSV's line names no format, as it did before there were other status formats);
    /// - for `check`: `ok exports/api.csv (csv): 8928 rows`, with `, already imported` when it was (a checked file is
    ///   read either way, so its rows are counted and the warnings still apply).
    package var line: String {
        if alreadyImported && !checkOnly { return "skipped \(path): already imported (same SHA-256)" }
        let how = detected ? "\(format.name), detected" : format.name
        if rows == 0 {
            switch format {
            case .status(.csv):
                return "\(path): warning: header only, nothing to import"
            case .metrics(.csv):
                return "\(path) (\(how)): warning: header only, nothing to import"
            case .status, .metrics:
                return "\(path) (\(how)): warning: no \(format.kind == .status ? "status" : "metric") samples, nothing to import"
            }
        }
        let warned = warnings.isEmpty ? "" : ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"
        let read = "\(rows) row\(rows == 1 ? "" : "s")"
        if checkOnly {
            return "ok \(path) (\(how)): \(read)\(alreadyImported ? ", already imported" : "")\(warned)\(unmappedText)"
        }
        return "imported \(path) (\(how)): \(read), \(stored) new, \(duplicates) already stored, \(replaced) replaced"
            + warned + unmappedText
    }
}

extension ImportSummary {
    /// `; 1440 samples of "db-old" and "legacy", which no service's status_series names` (for metrics: series, `which
    /// no service's metric selectors match`): up to five on an import's line, all of them on `check`'s.
    var unmappedText: String {
        guard !unmapped.isEmpty else { return "" }
        let total = unmapped.reduce(0) { $0 + $1.samples }
        let shown = checkOnly ? unmapped[...] : unmapped.prefix(5)
        var names = shown.map { MessageText.quoted($0.service) }
        if shown.count < unmapped.count { names.append("\(unmapped.count - shown.count) more") }
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
        let nobody = format.kind == .status ? "which no service's status_series names" : "which no service's metric selectors match"
        return "; \(total) sample\(total == 1 ? "" : "s") of \(list), \(nobody)"
    }
}

extension Diagnostic {
    /// A row that contradicts a stored sample: `conflicts with a stored sample: api at 2026-10-01T00:00:00Z is down here
    /// but up in a.csv`, then what it means for the file: nothing of it stored, or (`checking`, said by `check`,
    /// which stores nothing) that `run` would reject it.
    package static func conflict(file: String, at location: Location, series: String, time: Millis, here: String,
                                 stored: String, storedIn path: String, checking: Bool = false) -> Diagnostic {
        Diagnostic(file: file, location: location, message: "conflicts with a stored sample: \(series) at "
                   + "\(Timestamp.format(time)) is \(here) here but \(stored) in \(path)",
                   hint: checking ? "run would reject this file (import it with --replace to overwrite)"
                                  : "nothing from this file was stored (re-import with --replace to overwrite)")
    }
}
