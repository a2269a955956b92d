import CSQLite
import Foundation

/// A failed SQLite call, with SQLite's own message.
package struct SQLiteError: Error, CustomStringConvertible {
    package var code: Int32
    package var message: String
    package var description: String { "database error (\(code)): \(message)" }

    package init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }
}

/// A thin wrapper over the SQLite C API: prepared statements, bound parameters only.
package final class Database {
    package let handle: OpaquePointer
    private var statements: [String: Statement] = [:]

    package init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "\(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    package func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// A cached prepared statement, reset and ready to bind.
    package func statement(_ sql: String) throws -> Statement {
        if let s = statements[sql] {
            s.reset()
            return s
        }
        let s = try Statement(database: self, sql: sql)
        statements[sql] = s
        return s
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    package var changes: Int { Int(sqlite3_changes(handle)) }
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    package func check(_ rc: Int32) throws {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)))
        }
    }
}

package final class Statement {
    /// Unowned: the database caches its statements, so a strong reference back would keep the connection
    /// (and its WAL) open forever.
    private unowned let database: Database
    package let handle: OpaquePointer

    /// SQLite's "copy the bytes now" destructor; a static so Swift 6 sees no shared mutable global.
    package static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    package init(database: Database, sql: String) throws {
        self.database = database
        var stmt: OpaquePointer?
        try database.check(sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil))
        handle = stmt!
    }

    deinit { sqlite3_finalize(handle) }

    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    @discardableResult
    package func bind(_ values: SQLValue...) throws -> Statement {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case .null: try database.check(sqlite3_bind_null(handle, index))
            case let .int(v): try database.check(sqlite3_bind_int64(handle, index, v))
            case let .text(v):
                // By its byte length: a length of -1 would make SQLite stop at the first NUL and store a shorter text
                // (a name "api\0x" became "api").
                let length = Int32(v.utf8.count)
                try database.check(v.withCString { sqlite3_bind_text(handle, index, $0, length, Statement.transient) })
            }
        }
        return self
    }

    /// Steps once; true when a row is available.
    package func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        try database.check(rc)
        return rc == SQLITE_ROW
    }

    /// Runs to completion (for statements that return no rows).
    package func run() throws {
        while try step() {}
    }

    package func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    /// The column as text, all of its bytes (a NUL inside does not end it); invalid UTF-8 is repaired with U+FFFD,
    /// so use `bytes(_:)` where that must be refused instead.
    package func text(_ column: Int32) -> String {
        String(decoding: bytes(column), as: UTF8.self)
    }

    /// The column's bytes as text, all of them; valid until the next step or reset.
    package func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        // sqlite3_column_text first, then sqlite3_column_bytes: the order SQLite documents for a text conversion.
        guard let p = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column)))
    }
}

package enum SQLValue {
    case null
    case int(Int64)
    case text(String)
}
