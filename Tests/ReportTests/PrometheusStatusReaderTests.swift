import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// 2026-10-01T00:00:00Z = 1 790 812 800 s.
private let october1: Millis = 1_790_812_800_000

private func file(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString).json")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// A success response around `result` (the text of the array's elements).
private func response(_ result: String) -> String {
    #"{"status":"success","data":{"resultType":"matrix","result":["# + result + "]}}"
}

private func read(_ text: String, labels: [String] = PrometheusStatusReader.defaultServiceLabels,
                  range: StatusTimeRange = .all, batchSize: Int = 8192, chunkSize: Int = 1 << 16) throws -> [StatusRow] {
    var rows: [StatusRow] = []
    let reader = PrometheusStatusReader(path: try file(text), displayName: "p.json", serviceLabels: labels, range: range,
                                        batchSize: batchSize, chunkSize: chunkSize)
    let count = try reader.parse { rows += $0 }
    #expect(count == rows.count)
    return rows
}

private func readError(_ text: String, labels: [String] = PrometheusStatusReader.defaultServiceLabels) -> String? {
    do {
        _ = try read(text, labels: labels)
        return nil
    } catch {
        return "\(error)"
    }
}

struct PrometheusStatusReaderTests {
    @Test func serviceRegionTimesAndValues() throws {
        let rows = try read(response("""
            {"metric":{"__name__":"probe_success","job":"blackbox","service":"api","region":"eu"},
             "values":[[1790812800,"1"],[1790812860.125,"0"],[1790812920.1239,"1"]]}
            """), batchSize: 2, chunkSize: 5)
        #expect(rows == [
            StatusRow(service: "api", region: "eu", time: october1, status: .up, responseTimeMs: nil, message: nil, line: 2),
            StatusRow(service: "api", region: "eu", time: october1 + 60_125, status: .down, responseTimeMs: nil, message: nil, line: 2),
            // Sub-millisecond digits are cut, as for every timestamp.
            StatusRow(service: "api", region: "eu", time: october1 + 120_123, status: .up, responseTimeMs: nil, message: nil, line: 2),
        ])
    }

    @Test func serviceLabelPreference() throws {
        let series = #"{"metric":{"__name__":"up","job":"node","instance":"db-1:9100"},"values":[[1790812800,"1"]]}"#
        #expect(try read(response(series)).map(\.service) == ["node"])                      // service, job, instance
        #expect(try read(response(series), labels: ["instance", "job"]).map(\.service) == ["db-1:9100"])
        #expect(try read(response(series), labels: ["team", "job"]).map(\.service) == ["node"])
        #expect(readError(response(series), labels: ["service", "team"]) == "p.json:1:71: error: series up{instance=\"db-1:9100\","
            + "job=\"node\"} has none of the labels service, team to name its service (choose one with --service-label, or service_label in the config)")
    }

    @Test func membersInAnyOrder() throws {
        // `values` before `metric` (Prometheus writes metric first; others may not), `data` before `status`,
        // `resultType` after `result`, and members slareport does not use.
        let text = """
            {"data":{"result":[{"values":[[1790812800,"1"],[1790812860,"0"]],"metric":{"service":"api"}}],"resultType":"matrix"},
             "warnings":["some warning"],"status":"success"}
            """
        #expect(try read(text).map(\.status) == [.up, .down])
    }

    @Test func exactRepeatsAreDroppedAndContradictionsRejected() throws {
        #expect(try read(response(#"{"metric":{"service":"a"},"values":[[1790812800,"1"],[1790812800,"1"],[1790812860,"1"]]}"#)).count == 2)
        #expect(readError(response(#"{"metric":{"service":"a"},"values":[[1790812800,"1"],[1790812800,"0"]]}"#))
            == "p.json:1:114: error: conflicting values for {service=\"a\"} at 2026-10-01T00:00:00Z: down here, up on line 1")
        #expect(readError(response(#"{"metric":{"service":"a"},"values":[[1790812860,"1"],[1790812800,"1"]]}"#))
            == "p.json:1:114: error: out of order: {service=\"a\"} at 2026-10-01T00:00:00Z is earlier than 2026-10-01T00:01:00Z "
            + "on line 1 (each series must be in ascending time order)")
    }

    @Test func timeRangeKeepsOnlyWhatIsInside() throws {
        let text = response(#"{"metric":{"service":"a"},"values":[[1790812800,"1"],[1790812860,"0"],[1790812920,"1"]]}"#)
        let rows = try read(text, range: StatusTimeRange(since: october1 + 60_000, until: october1 + 120_000))
        #expect(rows.map(\.time) == [october1 + 60_000])
    }

    @Test(arguments: [
        (response(#"{"metric":{"service":"a"},"value":[1790812800,"1"]}"#),
         "p.json:1:87: error: a series has \"value\", so this is an instant query's vector; a status import needs a range query "
         + "(/api/v1/query_range) whose series have \"values\""),
        (response(#"{"metric":{"service":"a"},"histograms":[]}"#),
         "p.json:1:87: error: a series has \"histograms\" (native histogram samples); a status series holds 0 and 1 only"),
        (response(#"{"values":[]}"#), "p.json:1:61: error: this series has no \"metric\" member"),
        (response(#"{"metric":{"service":"a"},"values":[[1.7908128e9,"1"]]}"#),
         "p.json:1:98: error: timestamp 1.7908128e9 is not plain Unix seconds (expected digits with an optional fraction)"),
        (response(#"{"metric":{"service":"a"},"values":[["1790812800","1"]]}"#),
         "p.json:1:98: error: a sample's timestamp must be a number of Unix seconds, not a string"),
        (response(#"{"metric":{"service":"a"},"values":[[1790812800,1]]}"#),
         "p.json:1:109: error: a sample's value must be a string such as \"1\", not a number"),
        (response(#"{"metric":{"service":"a"},"values":[[1790812800,"1",2]]}"#),
         "p.json:1:113: error: a [timestamp, \"value\"] pair has more than two elements"),
        (response(#"{"metric":{"service":5}}"#), "p.json:1:82: error: label \"service\" must be a string, not a number"),
        (#"{"status":"success"}"#, "p.json: error: not a Prometheus query_range response: it has no \"data\" member"),
        (#"{"data":{"resultType":"matrix","result":[]}}"#, "p.json: error: not a Prometheus query_range response: it has no \"status\" member"),
        (#"{"status":"pending","data":{}}"#, "p.json:1:11: error: \"status\" is \"pending\" (expected \"success\")"),
        (#"[{"status":"success"}]"#, "p.json:1:1: error: expected a Prometheus query_range response (a JSON object), found an array"),
    ])
    func malformedResponses(text: String, expected: String) {
        #expect(readError(text) == expected)
    }

    @Test func emptyResultIsNoRows() throws {
        #expect(try read(response("")).isEmpty)
    }
}
