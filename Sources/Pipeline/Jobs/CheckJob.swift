import Ingest
import Storage
import Calc
import Foundation

/// `check`: validates the config and parses every configured input in full, storing nothing.
///
/// Each file is read as `run` would read it (same parser, same messages) and, when the database exists, each
/// row is looked up read-only among the stored samples, so a file that `run` would reject as a conflict is
/// caught too. Files are checked one by one: two new files that contradict each other are found by `run`.
package struct CheckJob {
    package let config: Config
    package let context: RunContext
    package var log: Log { context.log }

    package func run() throws {
        try checkTemplate()
        let inputs = try ConfiguredInputs.expand(config)
        for warning in inputs.warnings { log(warning) }
        let stored = try StoredSamples(databasePath: config.databasePath)
        // `StatusImporter` picks the reader for a format; it wants a store, which only parsing never touches:
        // give it an empty scratch one, removed at the end.
        let scratch = context.temporaryDirectory.appendingPathComponent("slareport-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let importer = StatusImporter(config: config, store: try Store.opening(scratchConfig(scratch)), log: log)
        var rejected: [Diagnostic] = []
        for file in inputs.files {
            do {
                log(try check(file, importer: importer, stored: stored))
            } catch let diagnostic as Diagnostic {
                rejected.append(diagnostic)
                log(diagnostic.description)
            }
        }
        if !rejected.isEmpty {
            let code = rejected.allSatisfy(\.isNoInput) ? ExitStatus.noInput : ExitStatus.dataError
            throw CommandFailure(code, "check: \(rejected.count) of \(inputs.files.count) input files would be rejected; nothing was changed")
        }
        log("check: \(config.path) and \(inputs.files.count) input file\(inputs.files.count == 1 ? "" : "s") are valid; nothing was changed")
    }

    /// Parses one file fully (the reader `import status` or `import metrics` would use); returns its summary line.
    private func check(_ file: ConfiguredInputs.File, importer: StatusImporter, stored: StoredSamples?) throws -> String {
        if file.kind == .metrics { return try checkMetrics(file, stored: stored) }
        let detected = file.format == "auto"
        let format = detected ? try StatusImporter.detectFormat(file.url, name: file.path) : file.format
        let source = try importer.makeSource(format: format, url: file.url, name: file.path, options: file.options)
        let sha256: String
        do { sha256 = try SHA256.hex(ofFileAt: file.url.path) } catch {
            throw Diagnostic(file: file.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        let alreadyImported = try stored?.isImported(sha256: sha256) ?? false
        let rows: Int
        do {
            rows = try source.parse { batch in
                guard let stored, !alreadyImported else { return }
                for row in batch { try stored.checkNoConflict(row, file: file.path) }
            }
        } catch var diagnostic as Diagnostic where format == "uptime-kuma" && diagnostic.line != nil {
            // As `import status` says it: a database has no lines, the Kuma reader's "line" is the heartbeat id.
            diagnostic.message = "heartbeat \(diagnostic.line!): " + diagnostic.message
            diagnostic.line = nil
            diagnostic.column = nil
            throw diagnostic
        }
        let how = detected ? "\(format), detected" : format
        if rows == 0 {
            return format == "csv" ? "\(file.path): warning: header only, nothing to import"
                                   : "\(file.path) (\(how)): warning: no status samples, nothing to import"
        }
        return "ok \(file.path) (\(how)): \(rows) rows\(alreadyImported ? ", already imported" : "")"
    }

    /// A metrics file, as `import metrics` would read it.
    private func checkMetrics(_ file: ConfiguredInputs.File, stored: StoredSamples?) throws -> String {
        let detected = file.format == "auto"
        let format = detected ? try MetricImporter.detectFormat(file.url, name: file.path) : file.format
        let source = try MetricImporter.makeSource(format: format, url: file.url, name: file.path)
        let sha256: String
        do { sha256 = try SHA256.hex(ofFileAt: file.url.path) } catch {
            throw Diagnostic(file: file.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        let alreadyImported = try stored?.isImported(sha256: sha256) ?? false
        let lookup = alreadyImported ? nil : try stored?.metricLookup()
        let rows = try source.parse { batch in
            guard let lookup else { return }
            for row in batch { try lookup.checkNoConflict(row, file: file.path) }
        }
        let how = detected ? "\(format), detected" : format
        if rows == 0 {
            return "\(file.path) (\(how)): warning: \(format == "csv" ? "header only" : "no metric samples"), nothing to import"
        }
        return "ok \(file.path) (\(how)): \(rows) rows\(alreadyImported ? ", already imported" : "")"
    }

    private func scratchConfig(_ folder: URL) -> Config {
        var scratch = config
        scratch.databasePath = folder.appendingPathComponent("unused.db")
        return scratch
    }

    /// The Markdown template must be found now rather than after a cron run has imported everything.
    private func checkTemplate() throws {
        guard config.formats.contains(.md) else { return }
        let name = "report.md.mustache"
        let candidates = config.templatesDirectory.map { [$0] } ?? context.templateFolders
        guard candidates.contains(where: { FileManager.default.isReadableFile(atPath: $0.appendingPathComponent(name).path) }) else {
            throw CommandFailure(ExitStatus.config, "\(config.path): error: templates: no \(name) in "
                + candidates.map { $0.appendingPathComponent(name).path }.joined(separator: " or "))
        }
    }

    package init(config: Config, context: RunContext) {
        self.config = config
        self.context = context
    }
}

/// Read-only lookups in an existing database: has a file been imported, does a row contradict a stored sample.
/// Opening it changes nothing; without a database there is nothing to contradict.
package final class StoredSamples {
    package let database: Database
    private var seriesIDs: [String: [String: Int64?]] = [:]

    package init?(databasePath: URL) throws {
        guard FileManager.default.fileExists(atPath: databasePath.path) else { return nil }
        do {
            database = try Database(path: databasePath.path, readOnly: true)
            try Store.checkSchemaVersion(database, path: databasePath.path)
            _ = try database.statement("SELECT count(*) FROM import_file").step()
        } catch {
            throw CommandFailure(ExitStatus.cannotCreate, "\(databasePath.path): error: cannot read the database: \(error)")
        }
    }

    package func isImported(sha256: String) throws -> Bool {
        let s = try database.statement("SELECT 1 FROM import_file WHERE sha256 = ?")
        try s.bind(.text(sha256))
        return try s.step()
    }

    /// Throws the conflict `run` would report for `row`, if a stored sample says otherwise.
    package func checkNoConflict(_ row: StatusRow, file: String) throws {
        guard let series = try seriesID(service: row.service, region: row.region),
              let (stored, path) = try database.storedStatus(seriesID: series, time: row.time),
              stored != row.status else { return }
        let name = row.region.isEmpty ? row.service : "\(row.service)/\(row.region)"
        throw Diagnostic(file: file, line: row.line, column: 1, message:
            "conflicts with a stored sample: \(name) at \(Timestamp.format(row.time)) is \(row.status.name) here but "
            + "\(stored.name) in \(path); run would reject this file (import it with --replace to overwrite)")
    }

    private func seriesID(service: String, region: String) throws -> Int64? {
        if let known = seriesIDs[service]?[region] { return known }
        let id = try database.statusSeriesID(service: service, region: region)
        seriesIDs[service, default: [:]][region] = .some(id)
        return id
    }
}
