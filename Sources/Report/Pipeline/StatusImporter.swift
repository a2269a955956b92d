import Foundation

/// Imports status exports file by file: each in its own transaction, one summary line per file.
struct StatusImporter {
    let config: Config
    let store: Store
    let log: Log

    /// Imports every file; files that fail are reported and the rest still imported. Throws exit 66 before
    /// importing anything when a file is missing, and exit 65 at the end when any file was rejected.
    @discardableResult
    func importFiles(_ urls: [URL], names: [String], format: String, replace: Bool) throws -> [ImportSummary] {
        let missing = zip(urls, names).filter { !FileManager.default.fileExists(atPath: $0.0.path) }
        guard missing.isEmpty else {
            throw CommandFailure(ExitStatus.noInput, diagnostics: missing.map {
                Diagnostic(file: $0.1, message: "no such file; nothing was imported (check the path)")
            })
        }
        var summaries: [ImportSummary] = []
        var rejected: [Diagnostic] = []
        for (url, name) in zip(urls, names) {
            do {
                let summary = try importFile(url, name: name, format: format, replace: replace)
                log(summary.line)
                summaries.append(summary)
            } catch let diagnostic as Diagnostic {
                rejected.append(diagnostic)
                log(diagnostic.description)
            }
        }
        if !rejected.isEmpty {
            throw CommandFailure(ExitStatus.dataError,
                                 "slareport: error: \(rejected.count) of \(urls.count) files rejected; nothing from them was stored")
        }
        return summaries
    }

    func importFile(_ url: URL, name: String, format requested: String, replace: Bool) throws -> ImportSummary {
        let format = requested == "auto" ? try Self.detectFormat(url, name: name) : requested
        let source: StatusRowSource
        switch format {
        case "csv": source = StatusCSVParser(path: url.path, displayName: name)
        default: throw Diagnostic(file: name, message: "the \(format) status format is not supported by this version (use csv)")
        }
        let sha256: String
        do { sha256 = try SHA256.hex(ofFileAt: url.path) } catch {
            throw Diagnostic(file: name, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try store.importStatus(from: source, format: format, recordedPath: config.recordedPath(of: url),
                                      displayName: name, sha256: sha256, replace: replace)
    }

    /// Looks at the first bytes: a SQLite header, JSON, or else CSV.
    static func detectFormat(_ url: URL, name: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Diagnostic(file: name, message: "cannot open the file")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) { return "uptime-kuma" }
        if let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first == UInt8(ascii: "{") {
            return "json"
        }
        return "csv"
    }
}

extension ImportSummary {
    /// `imported exports/api.csv (csv): 8928 rows, 8928 new, 0 already stored, 0 replaced`.
    var line: String {
        if alreadyImported { return "skipped \(path): already imported (same SHA-256)" }
        if rows == 0 { return "\(path): warning: header only, nothing to import" }
        return "imported \(path) (\(format)): \(rows) rows, \(stored) new, \(duplicates) already stored, \(replaced) replaced"
    }
}

extension Store {
    /// Opens (creating if needed) the configuration's database.
    static func opening(_ config: Config) throws -> Store {
        do { return try Store(path: config.databasePath) } catch {
            throw CommandFailure(ExitStatus.cannotCreate,
                                 "\(config.databasePath.path): error: cannot open the database: \(error)")
        }
    }
}
