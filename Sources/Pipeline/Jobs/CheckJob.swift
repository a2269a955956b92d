import Ingest
import Storage
import Calc
import Foundation

/// `check`: validates the config and parses every configured input in full, storing nothing.
///
/// The inputs go through the `Importer` `run` uses (same readers, same messages), with `ConflictCheck` as its sink:
/// when the database exists, each row is looked up read-only among the stored samples, so a file that `run` would
/// reject as a conflict is caught too. Files are checked one by one: two new files that contradict each other are
/// found by `run`.
package struct CheckJob {
    package let config: Config
    package let context: RunContext
    package var log: Log { context.log }

    package func run() throws {
        try checkTemplate()
        let inputs = try ConfiguredInputs.expand(config)
        for warning in inputs.warnings { log(warning.description) }
        let importer = Importer(config: config, sink: ConflictCheck(stored: try StoredSamples(databasePath: config.databasePath)),
                                log: log, showsProgress: context.showsProgress, now: context.now)
        let outcome = try importer.importEach(inputs.plan)
        let count = inputs.files.count
        let rejected = outcome.rejected
        if !rejected.isEmpty {
            // The files' problems were logged as they were found; this line ends the list.
            log("check: \(rejected.count) of \(count) input files would be rejected; nothing was changed")
            throw CommandFailure(rejected.allSatisfy(\.isNoInput) ? ExitStatus.noInput : ExitStatus.dataError, diagnostics: [])
        }
        log("check: \(config.path) and \(count) input file\(count == 1 ? "" : "s") are valid; nothing was changed")
    }

    /// The Markdown template must be found now rather than after a cron run has imported everything.
    private func checkTemplate() throws {
        guard config.formats.contains(.md) else { return }
        let name = "report.md.mustache"
        let candidates = config.templatesDirectory.map { [$0] } ?? context.templateFolders
        guard candidates.contains(where: { FileManager.default.isReadableFile(atPath: $0.appendingPathComponent(name).path) }) else {
            throw CommandFailure(ExitStatus.config, diagnostics: [
                Diagnostic(file: config.path, location: .keyPath("templates"), message: "no \(name) in "
                           + candidates.map { $0.appendingPathComponent(name).path }.joined(separator: " or ")),
            ])
        }
    }

    package init(config: Config, context: RunContext) {
        self.config = config
        self.context = context
    }
}
