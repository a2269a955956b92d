import Ingest
import Storage
import Calc
import Foundation

/// Imports metric exports file by file (SPEC §4.2): each in its own transaction, one summary line per file.
package struct MetricImporter {
    package let config: Config
    package let store: Store
    package let log: Log

    /// The formats `import metrics --format` and `inputs.metrics[].format` accept.
    package static let formats = ["auto", "prometheus-json", "openmetrics", "csv"]

    /// Imports every file; files that fail are reported and the rest still imported. Throws exit 66 before
    /// importing anything when a file is missing, and exit 65 at the end when any file was rejected.
    @discardableResult
    package func importFiles(_ urls: [URL], names: [String], format: String, replace: Bool) throws -> [ImportSummary] {
        try importEach(urls, names: names, log: log) { _, url, name in
            let (summary, detected) = try importFile(url, name: name, format: format, replace: replace)
            return (summary, summary.metricsLine(detected: detected))
        }
    }

    /// Imports one file; `detected` is true when `auto` chose the format from the content.
    package func importFile(_ url: URL, name: String, format requested: String, replace: Bool) throws -> (summary: ImportSummary, detected: Bool) {
        let format = requested == "auto" ? try Self.detectFormat(url, name: name) : requested
        let source = try Self.makeSource(format: format, url: url, name: name)
        let sha256: String
        do { sha256 = try SHA256.hex(ofFileAt: url.path) } catch {
            throw Diagnostic(file: name, message: "cannot read the file: \(error.localizedDescription)")
        }
        let summary = try store.importMetrics(from: source, format: format, recordedPath: config.recordedPath(of: url),
                                              displayName: name, sha256: sha256, replace: replace)
        return (summary, requested == "auto")
    }

    package static func makeSource(format: String, url: URL, name: String) throws -> MetricRowSource {
        switch format {
        case "prometheus-json": return PrometheusMetricsReader(path: url.path, displayName: name)
        case "openmetrics": return OpenMetricsReader(path: url.path, displayName: name)
        case "csv": return MetricCSVReader(path: url.path, displayName: name)
        default:
            throw Diagnostic(file: name, message: "unknown metrics format \"\(format)\" (expected \(formats.joined(separator: ", ")))")
        }
    }

    /// Looks at the start of the file: a JSON object → `prometheus-json`; a first line starting with `#`
    /// (`# TYPE`, `# HELP`, `# UNIT`, `# EOF`) or shaped like a sample (`name{…} value timestamp`) → `openmetrics`;
    /// a header of the columns `timestamp`, `series`, `value` → `csv`. Anything else asks for `--format`.
    package static func detectFormat(_ url: URL, name: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Diagnostic(file: name, message: "cannot open the file")
        }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        try? handle.close()
        guard !head.isEmpty else { throw Diagnostic(file: name, message: "file is empty") }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") { return "prometheus-json" }
        let firstLine = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        if firstLine.first == UInt8(ascii: "#") { return "openmetrics" }
        let columns = String(decoding: firstLine, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")).lowercased() }
        if columns.sorted() == MetricCSVReader.columns.sorted() { return "csv" }
        if let first = firstLine.first, OpenMetricsText.isSampleStart(first), firstLine.contains(0x20) { return "openmetrics" }
        throw Diagnostic(file: name, line: 1, column: 1, message: "cannot tell which metrics export this is: expected a "
            + "Prometheus query_range response (JSON), OpenMetrics text (# TYPE/# HELP lines, ending with # EOF) or a CSV "
            + "with the header timestamp,series,value; give --format")
    }

    package init(config: Config, store: Store, log: Log) {
        self.config = config
        self.store = store
        self.log = log
    }
}

/// Byte classes of OpenMetrics text, for format detection.
package enum OpenMetricsText {
    /// A byte that can start a metric name.
    package static func isSampleStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x3A
    }
}

extension ImportSummary {
    /// `imported m.prom (openmetrics, detected): 120 rows, 120 new, 0 already stored, 0 replaced`; with `auto` the
    /// format is always marked as chosen from the content.
    package func metricsLine(detected: Bool) -> String {
        if alreadyImported { return "skipped \(path): already imported (same SHA-256)" }
        let how = detected ? "\(format), detected" : format
        if rows == 0 {
            return "\(path) (\(how)): warning: \(format == "csv" ? "header only" : "no metric samples"), nothing to import"
        }
        return "imported \(path) (\(how)): \(rows) rows, \(stored) new, \(duplicates) already stored, \(replaced) replaced"
    }
}
