import Ingest
import Foundation

extension Store {
    /// The frame every import shares (SPEC §4): a file whose SHA-256 is in the import log is skipped; otherwise one
    /// transaction records the file, runs `store` with its log id to write the samples, and records the counts.
    /// When `store` throws, the transaction rolls back and nothing of the file is kept.
    package func importFile(format: InputFormat, recordedPath: String, sha256: String, replace: Bool,
                    store: (_ fileID: Int64, _ summary: inout ImportSummary) throws -> Void) throws -> ImportSummary {
        var summary = ImportSummary(path: recordedPath, format: format, sha256: sha256)
        if try importedFile(sha256: sha256) != nil {
            summary.alreadyImported = true
            return summary
        }
        try database.transaction {
            try database.statement("""
                INSERT INTO import_file (path, sha256, kind, format, rows, stored, replaced, replace_requested)
                VALUES (?, ?, ?, ?, 0, 0, 0, ?)
                """).bind(.text(recordedPath), .text(sha256), .text(format.kind.rawValue), .text(format.name), .int(replace ? 1 : 0)).run()
            let fileID = database.lastInsertRowID
            try store(fileID, &summary)
            try database.statement("UPDATE import_file SET rows = ?, stored = ?, replaced = ? WHERE id = ?")
                .bind(.int(Int64(summary.rows)), .int(Int64(summary.stored)), .int(Int64(summary.replaced)), .int(fileID)).run()
        }
        return summary
    }
}
