import Ingest
import Storage
import Calc
import Foundation

/// The one importer: reads each file of an `ImportPlan` with its format's reader and hands the rows to a sink (the
/// store, or `check`'s read-only look-up), file by file, one summary line each.
///
/// Status CSV files are read ahead (`StatusReadAhead`): while one file is written, the next two are hashed and parsed
/// on their own threads.
package struct Importer {
    package let config: Config
    package let sink: ImportSink
    package let log: Log
    /// Whether to draw the file being imported (`RunContext.showsProgress`: stderr is a terminal; `verify`
    /// re-imports quietly).
    package var showsProgress = false
    /// The wall clock (`RunContext.now`): a Statuspage page updated later than it (and a day) cannot be real. nil: no
    /// such check.
    package var now: Millis? = nil

    package init(config: Config, sink: ImportSink, log: Log, showsProgress: Bool = false, now: Millis? = nil) {
        self.config = config
        self.sink = sink
        self.log = log
        self.showsProgress = showsProgress
        self.now = now
    }

    /// `import status|metrics`: into the configuration's own database, messages and progress as `context` says.
    package static func intoStore(of config: Config, context: RunContext) throws -> Importer {
        Importer(config: config, sink: try Store.opening(config), log: context.log, showsProgress: context.showsProgress,
                 now: context.now)
    }

    /// `import status` and `import metrics`: every file must exist (else exit 66 before anything is imported); each is
    /// then imported on its own, a rejected file reported and the others still imported; exit 65 at the end when any
    /// file was rejected.
    @discardableResult
    package func importFiles(_ plan: ImportPlan) throws -> [ImportSummary] {
        let missing = plan.files.filter { !FileManager.default.fileExists(atPath: $0.url.path) }
        guard missing.isEmpty else {
            throw CommandFailure(ExitStatus.noInput, diagnostics: missing.map {
                Diagnostic(file: $0.name, message: InputFileProblem.noSuchFile, hint: "nothing was imported (check the path)")
            })
        }
        let outcome = try importEach(plan)
        if let rejection = outcome.rejection(consequence: "nothing from them was stored") {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [rejection])
        }
        return outcome.summaries
    }

    /// Imports the plan's files in order, each on its own: progress on a terminal, one summary line per file, a
    /// rejected file's diagnostic logged and kept while the others are still imported. Any other error (the
    /// database failing) ends the loop.
    package func importEach(_ plan: ImportPlan) throws -> ImportOutcome {
        let readAhead = StatusReadAhead(plan.files, databasePath: config.databasePath)
        let progress = ImportProgress(enabled: showsProgress)
        var outcome = ImportOutcome()
        for (index, file) in plan.files.enumerated() {
            let prefetched = readAhead.take(index)
            defer { prefetched?.cancel() }
            // A file read ahead counts on its own thread; any other is read here, on this one.
            let counter = prefetched?.progress ?? ReadProgress()
            let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? nil
            progress.start("[\(index + 1)/\(plan.files.count)] \(file.name)", counter: counter, size: size)
            do {
                let summary = try ReadProgress.$current.withValue(counter) {
                    try importFile(file, replace: plan.replace, prefetched: prefetched)
                }
                progress.clear()
                for warning in summary.warnings { log(warning.description) }
                log(summary.line)
                outcome.results.append(.success(summary))
            } catch let diagnostic as Diagnostic {
                progress.clear()
                log(diagnostic.description)
                outcome.results.append(.failure(diagnostic))
            } catch {
                progress.clear()
                throw error
            }
        }
        return outcome
    }

    /// Imports one file: chooses its format, opens its reader, hashes its bytes and hands its rows to the sink.
    /// Throws a `Diagnostic` when the file is rejected. `prefetched` is the file's read-ahead, used when it is a CSV.
    package func importFile(_ file: ImportPlan.File, replace: Bool, prefetched: StatusPrefetch? = nil) throws -> ImportSummary {
        if let problem = InputFileProblem.special(file.url.path) { throw Diagnostic(file: file.name, message: problem) }
        var summary: ImportSummary
        switch file.format {
        case .status(let choice):
            let (format, detected) = try choice.resolve(file.url, name: file.name)
            var source = format.reader(path: file.url.path, displayName: file.name, options: file.options,
                                       statuspage: statuspageSettings)
            let prefetched = format == .csv ? prefetched : nil
            let sha256 = try prefetched?.sha256() ?? Self.sha256(of: file)
            if let prefetched { source = PrefetchedSource(prefetch: prefetched, inline: source) }
            source = NameCheckedStatusSource(source: source, displayName: file.name)
            summary = try sink.importStatus(from: source, format: format, recordedPath: file.recordedPath,
                                            displayName: file.name, sha256: sha256, replace: replace)
            summary.detected = detected
            if !summary.alreadyImported { summary.warnings = try source.warnings() }
            let configured = Set(config.estate.services.map(\.statusSeries))
            summary.unmapped = summary.samplesByService.filter { !configured.contains($0.key) && $0.value > 0 }
                .sorted { $0.key < $1.key }.map { (service: $0.key, samples: $0.value) }
        case .metrics(let choice):
            let (format, detected) = try choice.resolve(file.url, name: file.name)
            let source = NameCheckedMetricSource(source: format.reader(path: file.url.path, displayName: file.name),
                                                 displayName: file.name)
            summary = try sink.importMetrics(from: source, format: format, recordedPath: file.recordedPath,
                                             displayName: file.name, sha256: try Self.sha256(of: file), replace: replace)
            summary.detected = detected
            if !summary.alreadyImported { summary.warnings = try source.warnings() }
            let selectors = config.estate.services.flatMap { $0.metrics.values }
            summary.unmapped = summary.samplesBySeries.filter { series, samples in
                let probe = MetricSeries(name: series.name, labels: series.labels, samples: [])
                return samples > 0 && !selectors.contains { $0.matches(probe) }
            }.map { (service: $0.key.identity, samples: $0.value) }.sorted { $0.service < $1.service }
        }
        return summary
    }

    /// What the Statuspage reader takes from the configuration: the series names services use, and a step no
    /// longer than a minute or the largest gap a sample may cover.
    private var statuspageSettings: StatuspageSettings {
        StatuspageSettings(seriesNames: Set(config.estate.services.map(\.statusSeries)),
                           step: min(Calc.Duration.minute, config.estate.statusPolicy.maxSampleGap),
                           notAfter: now.map { $0 + Calc.Duration.day })
    }

    private static func sha256(of file: ImportPlan.File) throws -> String {
        do { return try SHA256.hex(ofFileAt: file.url.path) } catch {
            throw Diagnostic(file: file.name, message: "cannot read the file: \(Diagnostic.reason(of: error))")
        }
    }
}

/// What `Importer.importEach` did with each file of a plan.
package struct ImportOutcome {
    /// Each file's summary, or the diagnostic that rejected it, in plan order.
    package var results: [Result<ImportSummary, Diagnostic>] = []

    package var summaries: [ImportSummary] { results.compactMap { try? $0.get() } }

    package var rejected: [Diagnostic] {
        results.compactMap { if case .failure(let diagnostic) = $0 { diagnostic } else { nil } }
    }

    /// `slareport: error: 2 of 5 files rejected; <consequence>`, when any file was rejected.
    package func rejection(consequence: String) -> Diagnostic? {
        let count = rejected.count
        guard count > 0 else { return nil }
        return Diagnostic(file: Diagnostic.program, message: "\(count) of \(results.count) files rejected", hint: consequence)
    }
}
