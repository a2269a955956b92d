import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// `import metrics`, end to end: the real binary on each format, then the samples read back through
/// `Store.metricSeries(matching:from:to:)`; deduplication, conflicts, `--replace`, and `run`/`check` over
/// `inputs.metrics`. 1790812800 is 2026-10-01T00:00:00Z.
struct MetricImportTests {
    static let t0: Millis = 1_790_812_800_000

    /// `CommandLineTests.estate` with api's metric selectors: its request counter and latency buckets. Every other
    /// series (web's, `build_info`) belongs to nothing configured (§10.2).
    static func estate(_ extra: String = "") throws -> (dir: URL, config: String) {
        let (dir, config) = try CommandLineTests.estate(extra)
        let yaml = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(
            of: "services: [{id: api, provider: p}]",
            with: #"services: [{id: api, provider: p, metrics: {requests: 'http_requests_total{service="api"}', "#
                + #"latency: 'http_request_duration_seconds_bucket{service="api"}'}}]"#)
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, config)
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        try CommandLineTests.write(text, name, in: dir)
    }

    static func store(_ dir: URL) throws -> Store { try Store(path: dir.appendingPathComponent("sla.db")) }

    static func series(_ dir: URL, _ selector: String, from: Millis = t0, to: Millis = t0 + Calc.Duration.day) throws -> [MetricSeries] {
        try store(dir).metricSeries(matching: try SeriesSelector(selector), from: from, to: to)
    }

    static func sample(_ offset: Millis, _ value: String) -> MetricSample {
        MetricSample(time: t0 + offset, value: MetricValue.parse(Substring(value))!)
    }

    /// Samples and import-log entries in the estate's database.
    static func counts(_ dir: URL) throws -> (samples: Int64, files: Int64) {
        let db = try Database(path: dir.appendingPathComponent("sla.db").path, readOnly: true)
        let s = try db.statement("SELECT (SELECT count(*) FROM metric_sample), (SELECT count(*) FROM import_file)")
        _ = try s.step()
        return (s.int(0), s.int(1))
    }

    /// Two api series and one web series; the `code="500"` sample at +60 s is written twice (dropped once),
    /// one sample carries an exemplar (dropped), and `code="200"` at +60.25 s keeps its milliseconds.
    static let openMetrics = """
        # HELP http_requests Requests served.
        # TYPE http_requests counter
        http_requests_total{service="api",code="200"} 1027 1790812800
        http_requests_total{service="api",code="500"} 3 1790812800
        http_requests_total{service="api",code="200"} 1090.5 1790812860.25
        http_requests_total{service="api",code="500"} 3 1790812860 # {trace_id="a1"} 1 1790812859
        http_requests_total{service="api",code="500"} 3 1790812860
        http_requests_total{service="web",code="200"} 7 1790812800
        # EOF

        """

    @Test func openMetricsIsImportedAndReadBackBySelector() throws {
        let (dir, config) = try Self.estate()
        let file = try Self.write(Self.openMetrics, "a.om", in: dir)
        let result = try TestSupport.run(["import", "metrics", file, "--config", config])
        #expect(result.status == 0)
        #expect(result.stdout == "")
        // web's series is stored but no selector of the config matches it (§10.2).
        #expect(result.stderr == "imported a.om (openmetrics, detected): 5 rows, 5 new, 0 already stored, 0 replaced; "
                + #"1 sample of "http_requests_total{code=\"200\",service=\"web\"}", which no service's metric selectors match"# + "\n")

        let api = try Self.series(dir, #"http_requests_total{service="api"}"#)
        #expect(api.map(\.identity) == [#"http_requests_total{code="200",service="api"}"#,
                                        #"http_requests_total{code="500",service="api"}"#])
        #expect(api.first?.samples == [Self.sample(0, "1027"), Self.sample(60_250, "1090.5")])
        #expect(api.last?.samples == [Self.sample(0, "3"), Self.sample(60_000, "3")])
        // [from, to): a sample exactly at `to` is left out, one exactly at `from` kept.
        let cut = try Self.series(dir, #"http_requests_total{code=~"2.."}"#, from: Self.t0, to: Self.t0 + 60_250)
        #expect(cut.map(\.identity) == [#"http_requests_total{code="200",service="api"}"#,
                                        #"http_requests_total{code="200",service="web"}"#])
        #expect(cut.map(\.samples.count) == [1, 1])
        // A series matching with no sample in the range is still returned, empty.
        let later = try Self.series(dir, #"http_requests_total{service="web"}"#, from: Self.t0 + 1, to: Self.t0 + 2)
        #expect(later.count == 1 && later[0].samples.isEmpty)
        #expect(try Self.series(dir, "nothing_total").isEmpty)
    }

    @Test func prometheusJSONIsImportedAndReadBack() throws {
        let (dir, config) = try Self.estate()
        let json = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"http_request_duration_seconds_bucket","service":"api","le":"0.1"},
               "values":[[1790812800,"5"],[1790812860,"7"]]},
              {"values":[[1790812800,"6"],[1790812860.5,"9.5e0"]],
               "metric":{"__name__":"http_request_duration_seconds_bucket","service":"api","le":"+Inf"}}]}}
            """
        let file = try Self.write(json, "latency.json", in: dir)
        let result = try TestSupport.run(["import", "metrics", "--format", "prometheus-json", file, "--config", config])
        #expect(result.status == 0)
        #expect(result.stderr == "imported latency.json (prometheus-json): 4 rows, 4 new, 0 already stored, 0 replaced\n")
        let buckets = try Self.series(dir, #"http_request_duration_seconds_bucket{service="api"}"#)
        // Sorted by identity: `le="+Inf"` before `le="0.1"` ("+" is 0x2B, "0" 0x30).
        #expect(buckets.map { $0.labels["le"] } == ["+Inf", "0.1"])
        #expect(buckets[0].samples == [Self.sample(0, "6"), Self.sample(60_500, "9.5")])
        #expect(buckets[1].samples == [Self.sample(0, "5"), Self.sample(60_000, "7")])
    }

    @Test func csvIsImportedAndReadBack() throws {
        let (dir, config) = try Self.estate()
        // The second series' label value holds a quote: `a"b` written `a\"b` in the series, each `"` doubled by CSV.
        let csv = """
            timestamp,series,value
            2026-10-01T00:00:00Z,"http_requests_total{service=""api"",code=""200""}",10
            2026-10-01T00:00:00Z,"build_info{version=""a\\""b""}",1
            1790812920.5,"http_requests_total{service=""api"", code=""200"",}",40
            2026-10-01T02:00:00+02:00,up,1

            """
        let file = try Self.write(csv, "m.csv", in: dir)
        let result = try TestSupport.run(["import", "metrics", file, "--config", config])
        #expect(result.status == 0)
        #expect(result.stderr == "imported m.csv (csv, detected): 4 rows, 4 new, 0 already stored, 0 replaced; "
                + #"2 samples of "build_info{version=\"a\\\"b\"}" and "up", which no service's metric selectors match"# + "\n")
        let requests = try Self.series(dir, "http_requests_total")
        #expect(requests.map(\.identity) == [#"http_requests_total{code="200",service="api"}"#])
        #expect(requests.first?.samples == [Self.sample(0, "10"), Self.sample(120_500, "40")])
        let info = try Self.series(dir, "build_info")
        #expect(info.first?.labels == ["version": "a\"b"])
        // 02:00 at +02:00 is 00:00Z.
        #expect(try Self.series(dir, "up").first?.samples == [Self.sample(0, "1")])
    }

    @Test func identicalSamplesAreDeduplicatedAndContradictionsRejectedUnlessReplaced() throws {
        let (dir, config) = try Self.estate()
        try TestSupport.run(["import", "metrics", try Self.write(Self.openMetrics, "a.om", in: dir), "--config", config])
        #expect(try Self.counts(dir) == (5, 1))

        // 1.0275e3 is 1027.5, not 1027: a conflict; `1.027e3` is 1027 exactly, already stored.
        let conflicting = try Self.write("""
            http_requests_total{service="api",code="200"} 1.027e3 1790812800
            http_requests_total{service="api",code="500"} 4 1790812860
            http_requests_total{service="api",code="500"} 5 1790812920
            # EOF
            """, "b.om", in: dir)
        let rejected = try TestSupport.run(["import", "metrics", conflicting, "--config", config])
        #expect(rejected.status == 65)
        #expect(rejected.stderr == """
            \(conflicting):2:1: error: conflicts with a stored sample: http_requests_total{code="500",service="api"} at 2026-10-01T00:01:00Z \
            is 4 here but 3 in a.om; nothing from this file was stored (re-import with --replace to overwrite)
            slareport: error: 1 of 1 files rejected; nothing from them was stored

            """)
        #expect(try Self.counts(dir) == (5, 1))

        let replaced = try TestSupport.run(["import", "metrics", conflicting, "--replace", "--config", config])
        #expect(replaced.status == 0)
        #expect(replaced.stderr == "imported b.om (openmetrics, detected): 3 rows, 1 new, 1 already stored, 1 replaced\n")
        #expect(try Self.counts(dir) == (6, 2))
        let errors = try Self.series(dir, #"http_requests_total{code="500"}"#)
        #expect(errors.first?.samples == [Self.sample(0, "3"), Self.sample(60_000, "4"), Self.sample(120_000, "5")])
        let db = try Database(path: dir.appendingPathComponent("sla.db").path, readOnly: true)
        let log = try db.statement("""
            SELECT r.t, r.old_value, r.new_value, f.path, f.kind, f.replace_requested
            FROM metric_replacement r JOIN import_file f ON f.id = r.file_id
            """)
        #expect(try log.step())
        #expect(log.int(0) == Self.t0 + 60_000 && log.text(1) == "3" && log.text(2) == "4")
        #expect(log.text(3) == "b.om" && log.text(4) == "metrics" && log.int(5) == 1)
        #expect(try !log.step())

        let again = try TestSupport.run(["import", "metrics", try Self.write(Self.openMetrics, "copy.om", in: dir), "--config", config])
        #expect(again.stderr == "skipped copy.om: already imported (same SHA-256)\n")
    }

    @Test func aFileOfAnotherFormatThanGivenIsRejected() throws {
        let (dir, config) = try Self.estate()
        let file = try Self.write(Self.openMetrics, "a.om", in: dir)
        let result = try TestSupport.run(["import", "metrics", "--format", "csv", file, "--config", config])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("\(file):1:1: error: unknown column \"# HELP http_requests Requests served.\""))
    }

    @Test func autoDetectionThatFindsNothingAsksForTheFormat() throws {
        let (dir, config) = try Self.estate()
        let file = try Self.write("1790812800;up;1\n", "odd.txt", in: dir)
        let result = try TestSupport.run(["import", "metrics", file, "--config", config])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("\(file):1:1: error: cannot tell which metrics export this is:"))
        #expect(result.stderr.contains("give --format"))
    }

    @Test func runAndCheckImportConfiguredMetricInputs() throws {
        // RunCommandTests' estate imports `exports/*.csv` as status; add the metrics entries beside it.
        let dir = try RunCommandTests.estate()
        let configURL = dir.appendingPathComponent("sla.yaml")
        var yaml = try String(contentsOf: configURL, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "inputs:\n", with: "inputs:\n"
            + "  metrics: [{path: \"exports/*.om\", format: openmetrics}, {path: \"exports/*.json\", format: auto}]\n")
        try yaml.write(to: configURL, atomically: true, encoding: .utf8)
        try RunCommandTests.write(RunCommandTests.allUp, "exports/status.csv", in: dir)
        try RunCommandTests.write(Self.openMetrics, "exports/a.om", in: dir)
        try RunCommandTests.write("""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"http_request_duration_seconds_count","service":"api"},"values":[[1790812800,"2"]]}]}}
            """, "exports/b.json", in: dir)

        let checked = try TestSupport.run(["check", "--config", "sla.yaml"], in: dir)
        #expect(checked.status == 0, "\(checked.stderr)")
        // This estate configures no metric selectors: every series is stored for nothing configured (§10.2).
        #expect(checked.stderr == #"""
            ok exports/status.csv (csv): 1 row
            ok exports/a.om (openmetrics): 5 rows; 5 samples of "http_requests_total{code=\"200\",service=\"api\"}", "http_requests_total{code=\"200\",service=\"web\"}" and "http_requests_total{code=\"500\",service=\"api\"}", which no service's metric selectors match
            ok exports/b.json (prometheus-json, detected): 1 row; 1 sample of "http_request_duration_seconds_count{service=\"api\"}", which no service's metric selectors match
            check: sla.yaml and 3 input files are valid; nothing was changed

            """#)

        let run = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasPrefix(#"""
            imported exports/status.csv (csv): 1 row, 1 new, 0 already stored, 0 replaced
            imported exports/a.om (openmetrics): 5 rows, 5 new, 0 already stored, 0 replaced; 5 samples of "http_requests_total{code=\"200\",service=\"api\"}", "http_requests_total{code=\"200\",service=\"web\"}" and "http_requests_total{code=\"500\",service=\"api\"}", which no service's metric selectors match
            imported exports/b.json (prometheus-json, detected): 1 row, 1 new, 0 already stored, 0 replaced; 1 sample of "http_request_duration_seconds_count{service=\"api\"}", which no service's metric selectors match

            """#), "\(run.stderr)")
        let store = try Store(path: dir.appendingPathComponent("data/sla.db"))
        #expect(try store.metricSeries(matching: SeriesSelector("http_request_duration_seconds_count"), from: Self.t0, to: Self.t0 + 1)
            .first?.samples == [Self.sample(0, "2")])

        let again = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(again.status == 0)
        #expect(again.stderr.contains("skipped exports/a.om: already imported (same SHA-256)\n"))
        #expect(again.stderr.hasSuffix("run: nothing changed (3 input files already imported, report unchanged)\n"), "\(again.stderr)")

        // A new export contradicting a stored sample: `check` finds it, read-only.
        try RunCommandTests.write("http_requests_total{service=\"web\",code=\"200\"} 8 1790812800\n# EOF\n", "exports/c.om", in: dir)
        let conflict = try TestSupport.run(["check", "--config", "sla.yaml"], in: dir)
        #expect(conflict.status == 65)
        #expect(conflict.stderr.contains("""
            exports/c.om:1:1: error: conflicts with a stored sample: http_requests_total{code="200",service="web"} at \
            2026-10-01T00:00:00Z is 8 here but 7 in exports/a.om; run would reject this file (import it with --replace to overwrite)

            """), "\(conflict.stderr)")
        #expect(try Self.counts(dir.appendingPathComponent("data")) == (6, 3))
    }

    @Test func badSelectorsAndFormatsInTheConfigExit78WithTheKeyPath() throws {
        let (_, selector) = try CommandLineTests.estate()
        var yaml = try String(contentsOfFile: selector, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "services: [{id: api, provider: p}]", with: """
            services:
              - id: api
                provider: p
                metrics:
                  requests: 'http_requests_total{service="api"}'
                  errors: 'http_requests_total{ab="5"'
            """)
        try yaml.write(toFile: selector, atomically: true, encoding: .utf8)
        let result = try TestSupport.run(["check", "--config", selector])
        #expect(result.status == 78)
        #expect(result.stderr == "\(selector):14:15: error: services[0].metrics.errors: expected '}' at column 27\n")

        let (_, format) = try Self.estate("inputs: {metrics: [{path: \"*.om\", format: promql}]}")
        let bad = try TestSupport.run(["check", "--config", format])
        #expect(bad.status == 78)
        #expect(bad.stderr.hasSuffix("error: inputs.metrics[0].format: format \"promql\" is not supported for metrics inputs "
            + "in this version (expected auto, prometheus-json, openmetrics, csv)\n"), "\(bad.stderr)")
    }
}
