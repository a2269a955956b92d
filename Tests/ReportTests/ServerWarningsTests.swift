import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Storage

/// A Prometheus-compatible server's `warnings` (and `infos`) can mean partial data: the import prints each one and
/// counts them in the summary line, for status and metric responses alike; the samples are still imported.
@Suite struct ServerWarningsTests {
    static let status = """
        {"status":"success","warnings":["partial response: store gateway unavailable"],"data":{"resultType":"matrix",
        "result":[{"metric":{"service":"API"},"values":[[1790812800,"1"],[1790812860,"1"]]}]},"infos":["fine"]}
        """
    static let metrics = """
        {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total",
        "service":"api"},"values":[[1790812800,"5"]]}]},"warnings":["query hit the series limit"]}
        """

    @Test func warningsArePrintedAndCounted() throws {
        let (dir, config) = try ImporterTests.estate(["s.json": Self.status, "m.json": Self.metrics])
        let lines = ImporterTests.Lines()
        let importer = Importer(config: config, sink: try Store.opening(config), log: lines.log)
        _ = try importer.importEach(ImportPlan(files: [
            ImportPlan.File(configRelative: "s.json", config: config, format: .status(.explicit(.prometheusJSON))),
            ImportPlan.File(configRelative: "m.json", config: config, format: .metrics(.explicit(.prometheusJSON))),
        ]))
        let hint = "its data may be partial; check the server and the range before relying on this import"
        #expect(lines.all == [
            "s.json: warning: the server warned: \"partial response: store gateway unavailable\"; \(hint)",
            "s.json: warning: the server warned: \"info: fine\"; \(hint)",
            "imported s.json (prometheus-json): 2 rows, 2 new, 0 already stored, 0 replaced, 2 warnings; "
                + "2 samples of \"API\", which no service's status_series names",
            "m.json: warning: the server warned: \"query hit the series limit\"; \(hint)",
            "imported m.json (prometheus-json): 1 row, 1 new, 0 already stored, 0 replaced, 1 warning; "
                + #"1 sample of "http_requests_total{service=\"api\"}", which no service's metric selectors match"#,
        ])
        _ = dir
    }

    @Test func warningsMustBeStrings() throws {
        let (_, config) = try ImporterTests.estate(["bad.json": """
            {"status":"success","warnings":[3],"data":{"resultType":"matrix","result":[]}}
            """])
        let lines = ImporterTests.Lines()
        let outcome = try Importer(config: config, sink: try Store.opening(config), log: lines.log).importEach(ImportPlan(files: [
            ImportPlan.File(configRelative: "bad.json", config: config, format: .metrics(.explicit(.prometheusJSON))),
        ]))
        // `{"status":"success","warnings":[` is 32 characters, so the 3 stands at column 33.
        #expect(outcome.rejected.map(\.description) == ["bad.json:1:33: error: \"warnings\" must be an array of strings, not a number"])
    }
}
