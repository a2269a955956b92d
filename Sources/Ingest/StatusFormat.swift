import Calc
import Foundation

/// The status-history exports `import status` reads (SPEC §4.1).
package enum StatusFormat: String, ImportFormat {
    /// `timestamp,service,status[,region,response_time_ms,message]`.
    case csv
    /// A Prometheus `query_range` response of a 0/1 series such as `probe_success`.
    case prometheusJSON = "prometheus-json"
    /// Uptime Kuma's database, `kuma.db`.
    case uptimeKuma = "uptime-kuma"
    /// A Statuspage `incidents.json` or `scheduled-maintenances.json` (or one file holding both lists).
    case statuspage

    package static let kind = InputKind.status
    package static let fallback: StatusFormat? = .csv

    /// The reader for a file in this format. `statuspage` is the only one that needs the configuration: the series
    /// names services refer to, and the step its states are sampled at.
    package func reader(path: String, displayName: String, options: StatusImportOptions = StatusImportOptions(),
                        statuspage: StatuspageSettings = StatuspageSettings()) -> StatusRowSource {
        switch self {
        case .csv:
            let parser = StatusCSVParser(path: path, displayName: displayName)
            return options.range.isAll ? parser : TimeRangeFilteredSource(source: parser, range: options.range)
        case .prometheusJSON:
            return PrometheusStatusReader(path: path, displayName: displayName, serviceLabels: options.serviceLabels,
                                          range: options.range)
        case .uptimeKuma:
            return UptimeKumaReader(path: path, displayName: displayName, range: options.range,
                                    seriesNames: statuspage.seriesNames)
        case .statuspage:
            var reader = StatuspageReader(path: path, displayName: displayName, range: options.range,
                                          seriesNames: statuspage.seriesNames, step: statuspage.step)
            reader.notAfter = statuspage.notAfter
            return reader
        }
    }

    /// Looks at the content: a SQLite header → `uptime-kuma`; a JSON object → `prometheus-json` when it has
    /// `data`/`resultType` (or a Prometheus error's `errorType`), `statuspage` when it has `incidents` or
    /// `scheduled_maintenances`; else `csv` (the fallback, which the summary line does not call detected).
    package static func detect(_ url: URL, name: String) throws -> StatusFormat {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Diagnostic(file: name, message: "cannot open the file")
        }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        try? handle.close()
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) { return .uptimeKuma }
        guard let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
              first == UInt8(ascii: "{") else { return .csv }
        return try detectJSON(url, name: name)
    }

    /// Reads the top-level member names of a JSON object until one tells the format (values are skipped, not kept).
    private static func detectJSON(_ url: URL, name: String) throws -> StatusFormat {
        let json = try JSONTokenizer(path: url.path, displayName: name)
        _ = try json.nextValue()  // `{`, checked by the caller's peek
        while true {
            switch try json.nextValue() {
            case .key("data"), .key("resultType"), .key("errorType"): return .prometheusJSON
            case .key("incidents"), .key("scheduled_maintenances"): return .statuspage
            case .key: try json.skipValue()
            default:
                throw Diagnostic(file: name, message: "cannot tell which JSON export this is: it has neither \"data\" "
                                 + "(a Prometheus query_range response) nor \"incidents\" or \"scheduled_maintenances\" "
                                 + "(a Statuspage export)",
                                 hint: "give --format")
            }
        }
    }
}

extension FormatChoice where Format == StatusFormat {
    /// Whether service labels (`--service-label`, `service_label`) apply: `prometheus-json`, or `auto`, which may
    /// find one.
    package var takesServiceLabels: Bool { self == .auto || self == .explicit(.prometheusJSON) }
}

/// What `import status` may add to a file's own content: the time limits and, for `prometheus-json`, the labels
/// that name a series' service.
package struct StatusImportOptions: Equatable, Sendable {
    package var range: StatusTimeRange = .all
    /// In order of preference; `prometheus-json` only.
    package var serviceLabels: [String] = PrometheusStatusReader.defaultServiceLabels

    package init(range: StatusTimeRange = .all, serviceLabels: [String] = PrometheusStatusReader.defaultServiceLabels) {
        self.range = range
        self.serviceLabels = serviceLabels
    }
}

/// What the Statuspage reader takes from the configuration.
package struct StatuspageSettings: Sendable {
    /// The status series the services name: a component is named by its id when the configuration uses the id.
    package var seriesNames: Set<String> = []
    /// Each state is written as a sample at its start and at every multiple of `step` inside it.
    package var step: Millis = Duration.minute
    /// The latest `page.updated_at` that can be real (the import's wall clock and a day); nil: no such bound.
    package var notAfter: Millis? = nil

    package init(seriesNames: Set<String> = [], step: Millis = Duration.minute, notAfter: Millis? = nil) {
        self.seriesNames = seriesNames
        self.step = step
        self.notAfter = notAfter
    }
}
