import Ingest
import Storage
import Calc
import Foundation
import Render

/// `verify DIR`: recomputes a report from what its `manifest.json` records and compares every file.
///
/// The config is `--config`, else the manifest's `config.path` looked up in DIR's parent folders (the
/// nearest one whose SHA-256 matches, else the nearest one). Inputs are resolved against the config's folder,
/// checked against their recorded SHA-256 and row counts, and re-imported in path order into a temporary
/// database; the report is recomputed for the recorded period and `as_of` into a temporary directory.
/// Differences go to stdout, one block each; everything else to stderr.
package struct VerifyJob {
    package let directory: URL
    package let configPath: String?
    package let context: RunContext
    package var log: Log { context.log }
    /// Where differences are printed (stdout).
    package let print: (String) -> Void

    /// Exit 0 when everything matches, 65 on any difference (after printing them all).
    package func run() throws {
        let manifestURL = directory.appendingPathComponent(ReportDirectory.manifestName)
        guard let manifestBytes = FileManager.default.contents(atPath: manifestURL.path) else {
            throw CommandFailure(ExitStatus.noInput, diagnostics: [Diagnostic(
                file: manifestURL.path, message: "no manifest.json (is \(directory.path) a report directory?)")])
        }
        let manifest = try Self.parse([UInt8](manifestBytes), name: manifestURL.path)
        var differences: [String] = []

        let configURL = try locateConfig(manifest)
        let config = try Config.load(path: configURL.path)
        if config.sha256 != manifest.config.sha256 {
            differences.append("config: \(configURL.path) has SHA-256 \(config.sha256); the manifest records \(manifest.config.sha256)")
        }
        if manifest.tool.version != ReportJob.tool.version {
            log("verify: note: the report was written by slareport \(manifest.tool.version); this is \(ReportJob.tool.version)")
        }

        // Inputs: all present, same bytes.
        var missing: [Diagnostic] = []
        for input in manifest.inputs {
            let url = config.resolve(input.path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                missing.append(Diagnostic(file: input.path, message:
                    "input recorded in the manifest is missing (looked for \(url.path); restore it from the archive)"))
                continue
            }
            let sha = try SHA256.hex(ofFileAt: url.path)
            if sha != input.sha256 {
                differences.append("input \(input.path): SHA-256 is \(sha); the manifest records \(input.sha256)")
            }
        }
        if !missing.isEmpty { throw CommandFailure(ExitStatus.noInput, diagnostics: missing) }

        // Re-import into a scratch database and recompute.
        let scratch = context.temporaryDirectory.appendingPathComponent("slareport-verify-\(UUID().uuidString)")
        var scratchConfig = config
        scratchConfig.databasePath = scratch.appendingPathComponent("verify.db")
        let store = try Store.opening(scratchConfig)
        defer {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: scratchConfig.databasePath.path + suffix)
            }
        }
        let quiet = Log { _ in }
        differences += try reimport(manifest, config: scratchConfig, into: store, log: quiet)

        guard let spec = try? PeriodSpec(manifest.period) else {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [Diagnostic(
                file: manifestURL.path, location: .keyPath("period"), message: "not a period: \"\(manifest.period)\"")])
        }
        guard let asOf = try? Timestamp.parse(Substring(manifest.asOf)) else {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [Diagnostic(
                file: manifestURL.path, location: .keyPath("as_of"), message: "not a timestamp: \"\(manifest.asOf)\"")])
        }
        var quietContext = context
        quietContext.log = quiet
        let job = ReportJob(config: scratchConfig, store: store, context: quietContext)
        let report = try job.compute(period: spec, asOf: asOf)
        // The formats to recompute are those whose files the manifest lists (`uptime.csv` → csv).
        let chosen = Set(manifest.outputs.compactMap { Self.format(of: $0.path) })
        let formats = ReportRenderer.Format.allCases.filter(chosen.contains)
        let files = try job.render(report, formats: formats)
        let recomputedDirectory = scratch.appendingPathComponent(directory.lastPathComponent)
        try ReportDirectory.write(files, to: recomputedDirectory)
        let recomputed = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })

        differences += try compareOutputs(manifest, recomputed: recomputed, chosen: chosen)
        differences += try compareRestatement(period: report.period.label, recomputed: recomputed)

        if differences.isEmpty {
            try? FileManager.default.removeItem(at: recomputedDirectory)
            try? FileManager.default.removeItem(at: scratch)
            log("verify: \(directory.path) matches: \(manifest.outputs.count) outputs recomputed from \(manifest.inputs.count) inputs are byte-identical")
            return
        }
        for difference in differences { print(difference) }
        // The differences went to stdout; this line ends the run on stderr.
        log("verify: \(differences.count) difference\(differences.count == 1 ? "" : "s") in \(directory.path); "
            + "the recomputed report is in \(recomputedDirectory.path)")
        throw CommandFailure(ExitStatus.dataError, diagnostics: [])
    }

    // MARK: - Steps

    /// Re-imports the recorded inputs in path order, each with its recorded kind and format, through the `Importer`
    /// every import uses; returns the differences, in path order: an input that cannot be read as recorded, is
    /// rejected now, or gives another number of rows.
    private func reimport(_ manifest: Manifest, config: Config, into store: Store, log: Log) throws -> [String] {
        enum Step {
            /// The input is file `index` of the plan.
            case file(Int)
            /// The input cannot be re-imported as recorded.
            case difference(String)
        }
        var plan = ImportPlan(files: [])
        let inputs = manifest.inputs.sorted { $0.path < $1.path }
        let steps = inputs.map { input -> Step in
            guard let kind = InputKind(rawValue: input.kind) else {
                return .difference("input \(input.path): cannot re-import \(input.kind) inputs with this version")
            }
            guard let format = InputFormatChoice(kind: kind, name: input.format) else {
                let unknown = Diagnostic(file: input.path, message: "unknown \(kind.rawValue) format "
                                         + "\"\(input.format)\" (expected \(InputFormatChoice.names(kind)))")
                return .difference("input \(input.path): rejected now: \(unknown)")
            }
            // The service labels it was imported with: its `inputs.status` pattern's, or its pulled selector's.
            let options = kind == .status ? config.statusOptions(forRecordedPath: input.path) : StatusImportOptions()
            plan.files.append(ImportPlan.File(configRelative: input.path, config: config, format: format, options: options))
            return .file(plan.files.count - 1)
        }
        let outcome = try Importer(config: config, sink: store, log: log, showsProgress: false, now: context.now).importEach(plan)
        return zip(inputs, steps).compactMap { input, step in
            switch step {
            case .difference(let text):
                return text
            case .file(let index):
                switch outcome.results[index] {
                case .success(let summary):
                    guard summary.rows != input.rows && !summary.alreadyImported else { return nil }
                    return "input \(input.path): \(summary.rows) rows now; the manifest records \(input.rows)"
                case .failure(let diagnostic):
                    return "input \(input.path): rejected now: \(diagnostic)"
                }
            }
        }
    }

    private func locateConfig(_ manifest: Manifest) throws -> URL {
        if let configPath { return URL(fileURLWithPath: configPath) }
        let recorded = manifest.config.path
        if recorded.hasPrefix("/") { return URL(fileURLWithPath: recorded) }
        var candidates: [URL] = []
        var folder = directory.standardizedFileURL.deletingLastPathComponent()
        while true {
            let candidate = folder.appendingPathComponent(recorded)
            if FileManager.default.isReadableFile(atPath: candidate.path) { candidates.append(candidate) }
            if folder.path == "/" { break }
            folder = folder.deletingLastPathComponent()
        }
        if let match = candidates.first(where: { (try? SHA256.hex(ofFileAt: $0.path)) == manifest.config.sha256 }) ?? candidates.first {
            return match
        }
        throw CommandFailure(ExitStatus.noInput, diagnostics: [Diagnostic(
            file: directory.appendingPathComponent(ReportDirectory.manifestName).path,
            message: "cannot find the configuration \"\(recorded)\" in the folders above \(directory.path)", hint: "pass --config PATH")])
    }

    private func compareOutputs(_ manifest: Manifest, recomputed: [String: [UInt8]],
                                chosen: Set<ReportRenderer.Format>) throws -> [String] {
        var differences: [String] = []
        let present = try ReportDirectory.read(directory)
        for output in manifest.outputs.sorted(by: { $0.path < $1.path }) {
            guard let bytes = present[output.path] else {
                differences.append("\(output.path): missing from \(directory.path)")
                continue
            }
            let sha = SHA256.hex(of: Data(bytes))
            if sha != output.sha256 {
                differences.append("\(output.path): changed after it was written (SHA-256 \(sha); the manifest records \(output.sha256))")
            }
            guard let again = recomputed[output.path] else {
                differences.append("\(output.path): not produced by slareport \(ReportJob.tool.version)")
                continue
            }
            if again != bytes {
                differences.append(ReportComparison.firstDifference(name: output.path, recorded: bytes, recomputed: again))
            }
        }
        let recorded = Set(manifest.outputs.map(\.path))
        for name in recomputed.keys.sorted() where name != ReportDirectory.manifestName && !recorded.contains(name) {
            if let format = Self.format(of: name), chosen.contains(format) {
                differences.append("\(name): produced now but not listed in the manifest")
            }
        }
        for name in present.keys.sorted() where !recorded.contains(name) {
            if name == ReportDirectory.manifestName || name == ReportDirectory.restatementName { continue }
            differences.append("\(name): in \(directory.path) but not listed in the manifest")
        }
        if let old = present[ReportDirectory.manifestName], let new = recomputed[ReportDirectory.manifestName], old != new {
            differences.append(ReportComparison.firstDifference(name: ReportDirectory.manifestName, recorded: old, recomputed: new))
        }
        return differences
    }

    /// A `RESTATEMENT.md` is regenerated from the earlier version beside DIR and the recomputed files.
    private func compareRestatement(period: String, recomputed: [String: [UInt8]]) throws -> [String] {
        let notice = directory.appendingPathComponent(ReportDirectory.restatementName)
        guard let recorded = FileManager.default.contents(atPath: notice.path) else { return [] }
        let name = directory.standardizedFileURL.lastPathComponent
        guard let dot = name.range(of: ".r", options: .backwards), let number = Int(name[dot.upperBound...]), number >= 2 else {
            return ["\(ReportDirectory.restatementName): \(name) is not a restated version (NAME.rN), so the notice cannot be checked"]
        }
        let base = directory.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(String(name[..<dot.lowerBound]))
        let previousURL = ReportDirectory.version(number - 1, of: base)
        guard let previous = try? ReportDirectory.read(previousURL) else {
            return ["\(ReportDirectory.restatementName): cannot check it: the earlier report \(previousURL.path) is missing"]
        }
        let again = Restatement.notice(period: period, previous: .init(name: previousURL.lastPathComponent, files: previous),
                                       current: .init(name: name, files: recomputed))
        guard again.contents != [UInt8](recorded) else { return [] }
        return [ReportComparison.firstDifference(name: ReportDirectory.restatementName, recorded: [UInt8](recorded), recomputed: again.contents)]
    }

    /// The format a report file belongs to, by its extension (`uptime.csv` → csv); nil for the manifest and a
    /// restatement notice, which no format writes.
    package static func format(of name: String) -> ReportRenderer.Format? {
        guard name != ReportDirectory.manifestName, name != ReportDirectory.restatementName,
              let dot = name.lastIndex(of: ".") else { return nil }
        return ReportRenderer.Format(rawValue: String(name[name.index(after: dot)...]))
    }

    // MARK: - Manifest

    /// The manifest of `name`, or the data error saying what is wrong with it.
    package static func parse(_ bytes: [UInt8], name: String) throws -> Manifest {
        do {
            return try Manifest(decoding: bytes)
        } catch {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [Diagnostic(file: name, message: "not a slareport manifest: \(error)")])
        }
    }

    package init(directory: URL, configPath: String?, context: RunContext, print: @escaping (String) -> Void) {
        self.directory = directory
        self.configPath = configPath
        self.context = context
        self.print = print
    }
}
