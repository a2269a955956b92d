import CSQLite
import Calc
import Foundation

/// Reads an Uptime Kuma database (`kuma.db`) as status rows (SPEC §4.1 `uptime-kuma`).
///
/// - Opens the file read-only (`SQLITE_OPEN_READONLY`, as an immutable database) and reads only `monitor (id, name)` and
///   `heartbeat (id, monitor_id, status, time[, msg, ping])`; the many other columns Uptime Kuma versions add
///   are never selected, so newer databases keep working.
/// - The service is the monitor's name. Heartbeat status 0 is down, 1 up, 2 pending (stored as pending; the
///   report maps it per `status_defaults.pending`), 3 maintenance; anything else is an error.
/// - `time` is UTC text `YYYY-MM-DD HH:MM:SS[.fff]` (Uptime Kuma writes no offset; its times are UTC).
/// - Heartbeats are streamed ordered by monitor and time, limited to `range` in SQL (whole seconds, then
///   exactly). Two heartbeats of one monitor at the same instant: the same status is dropped, another is an error.
/// - A database with a non-empty write-ahead log beside it (`kuma.db-wal`) is refused: its newest heartbeats
///   would not be in the bytes whose SHA-256 the import log records.
///
/// A database has no lines: a problem with one heartbeat is located at the heartbeat (`Diagnostic.Location.heartbeat`,
/// printed `kuma.db: error: heartbeat 7 (monitor 1 "api"): …`), and each row's `line` carries its heartbeat id, which
/// `location(ofRow:)` reads as such (so a store conflict names the heartbeat too).
package struct UptimeKumaReader: StatusRowSource {
    package let path: String
    package let displayName: String
    package var range: StatusTimeRange = .all
    /// The status series the configuration's services name (`kuma:12` names monitor 12 by its id).
    package var seriesNames: Set<String> = []
    /// The shared monitor names the last `parse` found, for `warnings()`.
    private let shared = SharedNames()
    package var batchSize: Int = StatusCSVParser.defaultBatchSize

    package static let statusChoices = "0 down, 1 up, 2 pending, 3 maintenance"

    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        try checkFile()
        let db: Database
        do { db = try Self.openImmutable(path) } catch let error as SQLiteError {
            throw problem("cannot open the database: \(error.message)")
        }
        // Bounds on what reading may cost, whatever the file holds: no text or blob over 16 MiB, and a budget of
        // SQLite virtual-machine steps proportional to the file's size (a real table is read in a few dozen steps a
        // row; the checks in `read` refuse views, but a budget also stops what they do not foresee).
        sqlite3_limit(db.handle, SQLITE_LIMIT_LENGTH, 16 << 20)
        let budget = StepBudget(limit: 1_000 * max(fileSize(), 1) + 100_000_000)
        let context = Unmanaged.passUnretained(budget).toOpaque()
        sqlite3_progress_handler(db.handle, StepBudget.interval, { context in
            guard let context else { return 0 }
            let budget = Unmanaged<StepBudget>.fromOpaque(context).takeUnretainedValue()
            budget.used += Int64(StepBudget.interval)
            return budget.used > budget.limit ? 1 : 0
        }, context)
        defer { sqlite3_progress_handler(db.handle, 0, nil, nil) }
        do {
            return try withExtendedLifetime(budget) { try read(db, batch: batch) }
        } catch let error as SQLiteError {
            if error.code == SQLITE_INTERRUPT, budget.used > budget.limit {
                throw problem("reading the database took more than \(budget.limit) SQLite steps, far more than a file of "
                              + "its size needs; it is not an Uptime Kuma database as Uptime Kuma writes it")
            }
            if error.code == SQLITE_TOOBIG {
                throw problem("the database holds a text or blob longer than 16 MiB; it is not an Uptime Kuma database "
                              + "as Uptime Kuma writes it")
            }
            if error.code == SQLITE_NOTADB {
                throw problem("not an SQLite database (\(error.message)); --format uptime-kuma reads Uptime Kuma's kuma.db")
            }
            throw problem("cannot read the database: \(error.message)")
        }
    }

    /// Opens the file read-only as an immutable database (`file:…?immutable=1`): SQLite then takes no locks and
    /// creates no `-shm`/`-wal` files beside the user's file, even for a WAL-mode `kuma.db` in a read-only folder.
    /// That is safe because `checkFile` refused a pending write-ahead log: the file's bytes are the whole database.
    /// Where SQLite was built without URI file names the URI names no file, and the plain read-only open is used.
    package static func openImmutable(_ path: String) throws -> Database {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        if let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed),
           let db = try? Database(path: "file:\(encoded)?immutable=1", readOnly: true) {
            return db
        }
        return try Database(path: path, readOnly: true)
    }

    /// A row's `line` is its heartbeat id.
    package func location(ofRow number: Int) -> Diagnostic.Location { .heartbeat(number) }

    private func problem(_ message: String, at location: Diagnostic.Location = .file) -> Diagnostic {
        Diagnostic(file: displayName, location: location, message: message)
    }

    /// The file exists, starts with SQLite's header, and has no pending write-ahead log.
    private func checkFile() throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw problem(!exists ? InputFileProblem.noSuchFile : isDirectory.boolValue ? InputFileProblem.isDirectory
                                                                                      : InputFileProblem.permissionDenied)
        }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if head.isEmpty { throw problem("file is empty") }
        guard head.elementsEqual(Array("SQLite format 3\u{0}".utf8)) else {
            throw problem("not an SQLite database (it does not start with the SQLite header); "
                          + "--format uptime-kuma reads Uptime Kuma's kuma.db")
        }
        let wal = path + "-wal"
        if let size = (try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int, size > 0 {
            throw problem("the database has a write-ahead log (\(URL(fileURLWithPath: wal).lastPathComponent), \(size) bytes) "
                          + "whose heartbeats are not in the file itself; import a copy made with "
                          + "`sqlite3 kuma.db \".backup kuma-copy.db\"` (or stop Uptime Kuma first)")
        }
    }

    /// The table's columns (lowercased) and which of them are generated (computed on read, so refused).
    private func columns(_ db: Database, _ table: String) throws -> (names: Set<String>, generated: Set<String>) {
        // table_xinfo's `hidden`: 2 and 3 are generated columns (virtual or stored).
        let s = try db.statement("SELECT name, hidden FROM pragma_table_xinfo(?)")
        try s.bind(.text(table))
        var names = Set<String>(), generated = Set<String>()
        while try s.step() {
            let name = s.text(0).lowercased()
            names.insert(name)
            if s.int(1) >= 2 { generated.insert(name) }
        }
        return (names, generated)
    }

    /// The file's size in bytes, which bounds how many rows a real table in it can hold.
    private func fileSize() -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64 ?? 0
    }

    /// `monitor` and `heartbeat` must be ordinary tables: a view (or a virtual table) computes its rows, and a
    /// recursive one never stops (issue 12 §6). Missing ones are named.
    private func checkTables(_ db: Database) throws {
        let tables = try db.statement("""
            SELECT lower(name), type, coalesce(sql, '') FROM sqlite_master WHERE lower(name) IN ('monitor', 'heartbeat')
            """)
        var present = Set<String>()
        while try tables.step() {
            let name = tables.text(0), type = tables.text(1)
            let isVirtual = tables.text(2).uppercased().hasPrefix("CREATE VIRTUAL")
            guard type == "table", !isVirtual else {
                let what = type == "table" ? "a virtual table" : type == "view" ? "a view" : "not a table but a \(type)"
                throw problem("\"\(name)\" is \(type == "table" || type == "view" ? what + ", not a table" : what); Uptime Kuma's kuma.db has tables \"monitor\" and "
                              + "\"heartbeat\" (rows a view computes are not data the file holds, and a recursive view never ends)")
            }
            present.insert(name)
        }
        let missing = ["monitor", "heartbeat"].filter { !present.contains($0) }
        if !missing.isEmpty {
            throw problem("not an Uptime Kuma database: no \(missing.map { "\"\($0)\"" }.joined(separator: " or ")) table "
                          + "(Uptime Kuma's kuma.db has tables \"monitor\" and \"heartbeat\")")
        }
    }

    /// A monitor's name as the series name: valid UTF-8 without control characters, in NFC (`NameText`).
    private func checkedName(_ bytes: UnsafeBufferPointer<UInt8>, monitor: Int64) throws -> String {
        if let bad = CSVReader.firstInvalidUTF8(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) {
            throw problem("monitor \(monitor)'s name is not valid UTF-8 (byte 0x\(JSONTokenizer.hex(UInt32(bytes[bad]), 2)) "
                          + "at byte \(bad + 1)); rename the monitor in Uptime Kuma")
        }
        let name = String(decoding: bytes, as: UTF8.self)
        if let (scalar, _) = NameText.firstControl(bytes) {
            throw problem("monitor \(monitor): " + NameText.controlMessage("name", name, scalar: scalar) + "; rename it in Uptime Kuma")
        }
        return NameText.canonical(name)
    }

    private func read(_ db: Database, batch: ([StatusRow]) throws -> Void) throws -> Int {
        // The tables and columns this reader needs.
        try checkTables(db)
        let monitorColumns = try columns(db, "monitor")
        let heartbeatColumns = try columns(db, "heartbeat")
        for (table, have, need) in [("monitor", monitorColumns, ["id", "name"]),
                                    ("heartbeat", heartbeatColumns, ["id", "monitor_id", "status", "time"])] {
            let absent = need.filter { !have.names.contains($0) }
            if !absent.isEmpty {
                throw problem("table \"\(table)\" has no column \(absent.map { "\"\($0)\"" }.joined(separator: ", ")) "
                              + "(not an Uptime Kuma database, or one this version cannot read)")
            }
            if let computed = need.first(where: { have.generated.contains($0) }) {
                throw problem("column \"\(computed)\" of table \"\(table)\" is generated (computed on read), not stored; "
                              + "not an Uptime Kuma database")
            }
        }
        // The heartbeats join their monitor by id: a repeated id would repeat every heartbeat of it.
        let repeated = try db.statement("SELECT id, count(*) FROM monitor WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1 LIMIT 1")
        if try repeated.step() {
            throw problem("monitor id \(repeated.int(0)) appears \(repeated.int(1)) times in table \"monitor\" "
                          + "(Uptime Kuma's monitor ids are unique; the file was not written by Uptime Kuma)")
        }
        repeated.reset()

        // Monitors that share a name (Kuma allows it) are distinct series, each named by its id.
        shared.names = try Self.sharedNames(db, name: { try checkedName($0, monitor: $1) })
        let byID = Set(shared.names.flatMap(\.ids))

        let msg = heartbeatColumns.names.contains("msg") ? "h.msg" : "NULL"
        let ping = heartbeatColumns.names.contains("ping") ? "h.ping" : "NULL"
        let query = try db.statement("""
            SELECT h.id, h.monitor_id, m.id, m.name, h.status, h.time, \(msg), \(ping)
            FROM heartbeat h LEFT JOIN monitor m ON m.id = h.monitor_id
            WHERE (?1 IS NULL OR h.time >= ?1) AND (?2 IS NULL OR h.time < ?2)
            ORDER BY h.monitor_id, h.time, h.id
            """)
        // Whole-second bounds in Uptime Kuma's text form (text order is time order for it); exact limits below.
        let since = range.since.map { Self.kumaText(floorDiv($0, 1000) * 1000) }
        let until = range.until.map { Self.kumaText((floorDiv($0 - 1, 1000) + 1) * 1000) }
        try query.bind(since.map { .text($0) } ?? .null, until.map { .text($0) } ?? .null)

        // A real table cannot hold more rows than its file has bytes; the checks above should make this unreachable.
        let rowLimit = max(fileSize(), 1)
        var stepped: Int64 = 0
        var rows = RowBatch<StatusRow>(size: batchSize)
        var currentMonitor: Int64?
        var service = ""
        var last: (time: Millis, status: ObservedStatus, heartbeat: Int64)?
        let progress = ReadProgress.current
        while try query.step() {
            stepped += 1
            if stepped > rowLimit {
                throw problem("the database yields more heartbeat rows than the file has bytes (\(rowLimit)); "
                              + "it is not an Uptime Kuma database as Uptime Kuma writes it")
            }
            progress?.add(rows: 1)
            let heartbeat = query.int(0)
            let monitor = query.int(1)
            if monitor != currentMonitor {
                guard !query.isNull(2) else {
                    throw problem("heartbeat \(heartbeat) belongs to monitor \(monitor), which is not in the \"monitor\" table")
                }
                let name = query.isNull(3) ? "" : try checkedName(query.bytes(3), monitor: monitor)
                guard !name.isEmpty else {
                    throw problem("monitor \(monitor) has no name, and the service is the monitor's name (name it in Uptime Kuma)")
                }
                currentMonitor = monitor
                // The series is the monitor's name, or `kuma:<id>` when the name is shared or the config names the
                // monitor by its id.
                service = byID.contains(monitor) || seriesNames.contains("kuma:\(monitor)") ? "kuma:\(monitor)" : name
                last = nil
            }
            let monitorName = "monitor \(monitor) \(MessageText.quoted(query.isNull(3) ? "" : query.text(3)))"
            let place = Diagnostic.Location.heartbeat(Int(heartbeat), monitor: monitorName)
            let statusCode = query.int(4)
            guard sqlite3_column_type(query.handle, 4) == SQLITE_INTEGER, (0...3).contains(statusCode),
                  let status = ObservedStatus(rawValue: UInt8(statusCode)) else {
                let shown = query.isNull(4) ? "NULL" : MessageText.quoted(query.text(4))
                throw problem("unknown status \(shown) (expected \(Self.statusChoices))", at: place)
            }
            guard sqlite3_column_type(query.handle, 5) == SQLITE_TEXT else {
                throw problem("time is not text (expected UTC text YYYY-MM-DD HH:MM:SS[.mmm])", at: place)
            }
            let timeText = query.text(5)
            let time: Millis
            do { time = try Self.parseTime(timeText) } catch {
                throw problem(error.reason, at: place)
            }
            guard range.contains(time) else { continue }
            if let previous = last, time <= previous.time {
                if time < previous.time {
                    throw problem("out of order at \(Timestamp.format(time)) after heartbeat \(previous.heartbeat) "
                                  + "at \(Timestamp.format(previous.time))", at: place)
                }
                if status == previous.status { continue }
                // The sentence is about two heartbeats, so the place stays in it rather than before it.
                throw problem("heartbeat \(heartbeat) (\(monitorName)) is \(status.name) at \(Timestamp.format(time)), but heartbeat \(previous.heartbeat) "
                              + "of the same monitor is \(previous.status.name) at the same time")
            }
            last = (time, status, heartbeat)
            let message = query.isNull(6) ? nil : query.text(6)
            var responseTime: Int64?
            if !query.isNull(7) {
                let value = query.int(7)
                if value >= 0 { responseTime = value }
            }
            try rows.append(StatusRow(service: service, region: "", time: time, status: status, responseTimeMs: responseTime,
                                      message: message?.isEmpty == false ? message : nil, line: Int(heartbeat)),
                            deliver: batch)
        }
        return try rows.finish(batch)
    }

    /// `2026-10-01 00:00:00` or `2026-10-01 00:00:00.123` (UTC) → milliseconds.
    package static func parseTime(_ text: String) throws(TimeParseError) -> Millis {
        let b = Array(text.utf8)
        let shapeOK = b.count >= 19 && b[10] == UInt8(ascii: " ")
            && (b.count == 19 || (b.count > 20 && b[19] == UInt8(ascii: ".") && b[20...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }))
        guard shapeOK else {
            throw TimeParseError("time is not UTC text YYYY-MM-DD HH:MM:SS[.mmm]: \(MessageText.quoted(text))")
        }
        do { return try Timestamp.parse(Substring(text + "Z")) } catch {
            throw TimeParseError("time is not a valid date and time: \(MessageText.quoted(text))")
        }
    }

    /// Milliseconds → `YYYY-MM-DD HH:MM:SS` (whole seconds; the caller rounds).
    package static func kumaText(_ t: Millis) -> String {
        let iso = Timestamp.format(t)  // 2026-10-01T00:00:00Z
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    package init(path: String, displayName: String, range: StatusTimeRange = .all, seriesNames: Set<String> = [],
                 batchSize: Int = StatusCSVParser.defaultBatchSize) {
        self.path = path
        self.displayName = displayName
        self.range = range
        self.seriesNames = seriesNames
        self.batchSize = batchSize
    }
}

extension UptimeKumaReader {
    /// Names shared by monitors with heartbeats, each with its monitors' ids in order. Names are compared in NFC
    /// (`name` reads and checks one), so two spellings of one name in Unicode are shared too.
    static func sharedNames(_ db: Database, name: (UnsafeBufferPointer<UInt8>, Int64) throws -> String) throws
        -> [(name: String, ids: [Int64])] {
        let query = try db.statement("""
            SELECT id, name FROM monitor
            WHERE id IN (SELECT DISTINCT monitor_id FROM heartbeat) AND name IS NOT NULL AND name != ''
            ORDER BY id
            """)
        var ids: [String: [Int64]] = [:]
        while try query.step() {
            let id = query.int(0)
            ids[try name(query.bytes(1), id), default: []].append(id)
        }
        return ids.filter { $0.value.count > 1 }.map { (name: $0.key, ids: $0.value) }.sorted { $0.name < $1.name }
    }

    /// How many SQLite virtual-machine steps reading may take (`sqlite3_progress_handler`).
    final class StepBudget {
        static let interval: Int32 = 100_000
        let limit: Int64
        var used: Int64 = 0
        init(limit: Int64) { self.limit = limit }
    }

    /// What `parse` found for `warnings()` (the reader is a value; the names it met are kept by reference).
    final class SharedNames: @unchecked Sendable { var names: [(name: String, ids: [Int64])] = [] }

    /// One warning per shared name the last `parse` met: its monitors are stored as `kuma:<id>` series, and how to
    /// map one.
    package func warnings() throws -> [Diagnostic] {
        shared.names.map { shared in
            let series = shared.ids.map { "kuma:\($0)" }
            return Diagnostic(severity: .warning, file: displayName,
                              message: "monitors \(shared.ids.map(String.init).joined(separator: ", ")) are all named "
                                  + "\(MessageText.quoted(shared.name)); their heartbeats are stored as the series "
                                  + series.joined(separator: ", "),
                              hint: "map the one a service means with status_series: \"\(series[0])\" in sla.yaml")
        }
    }
}
