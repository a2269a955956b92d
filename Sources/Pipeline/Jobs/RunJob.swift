import Ingest
import Storage
import Calc
import Foundation
import Render

/// `run`, the cron entry: under the lock, import every configured input, then publish the period's report.
package struct RunJob {
    package let config: Config
    package let context: RunContext
    package var log: Log { context.log }

    /// Returns the directory holding the period's report. Idempotent: a second run imports nothing, writes
    /// nothing, and says so.
    package func run(period: PeriodSpec, asOf: Millis?) throws -> URL {
        let lock = try RunLock.acquire(forDatabase: config.databasePath)
        defer { withExtendedLifetime(lock) {} }

        let inputs = try ConfiguredInputs.expand(config)
        for warning in inputs.warnings { log(warning) }
        let store = try Store.opening(config)
        let summaries = try InputImport(config: config, store: store, log: log).importAll(inputs.files)

        let job = ReportJob(config: config, store: store, context: context)
        let outcome = try job.publishReport(period: period, formats: nil, asOf: asOf)
        let imported = summaries.filter { !$0.alreadyImported }.count
        if case .unchanged = outcome, imported == 0 {
            log("run: nothing changed (\(summaries.count) input file\(summaries.count == 1 ? "" : "s") already imported, report unchanged)")
        }
        return outcome.directory
    }

    package init(config: Config, context: RunContext) {
        self.config = config
        self.context = context
    }
}
