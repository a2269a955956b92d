import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// `fixtures/errors/metrics/`: one bad metric export per defect, imported with `--format auto`; each message, exit
/// code, and that nothing was stored. The metrics table in `fixtures/errors/README.md` lists the same messages.
struct MetricErrorCatalogueTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("errors/metrics")

    static let rejected = CatalogueEstate.rejected

    /// (file, the exact stderr, the exit code)
    static let cases: [(String, String, Int32)] = [
        ("truncated.json", "truncated.json:3:49: error: unexpected end of file inside a string (the JSON is truncated)\n" + rejected, 65),
        ("nan.json", "nan.json:3:46: error: NaN is not a sample value (http_requests_total{code=\"200\",service=\"api\"} at 2026-10-01T00:01:00Z)\n" + rejected, 65),
        ("error-response.json", "error-response.json:1:11: error: the file is a Prometheus error response (bad_data): \"invalid parameter \\\"query\\\": 1:20: parse error: unexpected end of input\" (fix the query and export the response again)\n" + rejected, 65),
        ("inf.om", "inf.om:3:63: error: an infinite value (\"+Inf\") is not a sample value (http_request_duration_seconds_bucket{le=\"+Inf\",service=\"api\"} at 2026-10-01T00:00:00Z)\n" + rejected, 65),
        ("no-eof.om", "no-eof.om:4:1: error: missing \"# EOF\" at the end: OpenMetrics text ends with a \"# EOF\" line (was the export cut short?)\n" + rejected, 65),
        ("out-of-order.om", "out-of-order.om:4:52: error: out of order: http_requests_total{code=\"200\",service=\"api\"} at 2026-10-01T00:00:00Z is earlier than 2026-10-01T00:01:00Z on line 2 (each series must be in ascending time order)\n" + rejected, 65),
        ("no-timestamp.om", "no-timestamp.om:2:51: error: sample of http_requests_total{code=\"200\",service=\"api\"} has no timestamp (promtool tsdb create-blocks-from openmetrics needs one on every sample: Unix seconds after the value)\n" + rejected, 65),
        ("trailing-comma.om", "trailing-comma.om:2:45: error: a label set may not end with a comma: remove the \",\" before \"}\" (promtool refuses it)\n" + rejected, 65),
        ("help-without-text.om", "help-without-text.om:1:21: error: # HELP http_requests: expected a space and the help text after the metric name (an empty help text still needs the space: \"# HELP http_requests \")\n" + rejected, 65),
        ("exemplar-on-gauge.om", "exemplar-on-gauge.om:2:42: error: queue_depth may not carry an exemplar: only samples named …_total or …_bucket do, as promtool has it (remove the \" # {…} …\" part)\n" + rejected, 65),
        ("exemplar-nan-timestamp.om", "exemplar-nan-timestamp.om:2:84: error: the exemplar's timestamp \"NaN\" is not a time (write Unix seconds such as 1790812800 or 1790812800.5, or leave it out)\n" + rejected, 65),
        ("histogram-out-of-order.om", "histogram-out-of-order.om:4:63: error: histogram buckets out of order: le=\"0.25\" of http_request_duration_seconds{service=\"api\"} at 2026-10-01T00:00:00Z comes after le=\"0.5\" on line 3 (write a point's buckets in ascending \"le\" order, ending with le=\"+Inf\")\n" + rejected, 65),
        ("histogram-not-cumulative.om", "histogram-not-cumulative.om:3:62: error: histogram buckets not cumulative: le=\"0.5\" of http_request_duration_seconds{service=\"api\"} at 2026-10-01T00:00:00Z is 4, less than 5 in le=\"0.1\" on line 2 (a bucket counts every observation up to its bound, so it is never less than the bucket before it)\n" + rejected, 65),
        ("histogram-no-inf.om", "histogram-no-inf.om:5:1: error: histogram http_request_duration_seconds{service=\"api\"} at 2026-10-01T00:00:00Z ends on this line without a le=\"+Inf\" bucket (write each point's samples together at one time: its buckets in ascending \"le\" order ending with le=\"+Inf\", then http_request_duration_seconds_count and http_request_duration_seconds_sum)\n" + rejected, 65),
        ("histogram-count-mismatch.om", "histogram-count-mismatch.om:4:52: error: histogram http_request_duration_seconds{service=\"api\"} at 2026-10-01T00:00:00Z: http_request_duration_seconds_count is 12 but its le=\"+Inf\" bucket on line 3 is 10 (both count every observation, so they must be equal)\n" + rejected, 65),
        ("malformed-series.csv", "malformed-series.csv:3:22: error: malformed series \"http_requests_total{code=\\\"500\\\"\": expected ',' or '}' at column 31 (write it as name{label=\"value\",…}, quoting the CSV field and doubling its quotes)\n" + rejected, 65),
        ("negative-counter.csv", "negative-counter.csv:3:58: error: negative value -4 for counter http_requests_total{code=\"500\"} at 2026-10-01T00:01:00Z (counters never go below 0; a reset starts again from 0)\n" + rejected, 65),
        ("header-only.csv", "header-only.csv (csv, detected): warning: header only, nothing to import\n", 0),
    ]

    /// A scratch estate holding `sla.yaml` and copies of the named catalogue files.
    static func estate(_ names: [String]) throws -> URL {
        try CatalogueEstate.make(inputs: #"metrics: [{path: "*.json"}, {path: "*.om"}, {path: "*.csv"}]"#, copying: names, from: folder)
    }

    static func stored(_ dir: URL) throws -> (samples: Int64, series: Int64, files: Int64) {
        let path = dir.appendingPathComponent("sla.db").path
        guard FileManager.default.fileExists(atPath: path) else { return (0, 0, 0) }
        let db = try Database(path: path, readOnly: true)
        let s = try db.statement("""
            SELECT (SELECT count(*) FROM metric_sample), (SELECT count(*) FROM metric_series), (SELECT count(*) FROM import_file)
            """)
        _ = try s.step()
        return (s.int(0), s.int(1), s.int(2))
    }

    @Test func everyCatalogueFileIsPinnedAndListed() throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(Set(committed) == Set(Self.cases.map(\.0)), "fixtures/errors/metrics and the test's cases differ")
        let readme = try String(contentsOf: Self.folder.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        for (name, stderr, _) in Self.cases {
            let message = String(stderr.prefix(while: { $0 != "\n" }))
            #expect(readme.contains("`\(message)`"), "README.md does not list the message of metrics/\(name)")
        }
    }

    @Test(arguments: cases)
    func importRejectsWithMessage(name: String, stderr: String, status: Int32) throws {
        let dir = try Self.estate([name])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try TestSupport.run(["import", "metrics", name, "--config", "sla.yaml"], in: dir)
        #expect(result.status == status)
        #expect(result.stderr == stderr)
        #expect(result.stdout == "")
        let (samples, series, files) = try Self.stored(dir)
        #expect(samples == 0 && series == 0)
        // A header-only file is recorded as imported (so `run` skips it next time); a rejected one is not.
        #expect(files == (status == 0 ? 1 : 0))
    }

    /// `check` reads the whole catalogue through the config's `inputs.metrics` patterns: the same messages, exit 65,
    /// and no database is created.
    @Test func checkReportsEveryDefectAndStoresNothing() throws {
        let dir = try Self.estate(Self.cases.map(\.0))
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try TestSupport.run(["check", "--config", "sla.yaml"], in: dir)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        for (_, stderr, _) in Self.cases {
            let message = String(stderr.prefix(while: { $0 != "\n" }))
            #expect(lines.contains(message), "check did not print: \(message)")
        }
        #expect(lines.last == "check: 17 of 18 input files would be rejected; nothing was changed")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sla.db").path))
    }
}
