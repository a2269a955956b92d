import Ingest
import Foundation

/// What importing one file did, for the one summary line per file.
package struct ImportSummary {
    package var path: String
    package var format: String
    package var sha256: String
    /// Rows read from the file (after in-file exact duplicates were dropped).
    package var rows = 0
    /// New samples stored.
    package var stored = 0
    /// Rows identical to samples already stored.
    package var duplicates = 0
    /// Stored samples overwritten under `--replace`.
    package var replaced = 0
    /// The file's bytes were imported before.
    package var alreadyImported = false
}
