import Foundation
import Testing
@testable import Pipeline
@testable import Ingest
@testable import Storage

/// A metric value with many digits crashed the import writing its exact text (issue 11's reproducer); it is
/// stored exactly and the report is computed.
@Suite struct OverflowImportTests {
    @Test func metricValueWithTwentySixDigitsImportsAndReports() throws {
        let (root, configURL) = try TestSupport.estateCopy()
        let file = root.appendingPathComponent("big.csv")
        try Data("timestamp,series,value\n2026-10-01T13:00:00Z,\"x_total{a=\"\"b\"\"}\",12345678901.123456789012345\n".utf8)
            .write(to: file)
        let config = try Config.load(path: configURL.path)
        try InProcess.importExports(config: config, status: try TestSupport.statusExports(under: configURL),
                                    metrics: [file.path])
        let store = try Store.opening(config)
        let query = try store.database.statement("SELECT value FROM metric_sample")
        var stored: [String] = []
        while try query.step() { stored.append(query.text(0)) }
        #expect(stored == ["12345678901.123456789012345"])
        try InProcess.writeReport(config: config, period: "2026-10", to: root.appendingPathComponent("out"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/report.json").path))
    }
}
