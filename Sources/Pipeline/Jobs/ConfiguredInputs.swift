import Ingest
import Storage
import Foundation

/// The files the config's `inputs` patterns name, in the order `run` imports them.
package struct ConfiguredInputs {
    package struct File {
        package var kind: Config.InputKind
        /// `auto` or a format name, from the pattern's entry.
        package var format: String
        /// As matched: relative to the config folder (`exports/status/a.csv`), or absolute. Messages name the
        /// file this way, like the import log and the manifest do.
        package var path: String
        package var url: URL
        /// What `import status` would take as options for it (`service_label`).
        package var options = StatusImportOptions()
    }

    package var files: [File] = []
    /// Patterns that matched nothing: `warning:` lines.
    package var warnings: [String] = []

    /// Expands every pattern: matches sorted by path within a pattern, patterns in config order, a file named
    /// by two patterns taken once (the first). A pattern without wildcards names one file that must exist
    /// (exit 66, before anything is imported); a wildcard pattern that matches nothing is only a warning,
    /// since a cron run may come before the month's exports do.
    package static func expand(_ config: Config) throws -> ConfiguredInputs {
        var result = ConfiguredInputs()
        var seen = Set<String>()
        var missing: [Diagnostic] = []
        var indexByKind: [Config.InputKind: Int] = [:]
        for input in config.inputs {
            let index = indexByKind[input.kind, default: 0]
            indexByKind[input.kind] = index + 1
            let key = "inputs.\(input.kind.rawValue)[\(index)].path"
            let glob = InputGlob(input.pattern)
            let matches = try glob.matches(relativeTo: config.directory)
            if matches.isEmpty {
                if glob.isLiteral {
                    missing.append(Diagnostic(file: input.pattern, message:
                        "no such file (named by \(key) in \(config.path)); nothing was imported (check the path)"))
                } else {
                    result.warnings.append("\(config.path): warning: \(key): \"\(input.pattern)\" matches no file")
                }
                continue
            }
            var options = StatusImportOptions()
            if let labels = input.serviceLabels { options.serviceLabels = labels }
            for path in matches where seen.insert(path).inserted {
                result.files.append(File(kind: input.kind, format: input.format, path: path, url: config.resolve(path),
                                         options: options))
            }
        }
        if !missing.isEmpty { throw CommandFailure(ExitStatus.noInput, diagnostics: missing) }
        return result
    }
}

/// Imports the configured inputs for `run` through `StatusImporter` and `MetricImporter` (the same readers and
/// messages as `import status` and `import metrics`): each file in its own transaction, a file whose bytes were
/// imported before skipped by its SHA-256, one summary line per file, and progress on a terminal. CSV status
/// exports are read ahead as `import status` reads them (`StatusReadAhead`).
package struct InputImport {
    package let config: Config
    package let store: Store
    package let log: Log

    /// Imports every file; rejected files are reported and the others still imported. Throws exit 65 at the
    /// end when any file was rejected (66 when one vanished), after every file was tried.
    package func importAll(_ files: [ConfiguredInputs.File]) throws -> [ImportSummary] {
        let importer = StatusImporter(config: config, store: store, log: log)
        let metricImporter = MetricImporter(config: config, store: store, log: log)
        let readAhead = StatusReadAhead(files.map { file in
            file.kind == .status ? StatusReadAhead.File(url: file.url, name: file.path, format: file.format,
                                                        options: file.options) : nil
        }, databasePath: config.databasePath)
        let (summaries, rejected) = try importOneByOne(files.map(\.path), log: log) { number in
            let file = files[number]
            let prefetched = readAhead.take(number)
            defer { prefetched?.cancel() }
            switch file.kind {
            case .status:
                let (imported, detected) = try importer.importFile(file.url, name: file.path, format: file.format,
                                                                   replace: false, options: file.options,
                                                                   prefetched: prefetched)
                return (imported, imported.line(detected: detected))
            case .metrics:
                let (imported, detected) = try metricImporter.importFile(file.url, name: file.path, format: file.format,
                                                                         replace: false)
                return (imported, imported.metricsLine(detected: detected))
            }
        }
        if !rejected.isEmpty {
            let code = rejected.allSatisfy(\.isNoInput) ? ExitStatus.noInput : ExitStatus.dataError
            throw CommandFailure(code, "slareport: error: \(rejected.count) of \(files.count) files rejected; nothing from them "
                + "was stored and no report was written (fix or remove them, then run again)")
        }
        return summaries
    }
}

/// Import progress on stderr, only when stderr is a terminal (`isatty(2)`): the file being imported and the
/// seconds it has taken so far, redrawn in place twice a second. Off a terminal it writes nothing, so cron logs
/// keep one summary line per file.
package final class ImportProgress: @unchecked Sendable {
    package let enabled: Bool
    private let queue = DispatchQueue(label: "slareport.progress")
    private var timer: DispatchSourceTimer?
    private var shown = false

    package init(enabled: Bool = isatty(2) == 1) { self.enabled = enabled }

    package func start(_ label: String) {
        guard enabled else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        queue.sync {
            timer?.cancel()
            show("\(label)…")
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
            timer.setEventHandler { [unowned self] in
                let seconds = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000
                self.show("\(label): importing… \(seconds) s")
            }
            timer.resume()
            self.timer = timer
        }
    }

    /// Stops the ticker and erases the progress line before a log line is written.
    package func clear() {
        guard enabled else { return }
        queue.sync {
            timer?.cancel()
            timer = nil
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }

    private func show(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        shown = true
    }
}
