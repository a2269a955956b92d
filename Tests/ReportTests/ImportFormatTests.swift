import Foundation
import Testing
@testable import Ingest

/// The format enums: each names itself from a file's first bytes (`detect`), `auto` or an explicit format resolves
/// to a format and says whether the content chose it, and each format builds its reader.
struct ImportFormatTests {
    static func file(_ bytes: [UInt8], _ name: String = "x") throws -> URL {
        let url = try TestSupport.temporaryDirectory("slareport-format").appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ text: String, _ name: String = "x") throws -> URL { try file(Array(text.utf8), name) }

    // MARK: - Status

    @Test(arguments: [
        ("timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n", StatusFormat.csv),
        ("anything that is not JSON or SQLite", .csv),                                  // the fallback
        ("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}", .prometheusJSON),
        ("{\"resultType\":\"matrix\"}", .prometheusJSON),
        ("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}", .prometheusJSON),
        ("\u{FEFF} \n{\"page\":{\"id\":\"p\"},\"incidents\":[]}", .statuspage),         // BOM and blanks before `{`
        ("{\"page\":{\"data\":1},\"incidents\":[]}", .statuspage),                     // a nested "data" is skipped
        ("{\"page\":{\"id\":\"p\"},\"scheduled_maintenances\":[]}", .statuspage),         // scheduled-maintenances.json
    ])
    func statusDetection(text: String, format: StatusFormat) throws {
        #expect(try StatusFormat.detect(Self.file(text), name: "x") == format)
    }

    @Test func statusDetectionOfAnSQLiteFileIsUptimeKuma() throws {
        let url = try Self.file(Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 0, count: 100))
        #expect(try StatusFormat.detect(url, name: "kuma.db") == .uptimeKuma)
    }

    @Test func statusDetectionOfOtherJSONAsksForTheFormat() throws {
        let url = try Self.file("{\"status\": \"ok\", \"items\": []}\n")
        #expect(throws: Diagnostic(file: "other.json", message: "cannot tell which JSON export this is: it has neither "
                                   + "\"data\" (a Prometheus query_range response) nor \"incidents\" or "
                                   + "\"scheduled_maintenances\" (a Statuspage export)",
                                   hint: "give --format")) {
            try StatusFormat.detect(url, name: "other.json")
        }
        #expect(throws: Diagnostic(file: "gone.csv", message: "cannot open the file")) {
            try StatusFormat.detect(URL(fileURLWithPath: "/nonexistent/gone.csv"), name: "gone.csv")
        }
    }

    /// `auto` reports a format it recognised as detected, but not the CSV it falls back to; an explicit format
    /// is taken as given, without reading the file (so even a missing file resolves).
    @Test func statusChoiceResolves() throws {
        let csv = try Self.file("timestamp,service,status\n")
        let json = try Self.file("{\"incidents\":[]}")
        #expect(try FormatChoice<StatusFormat>.auto.resolve(csv, name: "a.csv") == (.csv, false))
        #expect(try FormatChoice<StatusFormat>.auto.resolve(json, name: "i.json") == (.statuspage, true))
        #expect(try FormatChoice.explicit(StatusFormat.prometheusJSON).resolve(csv, name: "a.csv") == (.prometheusJSON, false))
        #expect(try FormatChoice.explicit(StatusFormat.csv).resolve(URL(fileURLWithPath: "/nonexistent"), name: "n") == (.csv, false))
    }

    // MARK: - Metrics

    @Test func metricsDetectionThatRecognisesNothingAsksForTheFormatAtLine1() throws {
        let url = try Self.file("time,name,value\n")
        #expect(throws: Diagnostic(file: "m.csv", location: .line(1, column: 1), message: "cannot tell which metrics "
                                   + "export this is: expected a Prometheus query_range response (JSON), OpenMetrics text "
                                   + "(# TYPE/# HELP lines, ending with # EOF) or a CSV with the header timestamp,series,value",
                                   hint: "give --format")) {
            try MetricFormat.detect(url, name: "m.csv")
        }
        #expect(throws: Diagnostic(file: "e.om", message: "file is empty")) { try MetricFormat.detect(Self.file(""), name: "e.om") }
    }

    /// Metrics have no fallback: whatever `auto` chose it recognised, CSV included, so it is always "detected".
    @Test func metricsChoiceAlwaysReportsWhatAutoChose() throws {
        let csv = try Self.file("timestamp,series,value\n")
        let om = try Self.file("# TYPE a counter\na_total 1 1790812800\n# EOF\n")
        #expect(try FormatChoice<MetricFormat>.auto.resolve(csv, name: "m.csv") == (.csv, true))
        #expect(try FormatChoice<MetricFormat>.auto.resolve(om, name: "m.om") == (.openmetrics, true))
        #expect(try FormatChoice.explicit(MetricFormat.openmetrics).resolve(csv, name: "m.csv") == (.openmetrics, false))
    }

    // MARK: - Names

    /// The spellings `--format` and `inputs.*[].format` accept, in the order the messages list them.
    @Test func choicesParseFromTheirNamesOnly() {
        #expect(FormatChoice<StatusFormat>.names == "auto, csv, prometheus-json, uptime-kuma, statuspage")
        #expect(FormatChoice<MetricFormat>.names == "auto, prometheus-json, openmetrics, csv")
        for choice in FormatChoice<StatusFormat>.allCases { #expect(FormatChoice(rawValue: choice.rawValue) == choice) }
        #expect(FormatChoice<StatusFormat>(rawValue: "prometheus-json") == .explicit(.prometheusJSON))
        #expect(FormatChoice<StatusFormat>(rawValue: "prometheusJSON") == nil)
        #expect(FormatChoice<MetricFormat>(rawValue: "influx") == nil)
        #expect(InputFormatChoice(kind: .status, name: "uptime-kuma") == .status(.explicit(.uptimeKuma)))
        #expect(InputFormatChoice(kind: .metrics, name: "uptime-kuma") == nil)   // a status-only format
        #expect(InputFormatChoice(kind: .metrics, name: "auto") == .metrics(.auto))
        #expect(InputFormat.metrics(.openmetrics).name == "openmetrics" && InputFormat.metrics(.openmetrics).kind == .metrics)
    }

    // MARK: - Readers

    @Test func eachFormatBuildsItsReader() {
        let range = StatusTimeRange(since: 0, until: 1000)
        #expect(StatusFormat.csv.reader(path: "a.csv", displayName: "a.csv") is StatusCSVParser)
        #expect(StatusFormat.csv.reader(path: "a.csv", displayName: "a.csv", options: StatusImportOptions(range: range))
                is TimeRangeFilteredSource)
        let prometheus = StatusFormat.prometheusJSON.reader(path: "p.json", displayName: "p.json",
                                                            options: StatusImportOptions(serviceLabels: ["job"]))
        #expect((prometheus as? PrometheusStatusReader)?.serviceLabels == ["job"])
        #expect((StatusFormat.uptimeKuma.reader(path: "k.db", displayName: "k.db", options: StatusImportOptions(range: range))
                 as? UptimeKumaReader)?.range == range)
        let statuspage = StatusFormat.statuspage.reader(path: "i.json", displayName: "i.json",
                                                        statuspage: StatuspageSettings(seriesNames: ["c1"], step: 30_000))
        #expect((statuspage as? StatuspageReader)?.seriesNames == ["c1"] && (statuspage as? StatuspageReader)?.step == 30_000)
        #expect(MetricFormat.prometheusJSON.reader(path: "m", displayName: "m") is PrometheusMetricsReader)
        #expect(MetricFormat.openmetrics.reader(path: "m", displayName: "m") is OpenMetricsReader)
        #expect(MetricFormat.csv.reader(path: "m", displayName: "m") is MetricCSVReader)
    }

    /// A row's number is a line for text exports and a heartbeat id for Uptime Kuma; wrappers keep what their
    /// source says.
    @Test func readersLocateTheirRows() {
        let range = StatusTimeRange(since: 0, until: 1000)
        #expect(StatusFormat.csv.reader(path: "a", displayName: "a").location(ofRow: 3) == .line(3, column: 1))
        #expect(StatusFormat.uptimeKuma.reader(path: "k", displayName: "k").location(ofRow: 7) == .heartbeat(7))
        let filtered = TimeRangeFilteredSource(source: UptimeKumaReader(path: "k", displayName: "k"), range: range)
        #expect(filtered.location(ofRow: 7) == .heartbeat(7))
    }
}
