import Foundation
@testable import Pipeline
@testable import Storage
import Calc

/// The pipeline called in-process over a scratch estate (its own database): what the golden and figure tests use.
/// Tests that pin exit codes, stdout and stderr run the binary instead (`TestSupport.run`).
enum InProcess {
    /// A context with fixed values: no clock, no terminal, messages collected, and the checkout's `templates/` as
    /// the installed templates (what the binary finds beside `.build`).
    static func context(now: Int64 = 0, log: Log = Log { _ in }) -> RunContext {
        RunContext(now: now, log: log, temporaryDirectory: FileManager.default.temporaryDirectory,
                   templateFolders: [TestSupport.packageRoot.appendingPathComponent("templates")])
    }

    /// Imports the given status and metric exports into the config's database, each list in the given order.
    static func importExports(config: Config, status: [String], metrics: [String]) throws {
        let importer = Importer(config: config, sink: try Store.opening(config), log: Log { _ in })
        try importer.importFiles(ImportPlan(paths: status, format: .status(.auto), replace: false, config: config))
        try importer.importFiles(ImportPlan(paths: metrics, format: .metrics(.auto), replace: false, config: config))
    }

    /// Writes the report of `period` (all the config's formats) into `directory`, replacing it.
    static func writeReport(config: Config, period: String, to directory: URL) throws {
        let store = try Store.opening(config)
        _ = try ReportJob(config: config, store: store, context: context())
            .writeReport(period: try PeriodSpec(period), formats: nil, asOf: nil, directory: directory)
    }
}
