import Ingest
import Storage
import Calc
import Foundation

/// What `import status` may add to a file's own content: the time limits and, for `prometheus-json`, the
/// labels that name a series' service.
package struct StatusImportOptions {
    package var range: StatusTimeRange = .all
    /// In order of preference; `prometheus-json` only.
    package var serviceLabels: [String] = PrometheusStatusReader.defaultServiceLabels

    package init(range: StatusTimeRange = .all, serviceLabels: [String] = PrometheusStatusReader.defaultServiceLabels) {
        self.range = range
        self.serviceLabels = serviceLabels
    }
}

/// Imports status exports file by file: each in its own transaction, one summary line per file.
package struct StatusImporter {
    package let config: Config
    package let store: Store
    package let log: Log

    /// The formats `import status --format` and `inputs.status[].format` accept.
    package static let formats = ["auto", "csv", "prometheus-json", "uptime-kuma", "statuspage"]

    /// Imports every file; files that fail are reported and the rest still imported. Throws exit 66 before
    /// importing anything when a file is missing, and exit 65 at the end when any file was rejected.
    @discardableResult
    package func importFiles(_ urls: [URL], names: [String], format: String, replace: Bool,
                     options: StatusImportOptions = StatusImportOptions()) throws -> [ImportSummary] {
        let readAhead = StatusReadAhead(urls.indices.map { StatusReadAhead.File(url: urls[$0], name: names[$0], format: format,
                                                                                 options: options) },
                                        databasePath: config.databasePath)
        return try importEach(urls, names: names, log: log) { index, url, name in
            let prefetched = readAhead.take(index)
            defer { prefetched?.cancel() }
            let (summary, detected) = try importFile(url, name: name, format: format, replace: replace, options: options,
                                                     prefetched: prefetched)
            return (summary, summary.line(detected: detected))
        }
    }

    /// Imports one file; `detected` is true when `auto` recognised the format by its content (a file that is
    /// neither SQLite nor JSON is read as CSV, the default, and is not reported as detected).
    package func importFile(_ url: URL, name: String, format requested: String, replace: Bool,
                    options: StatusImportOptions = StatusImportOptions(),
                    prefetched: StatusPrefetch? = nil) throws -> (summary: ImportSummary, detected: Bool) {
        let format = requested == "auto" ? try Self.detectFormat(url, name: name) : requested
        let detected = requested == "auto" && format != "csv"
        var source = try makeSource(format: format, url: url, name: name, options: options)
        let prefetched = format == "csv" ? prefetched : nil
        let sha256: String
        if let hash = prefetched?.sha256() {
            sha256 = hash
        } else {
            do { sha256 = try SHA256.hex(ofFileAt: url.path) } catch {
                throw Diagnostic(file: name, message: "cannot read the file: \(error.localizedDescription)")
            }
        }
        if let prefetched { source = PrefetchedSource(prefetch: prefetched, inline: source) }
        do {
            let summary = try store.importStatus(from: source, format: format, recordedPath: config.recordedPath(of: url),
                                                 displayName: name, sha256: sha256, replace: replace)
            return (summary, detected)
        } catch var diagnostic as Diagnostic where format == "uptime-kuma" && diagnostic.line != nil {
            // A database has no lines: the Kuma reader puts the heartbeat id in `StatusRow.line`, and the
            // store's conflict message points at that "line".
            diagnostic.message = "heartbeat \(diagnostic.line!): " + diagnostic.message
            diagnostic.line = nil
            diagnostic.column = nil
            throw diagnostic
        }
    }

    /// Starts reading `url` ahead when it is a CSV export (by `format`, or by content under `auto`).
    package static func prefetch(_ url: URL, name: String, format: String, options: StatusImportOptions,
                         databasePath: URL) -> StatusPrefetch? {
        guard format == "csv" || (format == "auto" && (try? detectFormat(url, name: name)) == "csv") else { return nil }
        let range = options.range
        return StatusPrefetch(url: url, source: { csvSource(url, name: name, range: range) }, databasePath: databasePath)
    }

    package static func csvSource(_ url: URL, name: String, range: StatusTimeRange) -> StatusRowSource {
        let parser = StatusCSVParser(path: url.path, displayName: name)
        return range.isAll ? parser : TimeRangeFilteredSource(source: parser, range: range)
    }

    package func makeSource(format: String, url: URL, name: String, options: StatusImportOptions) throws -> StatusRowSource {
        switch format {
        case "csv":
            return Self.csvSource(url, name: name, range: options.range)
        case "prometheus-json":
            return PrometheusStatusReader(path: url.path, displayName: name, serviceLabels: options.serviceLabels,
                                          range: options.range)
        case "uptime-kuma":
            return UptimeKumaReader(path: url.path, displayName: name, range: options.range)
        case "statuspage":
            let policy = config.estate.statusPolicy
            return StatuspageReader(path: url.path, displayName: name, range: options.range,
                                    seriesNames: Set(config.estate.services.map(\.statusSeries)),
                                    step: min(Calc.Duration.minute, policy.maxSampleGap))
        default:
            throw Diagnostic(file: name, message: "unknown status format \"\(format)\" (expected \(Self.formats.joined(separator: ", ")))")
        }
    }

    /// Looks at the content: a SQLite header → `uptime-kuma`; a JSON object → `prometheus-json` when it has
    /// `data`/`resultType` (or a Prometheus error's `errorType`), `statuspage` when it has `incidents`; else `csv`.
    package static func detectFormat(_ url: URL, name: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Diagnostic(file: name, message: "cannot open the file")
        }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        try? handle.close()
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) { return "uptime-kuma" }
        guard let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
              first == UInt8(ascii: "{") else { return "csv" }
        return try detectJSONFormat(url, name: name)
    }

    /// Reads the top-level member names of a JSON object until one tells the format (values are skipped, not kept).
    package static func detectJSONFormat(_ url: URL, name: String) throws -> String {
        let json = try JSONTokenizer(path: url.path, displayName: name)
        _ = try json.nextValue()  // `{`, checked by the caller's peek
        while true {
            switch try json.nextValue() {
            case .key("data"), .key("resultType"), .key("errorType"): return "prometheus-json"
            case .key("incidents"): return "statuspage"
            case .key: try json.skipValue()
            default:
                throw Diagnostic(file: name, message: "cannot tell which JSON export this is: it has neither \"data\" "
                                 + "(a Prometheus query_range response) nor \"incidents\" (a Statuspage incidents.json); give --format")
            }
        }
    }

    package init(config: Config, store: Store, log: Log) {
        self.config = config
        self.store = store
        self.log = log
    }
}

extension ImportSummary {
    /// `imported exports/api.csv (csv): 8928 rows, 8928 new, 0 already stored, 0 replaced`.
    package var line: String { line(detected: false) }

    /// The summary line; `detected` adds that `auto` chose the format: `imported x.json (prometheus-json, detected): …`.
    package func line(detected: Bool) -> String {
        if alreadyImported { return "skipped \(path): already imported (same SHA-256)" }
        let how = detected ? "\(format), detected" : format
        if rows == 0 {
            return format == "csv" ? "\(path): warning: header only, nothing to import"
                                   : "\(path) (\(how)): warning: no status samples, nothing to import"
        }
        return "imported \(path) (\(how)): \(rows) rows, \(stored) new, \(duplicates) already stored, \(replaced) replaced"
    }
}

extension Store {
    /// Opens (creating if needed) the configuration's database.
    package static func opening(_ config: Config) throws -> Store {
        do { return try Store(path: config.databasePath) } catch {
            throw CommandFailure(ExitStatus.cannotCreate,
                                 "\(config.databasePath.path): error: cannot open the database: \(error)")
        }
    }
}

/// The rows read ahead by a `StatusPrefetch`, else the file parsed inline.
package struct PrefetchedSource: StatusRowSource {
    package let prefetch: StatusPrefetch
    package let inline: StatusRowSource

    /// The full rows (response times, messages) are not read ahead: they come from the file itself.
    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        defer { prefetch.cancel() }
        return try inline.parse(batch: batch)
    }

    package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
        if let rows = prefetch.rows() { return try rows.parseCompact(batch: batch) }
        return try inline.parseCompact(batch: batch)
    }
}
