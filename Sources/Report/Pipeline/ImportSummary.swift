import Foundation

/// What importing one file did, for the one summary line per file.
struct ImportSummary {
    var path: String
    var format: String
    var sha256: String
    /// Rows read from the file (after in-file exact duplicates were dropped).
    var rows = 0
    /// New samples stored.
    var stored = 0
    /// Rows identical to samples already stored.
    var duplicates = 0
    /// Stored samples overwritten under `--replace`.
    var replaced = 0
    /// The file's bytes were imported before.
    var alreadyImported = false
}
