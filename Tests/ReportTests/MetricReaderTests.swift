import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// The three metric readers on small files: what they accept, what they drop, and each rejection's place and
/// words. 1790812800 is 2026-10-01T00:00:00Z.
struct MetricReaderTests {
    static let t0: Millis = 1_790_812_800_000

    static func file(_ text: String, _ name: String) throws -> String {
        let dir = try TestSupport.temporaryDirectory("slareport-metric-reader")
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func read(_ source: MetricRowSource) throws -> [MetricRow] {
        var rows: [MetricRow] = []
        let count = try source.parse { rows += $0 }
        #expect(count == rows.count)
        return rows
    }

    static func openMetrics(_ text: String) throws -> [MetricRow] {
        try read(OpenMetricsReader(path: try file(text, "m.om"), displayName: "m.om"))
    }

    /// The diagnostic a reader throws, as printed.
    static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let diagnostic as Diagnostic {
            return diagnostic.description
        } catch {
            return "\(error)"
        }
    }

    static func value(_ text: String) -> MetricValue { MetricValue.parse(Substring(text))! }

    // MARK: - OpenMetrics

    @Test func openMetricsSamplesWithLabelsEscapesAndExemplars() throws {
        let rows = try Self.openMetrics("""
            # HELP http_requests Requests, with a \\"quoted\\" help text.
            # TYPE http_requests counter
            # UNIT http_request_duration_seconds seconds
            http_requests_total{path="/a\\"b\\\\c\\nd",code="200"} 1027 1790812800.0005
            http_requests_total{path="/a\\"b\\\\c\\nd",code="200"} 1.5e3 1790812801 # {trace_id="x"} 1
            http_requests_total{code="",path="/"} 0 1790812800
            up 1 1790812800
            # EOF
            """)
        #expect(rows.count == 4)
        #expect(rows[0].name == "http_requests_total")
        #expect(rows[0].labels == ["path": "/a\"b\\c\nd", "code": "200"])
        // 0.5 ms is truncated to the earlier millisecond.
        #expect(rows[0].time == Self.t0 && rows[0].value == Self.value("1027") && rows[0].line == 4)
        #expect(rows[1].time == Self.t0 + 1000 && rows[1].value == Self.value("1500"))
        // An empty label value is no label at all.
        #expect(rows[2].labels == ["path": "/"])
        #expect(rows[3].series.identity == "up" && rows[3].labels.isEmpty)
    }

    /// Exemplar values and timestamps as promtool's parser reads floats (Go's ParseFloat without hexadecimal or `_`):
    /// a value may be NaN or ±Inf, a timestamp may not.
    @Test(arguments: [
        ("1", PrometheusFloat.finite), ("-.5", .finite), ("5.", .finite), ("+1e-3", .finite), ("1E3", .finite),
        ("007", .finite), ("Inf", .infinite), ("-infinity", .infinite), ("+INF", .infinite), ("NaN", .notANumber),
        ("nan", .notANumber),
    ])
    func prometheusFloatsPromtoolReads(text: String, kind: PrometheusFloat) {
        #expect(PrometheusFloat.parse(Substring(text)) == kind)
    }

    @Test(arguments: ["", ".", "+", "-NaN", "1e", "1e+", "0x1p-3", "0x1", "1_000", "1.2.3", "e3", "1e400", "Infinit", " 1"])
    func prometheusFloatsPromtoolRefuses(text: String) {
        #expect(PrometheusFloat.parse(Substring(text)) == nil)
    }

    @Test func openMetricsTakesExemplarsPromtoolTakes() throws {
        let rows = try Self.openMetrics("""
            # TYPE a histogram
            a_bucket{le="+Inf"} 1 1790812800 # {} NaN
            a_bucket{le="+Inf"} 2 1790812801 # {t="x"} -Inf 1790812800.5
            a_count 2 1790812801
            b_total 1 1790812800 # {t="y"} .5 1e9
            # EOF
            """)
        #expect(rows.count == 4)
    }

    /// The corpus's empty_help and empty_metadata: HELP and UNIT with nothing after the space are metadata like any other.
    @Test func openMetricsTakesEmptyHelpAndUnitTexts() throws {
        #expect(try Self.openMetrics("# HELP a \n# UNIT a \n# TYPE a gauge\na 1 1790812800\n# EOF\n").count == 1)
    }

    @Test func openMetricsDropsExactRepeatsAndEndsWithOrWithoutANewline() throws {
        let rows = try Self.openMetrics("a_total 1 1790812800\na_total 1.0 1790812800\nb 2 1790812800\n# EOF")
        #expect(rows.map(\.series.identity) == ["a_total", "b"])
    }

    @Test func openMetricsAGaugeMayBeNegativeButACounterFamilyMayNot() throws {
        #expect(try Self.openMetrics("# TYPE temperature gauge\ntemperature -3.5 1790812800\n# EOF\n").first?.value == Self.value("-3.5"))
        // `# TYPE … counter` makes even a name without a counter suffix a counter.
        #expect(Self.failure { _ = try Self.openMetrics("# TYPE jobs counter\njobs_created -1 1790812800\n# EOF\n") }
            == "m.om:2:14: error: negative value -1 for counter jobs_created at 2026-10-01T00:00:00Z (counters never go below 0; a reset starts again from 0)")
        #expect(Self.failure { _ = try Self.openMetrics("# TYPE d histogram\nd_sum -2 1790812800\n# EOF\n") }?
            .hasPrefix("m.om:2:7: error: negative value -2 for counter d_sum") == true)
    }

    @Test(arguments: [
        ("a 1 1790812800\n", "m.om:2:1: error: missing \"# EOF\" at the end: OpenMetrics text ends with a \"# EOF\" line (was the export cut short?)"),
        ("", "m.om: error: file is empty"),
        ("a 1 1790812800", "m.om:1:15: error: missing \"# EOF\" at the end: OpenMetrics text ends with a \"# EOF\" line (was the export cut short?)"),
        ("# EOF\na 1 1790812800\n", "m.om:2:1: error: unexpected data after \"# EOF\" (it must be the last line)"),
        ("# EOF\n\n", "m.om:2:1: error: unexpected data after \"# EOF\" (it must be the last line)"),
        ("a 1 1790812800\n\n# EOF\n", "m.om:2:1: error: empty line (OpenMetrics text has no blank lines)"),
        ("# just a comment\n# EOF\n", "m.om:1:1: error: unexpected comment: OpenMetrics allows only \"# HELP\", \"# TYPE\", \"# UNIT\" and \"# EOF\" lines"),
        ("# TYPE a countr\n# EOF\n", "m.om:1:10: error: # TYPE a: unknown type \"countr\" (expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)"),
        ("# UNIT a_seconds bytes\n# EOF\n", "m.om:1:18: error: # UNIT a_seconds: unit \"bytes\" is not a suffix of the metric name"),
        // promtool: "expected text in HELP" / "… in UNIT" (the corpus's bad_help_2, bad_unit_2); "# HELP a " is fine.
        ("# HELP a\n# EOF\n", "m.om:1:9: error: # HELP a: expected a space and the help text after the metric name (an empty help text still needs the space: \"# HELP a \")"),
        ("# UNIT a_seconds\n# EOF\n", "m.om:1:17: error: # UNIT a_seconds: expected a space and the unit after the metric name (an empty unit still needs the space: \"# UNIT a_seconds \")"),
        ("a 1 1790812800\r\n# EOF\n", "m.om:1:15: error: carriage return: OpenMetrics lines end with \\n alone (convert the file with dos2unix)"),
        ("a{b=\"1\" 1 1790812800\n# EOF\n", "m.om:1:8: error: expected \",\" or \"}\" after the value of label b, found a space"),
        ("a{b=1} 1 1790812800\n# EOF\n", "m.om:1:5: error: expected a quoted value for label b, found \"1\""),
        ("a{b=\"1\",b=\"2\"} 1 1790812800\n# EOF\n", "m.om:1:9: error: label b is given twice"),
        // promtool: "expected label name, got \"BCLOSE\"" (the corpus's bad_missing_or_extra_commas_2), in exemplars too.
        ("a{b=\"1\",} 1 1790812800\n# EOF\n", "m.om:1:8: error: a label set may not end with a comma: remove the \",\" before \"}\" (promtool refuses it)"),
        ("a_total 1 1790812800 # {t=\"x\",} 1\n# EOF\n", "m.om:1:30: error: a label set may not end with a comma: remove the \",\" before \"}\" (promtool refuses it)"),
        // promtool: "metric name a_sum does not support exemplars" (the corpus's bad_exemplars_on_unallowed_*), by the
        // name alone: a gauge, an info, a stateset, a histogram's _sum and a counter's _created alike.
        ("# TYPE a gauge\na 1 1790812800 # {t=\"x\"} 1\n# EOF\n", "m.om:2:16: error: a may not carry an exemplar: only samples named …_total or …_bucket do, as promtool has it (remove the \" # {…} …\" part)"),
        ("# TYPE a histogram\na_sum 1 1790812800 # {t=\"x\"} 1\n# EOF\n", "m.om:2:20: error: a_sum may not carry an exemplar: only samples named …_total or …_bucket do, as promtool has it (remove the \" # {…} …\" part)"),
        ("# TYPE a counter\na_created 1 1790812800 # {t=\"x\"} 1\n# EOF\n", "m.om:2:24: error: a_created may not carry an exemplar: only samples named …_total or …_bucket do, as promtool has it (remove the \" # {…} …\" part)"),
        // promtool: "unsupported character in float" (bad_exemplars_7, _8), "invalid exemplar timestamp"
        // (bad_exemplar_timestamp_*).
        ("a_total 1 1790812800 # {t=\"x\"} 0x1p-3\n# EOF\n", "m.om:1:32: error: the exemplar's value \"0x1p-3\" is not a number (write a decimal such as 0.25 or 1e-3, as promtool reads it)"),
        ("a_total 1 1790812800 # {t=\"x\"} 1_000\n# EOF\n", "m.om:1:32: error: the exemplar's value \"1_000\" is not a number (write a decimal such as 0.25 or 1e-3, as promtool reads it)"),
        ("a_total 1 1790812800 # {t=\"x\"} 1 0x1p-3\n# EOF\n", "m.om:1:34: error: the exemplar's timestamp \"0x1p-3\" is not a time (write Unix seconds such as 1790812800 or 1790812800.5, or leave it out)"),
        ("a_total 1 1790812800 # {t=\"x\"} 1 NaN\n# EOF\n", "m.om:1:34: error: the exemplar's timestamp \"NaN\" is not a time (write Unix seconds such as 1790812800 or 1790812800.5, or leave it out)"),
        ("a_total 1 1790812800 # {t=\"x\"} 1 -Inf\n# EOF\n", "m.om:1:34: error: the exemplar's timestamp \"-Inf\" is not a time (write Unix seconds such as 1790812800 or 1790812800.5, or leave it out)"),
        ("{\"a\"} 1 1790812800\n# EOF\n", "m.om:1:1: error: a sample needs a metric name before \"{\" (quoted metric names are not supported)"),
        ("a  1 1790812800\n# EOF\n", "m.om:1:3: error: expected a value after the series, found a space"),
        ("a 1 2026-10-01T00:00:00Z\n# EOF\n", "m.om:1:5: error: not a timestamp: \"2026-10-01T00:00:00Z\" (expected Unix seconds such as 1790812800 or 1790812800.5)"),
        ("a 1 1790812800 extra\n# EOF\n", "m.om:1:15: error: unexpected text after the timestamp (expected the end of the line or an exemplar \" # {…} value\")"),
        ("a NaN 1790812800\n# EOF\n", "m.om:1:3: error: NaN is not a sample value (a at 2026-10-01T00:00:00Z)"),
        ("a -Inf 1790812800\n# EOF\n", "m.om:1:3: error: an infinite value (\"-Inf\") is not a sample value (a at 2026-10-01T00:00:00Z)"),
        ("a 0x10 1790812800\n# EOF\n", "m.om:1:3: error: not a number: \"0x10\" (a at 2026-10-01T00:00:00Z)"),
        ("a 1 1790812800\na 2 1790812800\n# EOF\n", "m.om:2:3: error: conflicting values for a at 2026-10-01T00:00:00Z: 2 here, 1 on line 1"),
        ("a_bucket{le=\"fast\"} 1 1790812800\n# EOF\n", "m.om:1:21: error: histogram bucket a_bucket{le=\"fast\"} has \"le\" \"fast\", which is not a bucket bound (expected a number or +Inf)"),
        ("a_bucket 1 1790812800\n# EOF\n", "m.om:1:10: error: histogram bucket a_bucket has no \"le\" label (its upper bound)"),
        ("a \u{E9} 1790812800\n# EOF\n", "m.om:1:3: error: not a number: \"\u{E9}\" (a at 2026-10-01T00:00:00Z)"),
    ])
    func openMetricsRejects(text: String, message: String) throws {
        #expect(Self.failure { _ = try Self.openMetrics(text) } == message)
    }

    // MARK: - OpenMetrics histogram points

    /// Two points of one histogram and one of another label set, then a gauge histogram with negative bounds and a
    /// `_created` sample beside its point: each point's buckets ascend, never decrease and end with +Inf = _count.
    @Test func openMetricsHistogramPointsKeepTheirRules() throws {
        let rows = try Self.openMetrics("""
            # TYPE d histogram
            d_bucket{s="a",le="0.1"} 1 1790812800
            d_bucket{s="a",le="1"} 1 1790812800
            d_bucket{s="a",le="+Inf"} 3 1790812800
            d_count{s="a"} 3 1790812800
            d_sum{s="a"} 2.5 1790812800
            d_created{s="a"} 1790812000 1790812800
            d_bucket{s="a",le="0.1"} 1 1790812860
            d_bucket{s="a",le="1"} 2 1790812860
            d_bucket{s="a",le="+Inf"} 4 1790812860
            d_bucket{s="b",le="+Inf"} 0 1790812860
            # TYPE g gaugehistogram
            g_bucket{le="-1"} 1 1790812800
            g_bucket{le="1e0"} 2 1790812800
            g_bucket{le="+Inf"} 3 1790812800
            g_gcount 3 1790812800
            g_gsum -5 1790812800
            # EOF
            """)
        #expect(rows.count == 15)
    }

    @Test(arguments: [
        // The corpus's bad_histograms_9: le 2 before le 1.
        ("# TYPE a histogram\na_bucket{le=\"2\"} 0 1790812800\na_bucket{le=\"1\"} 0 1790812800\na_bucket{le=\"+Inf\"} 0 1790812800\n# EOF\n",
         "m.om:3:18: error: histogram buckets out of order: le=\"1\" of a at 2026-10-01T00:00:00Z comes after le=\"2\" on line 2 (write a point's buckets in ascending \"le\" order, ending with le=\"+Inf\")"),
        // One bound written two ways is out of order too (1 and 1.0 are the same bucket).
        ("# TYPE a histogram\na_bucket{le=\"1\"} 0 1790812800\na_bucket{le=\"1.0\"} 0 1790812800\n# EOF\n",
         "m.om:3:20: error: histogram buckets out of order: le=\"1.0\" of a at 2026-10-01T00:00:00Z comes after le=\"1\" on line 2 (write a point's buckets in ascending \"le\" order, ending with le=\"+Inf\")"),
        // bad_histograms_10: 1, 1, then 0 in +Inf.
        ("# TYPE a histogram\na_bucket{le=\"1\"} 1 1790812800\na_bucket{le=\"2\"} 1 1790812800\na_bucket{le=\"+Inf\"} 0 1790812800\n# EOF\n",
         "m.om:4:21: error: histogram buckets not cumulative: le=\"+Inf\" of a at 2026-10-01T00:00:00Z is 0, less than 1 in le=\"2\" on line 3 (a bucket counts every observation up to its bound, so it is never less than the bucket before it)"),
        // bad_histograms_0 and _6: a point with no bucket at all.
        ("# TYPE a histogram\na_sum 1 1790812800\n# EOF\n",
         "m.om:2:1: error: histogram a at 2026-10-01T00:00:00Z ends on this line without a le=\"+Inf\" bucket (write each point's samples together at one time: its buckets in ascending \"le\" order ending with le=\"+Inf\", then a_count and a_sum)"),
        ("# TYPE a gaugehistogram\na_gsum 1 1790812800\n# EOF\n",
         "m.om:2:1: error: histogram a at 2026-10-01T00:00:00Z ends on this line without a le=\"+Inf\" bucket (write each point's samples together at one time: its buckets in ascending \"le\" order ending with le=\"+Inf\", then a_gcount and a_gsum)"),
        // A series-by-series export: the first point (le 0.1 at 00:00) ends when the same bucket's next time starts.
        ("# TYPE a histogram\na_bucket{s=\"x\",le=\"0.1\"} 1 1790812800\na_bucket{s=\"x\",le=\"0.1\"} 2 1790812860\n# EOF\n",
         "m.om:2:1: error: histogram a{s=\"x\"} at 2026-10-01T00:00:00Z ends on this line without a le=\"+Inf\" bucket (write each point's samples together at one time: its buckets in ascending \"le\" order ending with le=\"+Inf\", then a_count and a_sum)"),
        // Another label set starts another point, ending this one.
        ("# TYPE a histogram\na_bucket{s=\"x\",le=\"1\"} 1 1790812800\na_bucket{s=\"y\",le=\"+Inf\"} 1 1790812800\n# EOF\n",
         "m.om:2:1: error: histogram a{s=\"x\"} at 2026-10-01T00:00:00Z ends on this line without a le=\"+Inf\" bucket (write each point's samples together at one time: its buckets in ascending \"le\" order ending with le=\"+Inf\", then a_count and a_sum)"),
        // bad_histograms_11 and _13: +Inf and _count differ, in either order.
        ("# TYPE a histogram\na_bucket{le=\"+Inf\"} 0 1790812800\na_count 1 1790812800\n# EOF\n",
         "m.om:3:9: error: histogram a at 2026-10-01T00:00:00Z: a_count is 1 but its le=\"+Inf\" bucket on line 2 is 0 (both count every observation, so they must be equal)"),
        ("# TYPE a histogram\na_count 1 1790812800\na_bucket{le=\"+Inf\"} 0 1790812800\n# EOF\n",
         "m.om:3:21: error: histogram a at 2026-10-01T00:00:00Z: its le=\"+Inf\" bucket is 0 but a_count on line 2 is 1 (both count every observation, so they must be equal)"),
        ("# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 2 1790812800\na_gcount 3 1790812800\n# EOF\n",
         "m.om:3:10: error: histogram a at 2026-10-01T00:00:00Z: a_gcount is 3 but its le=\"+Inf\" bucket on line 2 is 2 (both count every observation, so they must be equal)"),
    ])
    func openMetricsRejectsBrokenHistogramPoints(text: String, message: String) throws {
        #expect(Self.failure { _ = try Self.openMetrics(text) } == message)
    }

    /// Without `# TYPE … histogram` a `_bucket` series is not part of a point (promtool and OpenMetrics alike read it
    /// as a series of an untyped family); its `le` is still checked.
    @Test func openMetricsBucketsOfAnUntypedFamilyAreSeries() throws {
        #expect(try Self.openMetrics("a_bucket{le=\"1\"} 1 1790812800\na_bucket{le=\"1\"} 2 1790812860\n# EOF\n").count == 2)
    }

    @Test func openMetricsRejectsInvalidUTF8WithItsPlace() throws {
        let path = try Self.file("", "bad.om")
        try Data("a{b=\"".utf8 + [0xE9] + "\"} 1 1790812800\n# EOF\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(Self.failure { _ = try Self.read(OpenMetricsReader(path: path, displayName: "bad.om")) }
            == "bad.om:1:6: error: invalid UTF-8 (byte 0xE9)")
    }

    /// A file longer than a batch and than the reader's buffer chunk: all rows arrive, in batches.
    @Test func openMetricsStreamsInBatches() throws {
        var text = ""
        for i in 0..<20_000 { text += "requests_total{shard=\"\(i % 7)\"} \(i) \(1_790_812_800 + i)\n" }
        text += "# EOF\n"
        var reader = OpenMetricsReader(path: try Self.file(text, "big.om"), displayName: "big.om")
        reader.batchSize = 1000
        var batches = 0, total = 0
        let count = try reader.parse { rows in
            batches += 1
            total += rows.count
        }
        #expect(count == 20_000 && total == 20_000 && batches == 20)
    }

    // MARK: - Prometheus JSON

    static func prometheus(_ text: String) throws -> [MetricRow] {
        try read(PrometheusMetricsReader(path: try file(text, "m.json"), displayName: "m.json"))
    }

    @Test func prometheusSeriesWithValuesBeforeTheirMetric() throws {
        let rows = try Self.prometheus("""
            {"data":{"result":[{"values":[[1790812800,"1"],[1790812800.25,"2"]],"metric":{"job":"x","__name__":"a_total"}}],
             "resultType":"matrix"},"status":"success"}
            """)
        #expect(rows.map(\.series.identity) == [#"a_total{job="x"}"#, #"a_total{job="x"}"#])
        #expect(rows.map(\.time) == [Self.t0, Self.t0 + 250])
    }

    @Test(arguments: [
        (#"{"status":"success","data":{"resultType":"vector","result":[]}}"#,
         "m.json:1:42: error: \"resultType\" is \"vector\"; a metrics import needs a range query (/api/v1/query_range) whose resultType is \"matrix\""),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"x"},"values":[]}]}}"#,
         "m.json:1:71: error: series {job=\"x\"} has no __name__ label; export raw series (e.g. http_requests_total), not the result of an expression such as rate(…)"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a"},"values":[[1790812800,"+Inf"]]}]}}"#,
         "m.json:1:110: error: an infinite value (\"+Inf\") is not a sample value (a at 2026-10-01T00:00:00Z)"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a_count"},"values":[[1790812800,"-1"]]}]}}"#,
         "m.json:1:116: error: negative value -1 for counter a_count at 2026-10-01T00:00:00Z (counters never go below 0; a reset starts again from 0)"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a"},"values":[[1790812860,"1"],[1790812800,"1"]]}]}}"#,
         "m.json:1:115: error: out of order: a at 2026-10-01T00:00:00Z is earlier than 2026-10-01T00:01:00Z on line 1 (each series must be in ascending time order)"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a"},"value":[1790812800,"1"]}]}}"#,
         "m.json:1:88: error: a series has \"value\", so this is an instant query's vector; a metrics import needs a range query (/api/v1/query_range) whose series have \"values\""),
    ])
    func prometheusRejects(text: String, message: String) throws {
        #expect(Self.failure { _ = try Self.prometheus(text) } == message)
    }

    // MARK: - CSV

    static func csv(_ text: String) throws -> [MetricRow] {
        try read(MetricCSVReader(path: try file(text, "m.csv"), displayName: "m.csv"))
    }

    @Test func csvColumnsInAnyOrderAndSeriesWithEscapes() throws {
        let rows = try Self.csv("""
            Value,Series,Timestamp
            5,"a_total{x=""tab\\there"",y=""\\x41""}",1790812800
            6,"a_total{y=""A"",x=""tab\\there""}",1790812801

            """)
        #expect(rows.count == 2)
        #expect(rows[0].labels == ["x": "tab\there", "y": "A"])
        #expect(rows[0].series == rows[1].series)
    }

    @Test(arguments: [
        ("timestamp,series,value\n1790812800,a{b=\"1\"},1\n", "m.csv:2:16: error: unexpected quote in an unquoted field (quote the whole field and write a quote as \"\")"),
        ("timestamp,series\n", "m.csv:1: error: missing required column \"value\" (a metrics CSV has the columns timestamp, series, value)"),
        ("timestamp,series,value,unit\n", "m.csv:1:24: error: unknown column \"unit\" (a metrics CSV has the columns timestamp, series, value)"),
        ("timestamp,series,value\n1790812800,\"a{b!=\"\"1\"\"}\",1\n", "m.csv:2:12: error: malformed series \"a{b!=\\\"1\\\"}\": only label=\"value\" pairs name a series (no != or !~) at column 4 (write it as name{label=\"value\",…}, quoting the CSV field and doubling its quotes)"),
        ("timestamp,series,value\n2026-10-01 00:00:00,a,1\n", "m.csv:2:1: error: timestamp has no UTC offset: \"2026-10-01 00:00:00\""),
        ("timestamp,series,value\n1790812800,a,1,2\n", "m.csv:2:16: error: row has 4 fields but the header has 3"),
    ])
    func csvRejects(text: String, message: String) throws {
        #expect(Self.failure { _ = try Self.csv(text) } == message)
    }

    // MARK: - Series text

    /// What the store writes (`MetricSeries.identity`) parses back to the same labels, control characters included.
    @Test func seriesTextRoundTripsThroughIdentity() throws {
        let labels = ["path": "/a\"b\\c", "note": "line\nbreak\ttab\r\u{1}", "empty_not": "é"]
        let identity = MetricSeries(name: "x:y_total", labels: labels, samples: []).identity
        let parsed = try MetricSeriesText.parse(identity)
        #expect(parsed.name == "x:y_total" && parsed.labels == labels && parsed.identity == identity)
    }

    @Test(arguments: [
        (#"http_requests_total{code="500""#, "expected ',' or '}' at column 31"),
        ("", "expected a metric name, found the end at column 1"),
        (#"a{b="1"} x"#, "unexpected 'x' after the series at column 10"),
        (#"a{b=~"1"}"#, "only label=\"value\" pairs name a series (no =~) at column 4"),
        (#"a{__name__="b"}"#, "label __name__ inside the braces: write the metric name before '{' at column 3"),
        (#"a{b="\q"}"#, #"unknown escape sequence '\q' (use \", \\, \n, \r, \t or \xNN) at column 6"#),
    ])
    func seriesTextRejects(text: String, message: String) {
        #expect(throws: MetricSeriesText.ParseError.self) { _ = try MetricSeriesText.parse(text) }
        do { _ = try MetricSeriesText.parse(text) } catch { #expect(error.description == message) }
    }

    // MARK: - Timestamps and detection

    @Test func epochSecondsAreExactToTheMillisecond() throws {
        #expect(try MetricText.epochSeconds("1790812800") == Self.t0)
        #expect(try MetricText.epochSeconds("1790812800.999999") == Self.t0 + 999)
        #expect(try MetricText.epochSeconds("1.7908128e9") == Self.t0)
        #expect(try MetricText.epochSeconds("-0.0005") == -1)
        #expect(throws: MetricValueReason.self) { try MetricText.epochSeconds("1e20") }
        #expect(throws: MetricValueReason.self) { try MetricText.epochSeconds("NaN") }
    }

    @Test(arguments: [
        ("{\"status\":\"success\"}", MetricFormat.prometheusJSON),
        ("\u{FEFF}  \n{}", .prometheusJSON),
        ("# TYPE a counter\n", .openmetrics),
        ("# EOF\n", .openmetrics),
        ("a_total{b=\"1,2\"} 1 1790812800\n# EOF\n", .openmetrics),
        ("timestamp,series,value\n", .csv),
        ("Series, Value ,Timestamp\r\n", .csv),
    ])
    func autoDetection(text: String, format: MetricFormat) throws {
        let path = try Self.file(text, "x")
        #expect(try MetricFormat.detect(URL(fileURLWithPath: path), name: "x") == format)
    }
}
