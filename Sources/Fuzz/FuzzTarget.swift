import Foundation
import Ingest

/// One reader to fuzz: what its inputs look like (seeds, tokens, file name) and how it is run (`Harness`).
enum FuzzTarget: String, CaseIterable {
    case statusCSV = "status-csv"
    case metricsCSV = "metrics-csv"
    case openMetrics = "openmetrics"
    case prometheusMetrics = "prometheus-metrics"
    case prometheusStatus = "prometheus-status"
    case statuspage
    case uptimeKuma = "uptime-kuma"
    case config

    /// The file name an input is written under (the format is given explicitly; the name is what messages show).
    var fileName: String {
        switch self {
        case .statusCSV: "status.csv"
        case .metricsCSV: "metrics.csv"
        case .openMetrics: "metrics.om"
        case .prometheusMetrics: "metrics.json"
        case .prometheusStatus: "probe.json"
        case .statuspage: "incidents.json"
        case .uptimeKuma: "kuma.db"
        case .config: "sla.yaml"
        }
    }

    /// Whether every byte of an accepted input must be UTF-8 (all but the SQLite database).
    var isText: Bool { self != .uptimeKuma }

    var format: InputFormatChoice? {
        switch self {
        case .statusCSV: .status(.explicit(.csv))
        case .metricsCSV: .metrics(.explicit(.csv))
        case .openMetrics: .metrics(.explicit(.openmetrics))
        case .prometheusMetrics: .metrics(.explicit(.prometheusJSON))
        case .prometheusStatus: .status(.explicit(.prometheusJSON))
        case .statuspage: .status(.explicit(.statuspage))
        case .uptimeKuma: .status(.explicit(.uptimeKuma))
        case .config: nil
        }
    }

    /// Tokens of the format the mutator inserts.
    var dictionary: [[UInt8]] {
        let common = [",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\\", "{", "}", "=", "café", "cafe\u{301}", "api", "up", "down"]
        let specific: [String]
        switch self {
        case .statusCSV:
            specific = ["timestamp", "service", "status", "region", "response_time_ms", "message", "2026-10-01T00:00:00Z",
                        "2026-10-01T00:00:00+02:00", "1790812800", "degraded", "maintenance", "unknown", "1", "0", "\"a,b\""]
        case .metricsCSV:
            specific = ["timestamp,series,value", "x_total{a=\"\"b\"\"}", "{le=\"\"+Inf\"\"}", "_bucket", "_total", "\\x00",
                        "\\x7f", "\\n", "\\t", "\\\"", "__name__", "2026-10-01T00:00:00Z", "1.5e3"]
        case .openMetrics:
            specific = ["# EOF", "# TYPE x counter", "# TYPE h histogram", "# HELP x text", "# UNIT x_seconds seconds",
                        "x_total{a=\"b\"} 1 1790812800", "h_bucket{le=\"+Inf\"} 3 1790812800", " # {trace_id=\"a\"} 1",
                        "\\n", "\\\"", "\\\\", "le=\"0.5\"", ",}", "_created", "NaN", "+Inf"]
        case .prometheusMetrics, .prometheusStatus:
            specific = ["{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[", "\"metric\":{", "\"values\":[",
                        "[1790812800,\"1\"]", "\"__name__\"", "\"warnings\":[\"w\"]", "\"infos\":[\"i\"]", "\"status\":\"error\"",
                        "\\u0000", "\\ud800", "\\ude00", "\\u00e9", "\"service\":\"api\"", "\"region\":\"eu\"", "null", "true",
                        "[", "]", ":", "1e999", "\"histograms\"", "\"value\""]
        case .statuspage:
            specific = ["{\"page\":{\"updated_at\":\"2026-10-31T12:00:00Z\"},\"incidents\":[", "\"incident_updates\":[",
                        "\"affected_components\":[", "\"components\":[", "\"new_status\":\"major_outage\"",
                        "\"old_status\":\"operational\"", "\"impact\":\"critical\"", "\"started_at\":\"9999-12-31T23:59:59Z\"",
                        "\"resolved_at\":null", "\"shortlink\":\"\u{FF}\"", "\\u0000", "\"code\":\"x\"", "\"name\":\"\\u0000\"",
                        "\"scheduled_maintenances\":[", "null", "[", "]", ":"]
        case .uptimeKuma:
            specific = []
        case .config:
            specific = ["&a ", "*a", "? ", "<<: *a", "!!binary ", "[", "]", ": ", "- ", "{id: x}", "status_series: ",
                        "leases:\n  - ", "tiers:\n  t:\n    objectives: ", "window: 1ms", "target: \"150\"", "\t", "'",
                        "%YAML 1.2\n", "---\n", "...\n", "!<tag:x>", "|\n  ", ">-\n  ", "~"]
        }
        return (common + specific).map { Array($0.utf8) }
    }

    /// The seeds: the project's fixtures of this kind (long exports cut to their first lines, kept valid), and small
    /// hand-written ones for features the fixtures lack.
    func seeds(fixtures: URL) -> [[UInt8]] {
        func files(_ folder: String, _ suffix: String) -> [URL] {
            let dir = fixtures.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { $0.hasSuffix(suffix) }.sorted().map { dir.appendingPathComponent($0) }
        }
        func read(_ url: URL) -> [UInt8] { (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? [] }
        func head(_ url: URL, lines: Int, then tail: String = "") -> [UInt8] {
            let all = Mutator.lines(read(url))
            return Array(all.prefix(lines).joined()) + Array(tail.utf8)
        }
        var out: [[UInt8]]
        switch self {
        case .statusCSV:
            out = files("errors", ".csv").map(read) + files("exports/status", ".csv").map { head($0, lines: 30) }
            out += Self.texts([
                "timestamp,service,region,status,response_time_ms,message\n2026-10-01T00:00:00Z,api,eu,up,12,\"ok, fine\"\n"
                    + "2026-10-01T00:01:00+02:00,api,us,down,,\"timeout\"\n1790812920,db,,degraded,5,\n",
                "Timestamp , SERVICE,Status\n2026-10-01T00:00:00.123Z,caf\u{E9},1\n2026-10-01T00:01:00Z,cafe\u{301},0\n",
            ])
        case .metricsCSV:
            out = files("errors/metrics", ".csv").map(read) + files("exports/metrics", ".csv").map { head($0, lines: 30) }
            out += Self.texts([
                "timestamp,series,value\n2026-12-01T13:00:00Z,\"x_total{a=\"\"b\"\"}\",12345678901.123456789012345\n"
                    + "1790812800,\"h_bucket{le=\"\"0.5\"\",x=\"\"\\x41\"\"}\",3\n1790812860,h_count,4\n",
            ])
        case .openMetrics:
            out = files("errors/metrics", ".om").map(read)
                + files("exports/metrics", ".om").map { head($0, lines: 30, then: "# EOF\n") }
            out += Self.texts([
                "# HELP h Latency.\n# TYPE h histogram\n# UNIT h seconds\nh_bucket{le=\"0.5\"} 1 1790812800\n"
                    + "h_bucket{le=\"+Inf\"} 2 1790812800 # {trace_id=\"a\"} 0.3 1790812800\nh_count 2 1790812800\n"
                    + "h_sum 0.7 1790812800\nx_total{path=\"/a\\\"b\\\\c\"} 1 1790812800.5\n# EOF\n",
            ])
        case .prometheusMetrics:
            out = files("errors/metrics", ".json").map(read) + files("exports/metrics", ".json").map { Self.shrinkJSON(read($0)) }
            out += Self.texts([
                #"{"status":"success","warnings":["partial"],"infos":["i"],"data":{"resultType":"matrix","result":["#
                    + #"{"values":[[1790812800,"1"]],"metric":{"__name__":"x_total","code":"200","service":"caf\u00e9"}},"#
                    + #"{"metric":{"__name__":"h_bucket","le":"+Inf"},"values":[[1790812800.5,"3"],[1790812860,"1e3"]]}]}}"#,
            ])
        case .prometheusStatus:
            out = [read(fixtures.appendingPathComponent("formats/probe_success.json"))]
            out += Self.texts([
                #"{"status":"success","warnings":["w"],"data":{"resultType":"matrix","result":["#
                    + #"{"metric":{"__name__":"probe_success","job":"api","region":"eu"},"values":[[1790812800,"1"],[1790812860,"0"]]},"#
                    + #"{"values":[[1790812800.25,"0"]],"metric":{"instance":"cafe\u0301","region":""}}]}}"#,
            ])
        case .statuspage:
            out = [read(fixtures.appendingPathComponent("formats/incidents.json"))]
            out += Self.texts([
                #"{"page":{"id":"p","updated_at":"2026-10-02T00:00:00Z"},"incidents":[{"id":"i1","name":"x","impact":"major","#
                    + #""shortlink":"https://stspg.io/x","created_at":"2026-10-01T00:00:00Z","resolved_at":"2026-10-01T01:00:00Z","#
                    + #""components":[{"id":"c1","name":"API"}],"incident_updates":[{"affected_components":[{"code":"c1","#
                    + #""name":"API","old_status":"operational","new_status":"partial_outage"}]}]}]}"#,
            ])
        case .uptimeKuma:
            out = [read(fixtures.appendingPathComponent("formats/kuma.db"))]
        case .config:
            out = [read(fixtures.appendingPathComponent("sla.yaml")), read(fixtures.appendingPathComponent("formats/sla.yaml"))]
                + files("errors/config", ".yaml").map(read)
            out += Self.texts([
                "version: 1\ntimezone: UTC\ndatabase: sla.db\nproviders: &p [{id: p}]\ncustomers: [{id: c}]\n"
                    + "services: [{id: api, provider: p, status_series: \"caf\\u00e9\", metrics: {requests: 'x_total{a=\"b\"}'}}]\n"
                    + "tiers:\n  t:\n    objectives: &o [{id: up, metric: uptime, target: \"99.9\"}]\n  u:\n    objectives: *o\n"
                    + "leases:\n  - {id: L-1, customer: c, service: api, tier: t, monthly_fee: \"100.00\", start: \"2026-10-01\"}\n",
            ])
        }
        return out.filter { !$0.isEmpty || self == .statusCSV }
    }

    private static func texts(_ texts: [String]) -> [[UInt8]] { texts.map { Array($0.utf8) } }

    /// A Prometheus response with each series' values cut to their first five, so a seed is a few kilobytes.
    private static func shrinkJSON(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > 16 << 10,
              var root = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
              var data = root["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else { return bytes }
        data["result"] = result.map { series -> [String: Any] in
            var series = series
            if let values = series["values"] as? [Any] { series["values"] = Array(values.prefix(5)) }
            return series
        }
        root["data"] = data
        return (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])).map { [UInt8]($0) } ?? bytes
    }
}
