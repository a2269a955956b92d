import Ingest
import Storage
import Foundation

/// Where `Importer` hands a file's rows: the store, each file in one transaction (`Store`), or `check`'s read-only
/// look-up among the stored samples (`ConflictCheck`). Either way the rows come from the same reader, so a file is
/// accepted or rejected, with the same messages, whichever it is.
package protocol ImportSink {
    /// Reads every row of one status file from `source` and returns what it did. `displayName` names the file in
    /// messages, `recordedPath` in the import log.
    func importStatus(from source: StatusRowSource, format: StatusFormat, recordedPath: String, displayName: String,
                      sha256: String, replace: Bool) throws -> ImportSummary
    /// The same for a metrics file.
    func importMetrics(from source: MetricRowSource, format: MetricFormat, recordedPath: String, displayName: String,
                       sha256: String, replace: Bool) throws -> ImportSummary
}

/// The store stores: a file whose bytes were imported before is skipped; otherwise one transaction keeps all of it
/// or, when a row is rejected, none.
extension Store: ImportSink {}

extension Store {
    /// Opens (creating if needed) the configuration's database.
    package static func opening(_ config: Config) throws -> Store {
        do { return try Store(path: config.databasePath) } catch {
            throw CommandFailure(ExitStatus.cannotCreate, diagnostics: [
                Diagnostic(file: config.databasePath.path, message: "cannot open the database: \(Diagnostic.reason(of: error))",
                           hint: "check that its folder exists or can be created, and is writable"),
            ])
        }
    }
}
