import Ingest
import Storage
import Calc
import Foundation
import Render

/// `run`, the cron entry: under the lock, pull from the configured sources, import every configured input, then
/// publish the period's report.
package struct RunJob {
    package let config: Config
    package let context: RunContext
    package var log: Log { context.log }

    /// Returns the directory holding the period's report (`strict`: see `ReportJob.strict`). Idempotent: a second run imports nothing, writes
    /// nothing, and says so.
    package func run(period: PeriodSpec, asOf: Millis?, strict: Bool = false) throws -> URL {
        let lock = try RunLock.acquire(forDatabase: config.databasePath)
        defer { withExtendedLifetime(lock) {} }

        let inputs = try ConfiguredInputs.expand(config)
        for warning in inputs.warnings { log(warning.description) }
        let store = try Store.opening(config)
        // §11: with `sources`, the period's samples are pulled (archived and imported) before the inputs.
        if config.sources != nil {
            try PullJob(config: config, store: store, context: context).pull(period: period, asOf: asOf)
        }
        let summaries = try importInputs(inputs, into: store)

        var job = ReportJob(config: config, store: store, context: context)
        job.strict = strict
        let outcome = try job.publishReport(period: period, formats: nil, asOf: asOf)
        let imported = summaries.filter { !$0.alreadyImported }.count
        if case .unchanged = outcome, imported == 0 {
            log("run: nothing changed (\(summaries.count) input file\(summaries.count == 1 ? "" : "s") already imported, report unchanged)")
        }
        return outcome.directory
    }

    /// Imports the configured inputs through the `Importer` `import status` and `import metrics` use: each file in its
    /// own transaction, a file whose bytes were imported before skipped by its SHA-256. Throws exit 65 after every
    /// file was tried when any was rejected (66 when each rejected file vanished), so no report is written.
    private func importInputs(_ inputs: ConfiguredInputs, into store: Store) throws -> [ImportSummary] {
        let outcome = try Importer(config: config, sink: store, log: log, showsProgress: context.showsProgress, now: context.now).importEach(inputs.plan)
        if let rejection = outcome.rejection(consequence: "nothing from them was stored and no report was written "
                                             + "(fix or remove them, then run again)") {
            let code = outcome.rejected.allSatisfy(\.isNoInput) ? ExitStatus.noInput : ExitStatus.dataError
            throw CommandFailure(code, diagnostics: [rejection])
        }
        return outcome.summaries
    }

    package init(config: Config, context: RunContext) {
        self.config = config
        self.context = context
    }
}
