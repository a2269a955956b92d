import Foundation

/// The metric exports `import metrics` reads (SPEC §4.2).
package enum MetricFormat: String, ImportFormat {
    /// A Prometheus `query_range` response of raw counters and histogram buckets.
    case prometheusJSON = "prometheus-json"
    /// OpenMetrics text with timestamps, ending with `# EOF`.
    case openmetrics
    /// `timestamp,series,value`, the series written `name{label="value",…}`.
    case csv

    package static let kind = InputKind.metrics
    /// Detection recognises every metrics format positively, so `auto` always reports what it chose.
    package static let fallback: MetricFormat? = nil

    /// The reader for a file in this format.
    package func reader(path: String, displayName: String) -> MetricRowSource {
        switch self {
        case .prometheusJSON: PrometheusMetricsReader(path: path, displayName: displayName)
        case .openmetrics: OpenMetricsReader(path: path, displayName: displayName)
        case .csv: MetricCSVReader(path: path, displayName: displayName)
        }
    }

    /// Looks at the start of the file: a JSON object → `prometheus-json`; a first line starting with `#`
    /// (`# TYPE`, `# HELP`, `# UNIT`, `# EOF`) or shaped like a sample (`name{…} value timestamp`) → `openmetrics`;
    /// a header of the columns `timestamp`, `series`, `value` → `csv`. Anything else asks for `--format`.
    package static func detect(_ url: URL, name: String) throws -> MetricFormat {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Diagnostic(file: name, message: "cannot open the file")
        }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        try? handle.close()
        guard !head.isEmpty else { throw Diagnostic(file: name, message: "file is empty") }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") { return .prometheusJSON }
        let firstLine = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        if firstLine.first == UInt8(ascii: "#") { return .openmetrics }
        let columns = String(decoding: firstLine, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")).lowercased() }
        if columns.sorted() == MetricCSVReader.columns.sorted() { return .csv }
        if let first = firstLine.first, OpenMetricsText.isSampleStart(first), firstLine.contains(0x20) { return .openmetrics }
        throw Diagnostic(file: name, line: 1, column: 1, message: "cannot tell which metrics export this is: expected a "
            + "Prometheus query_range response (JSON), OpenMetrics text (# TYPE/# HELP lines, ending with # EOF) or a CSV "
            + "with the header timestamp,series,value", hint: "give --format")
    }
}

/// Byte classes of OpenMetrics text, for format detection.
package enum OpenMetricsText {
    /// A byte that can start a metric name.
    package static func isSampleStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x3A
    }
}
