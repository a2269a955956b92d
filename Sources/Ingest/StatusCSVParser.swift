import Calc
import Foundation

/// One status observation read from a status-history CSV (SPEC §4.1 `csv`).
package struct StatusRow: Equatable {
    package var service: String
    /// "" when the file has no `region` column or the cell is empty.
    package var region: String
    package var time: Millis
    package var status: ObservedStatus
    package var responseTimeMs: Int64?
    /// nil when the file has no `message` column or the cell is empty.
    package var message: String?
    /// The physical line (1-based, the header is line 1) on which the row starts; a reader without lines puts
    /// another number here and says what it is (`StatusRowSource.location(ofRow:)`: Uptime Kuma's heartbeat id).
    package var line: Int
}

/// A parsed row as the store needs it: the series by number (into `StatusBatch.series`), no names, no extras.
package struct CompactStatusRow: Equatable {
    package var time: Millis
    /// `StatusRow.line`: the physical line, or the number the reader's `location(ofRow:)` reads.
    package var line: Int
    package var series: Int32
    package var status: ObservedStatus
}

/// The (service, region) of a series number in a `StatusBatch`.
package struct StatusSeriesName: Hashable {
    package var service: String
    package var region: String
}

/// A batch of compact rows and the names of (at least) every series they refer to. A source keeps its series
/// numbers for the whole parse, so a number means the same series in every batch of one parse.
package struct StatusBatch {
    package var rows: [CompactStatusRow] = []
    package var series: [StatusSeriesName] = []
}

/// Reads a status-history CSV as a stream of `StatusRow` batches.
///
/// The header names the columns, in any order, case-insensitively, spaces around names ignored:
/// `timestamp`, `service`, `status` are required; `region`, `response_time_ms`, `message` optional;
/// any other column is an error. Values are taken as written (no trimming): a service or region with
/// leading or trailing spaces is an error rather than a silently different series. Blank lines are skipped.
/// Timestamps are what `Timestamp.parse` accepts (RFC 3339 with an offset, or epoch seconds); the common
/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` and integer epoch forms take a byte-level fast path with the same results.
///
/// Within the file each (service, region) series must be in ascending time order. A row repeating the
/// previous row of its series exactly (same timestamp and status) is dropped; the same timestamp with
/// another status is an error.
///
/// Every problem is thrown as a `Diagnostic` naming `displayName`, the line and the column (the first one
/// found ends the parse; rows already handed to `batch` are the caller's to discard). A file that cannot
/// be opened at all gives a `Diagnostic` without a line whose `isNoInput` is true (`no such file`, …):
/// map that one to exit 66.
package struct StatusCSVParser {
    package static let defaultBatchSize = 8192

    package let path: String
    package let displayName: String
    package var chunkSize: Int
    package var maxLineBytes: Int
    package var batchSize: Int

    package init(path: String, displayName: String, chunkSize: Int = CSVReader.defaultChunkSize,
         maxLineBytes: Int = CSVReader.defaultMaxRecordBytes, batchSize: Int = StatusCSVParser.defaultBatchSize) {
        precondition(batchSize > 0)
        self.path = path
        self.displayName = displayName
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
        self.batchSize = batchSize
    }

    /// Streams the rows in batches of up to `batchSize`; throws the first `Diagnostic` found (or what
    /// `batch` throws). Returns the number of rows delivered.
    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        var rows = RowBatch<StatusRow>(size: batchSize)
        try parseRecords { decoder, record in
            guard let row = try decoder.row(from: record) else { return }
            let name = decoder.seriesNames[Int(row.series)]
            let details = decoder.details(record)
            try rows.append(StatusRow(service: name.service, region: name.region, time: row.time, status: row.status,
                                      responseTimeMs: details.responseTime, message: details.message, line: row.line),
                            deliver: batch)
        }
        return try rows.finish(batch)
    }

    /// The same rows (same checks, same errors at the same points) as compact rows, in batches of up to
    /// `batchSize`. `batch` may swap the batch's row buffer for another (empty) one to keep the full one.
    package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
        // The loop is written out (no closure over `out`) so appending a row costs no exclusivity check.
        let (reader, start) = try open()
        var decoder = start
        var out = StatusBatch()
        out.rows.reserveCapacity(batchSize)
        var delivered = 0
        while true {
            while let record = try reader.next() {
                if record.isBlank { continue }
                guard let row = try decoder.row(from: record) else { continue }
                out.rows.append(row)
                if out.rows.count >= batchSize { break }
            }
            if out.rows.isEmpty { break }
            out.series = decoder.seriesNames
            delivered += out.rows.count
            try batch(&out)
            out.rows.removeAll(keepingCapacity: true)
            out.rows.reserveCapacity(batchSize)
        }
        return delivered
    }

    /// Reads the header, then hands every non-blank record to `body` with the decoder.
    private func parseRecords(_ body: (inout StatusRowDecoder, CSVRecord) throws -> Void) throws {
        let (reader, start) = try open()
        var decoder = start
        while let record = try reader.next() {
            if record.isBlank { continue }
            try body(&decoder, record)
        }
    }

    /// Opens the file and reads its header: the reader, positioned after it, and the header's decoder.
    private func open() throws -> (CSVReader, StatusRowDecoder) {
        let reader = try CSVReader(path: path, displayName: displayName, chunkSize: chunkSize, maxRecordBytes: maxLineBytes)
        var headerRecord: CSVRecord?
        while let record = try reader.next() {
            if !record.isBlank {
                headerRecord = record
                break
            }
        }
        guard let headerRecord else {
            let message = reader.bytesRead == 0 ? "file is empty" : "file has no header row"
            throw Diagnostic(file: displayName, line: nil, column: nil, message: message)
        }
        return (reader, try StatusRowDecoder(header: headerRecord, file: displayName))
    }
}

/// Turns records into rows: column positions from the header, interned names, per-series order.
package struct StatusRowDecoder {
    package static let knownColumns = ["timestamp", "service", "status", "region", "response_time_ms", "message"]
    package static let requiredColumns = ["timestamp", "service", "status"]
    package static let statusChoices = "up, down, degraded, maintenance, unknown, 1 or 0"

    package let file: String
    package let fieldCount: Int
    package let timestampColumn: Int
    package let serviceColumn: Int
    package let statusColumn: Int
    /// -1 when absent.
    package let regionColumn: Int
    package let responseTimeColumn: Int
    package let messageColumn: Int

    /// Services and regions as written (bytes) → raw ids; `serviceIDs`/`regionIDs` map a raw id to the id of its NFC
    /// form in `canonicalServices`/`canonicalRegions`, which is what a series is keyed and named by (`NameText`).
    package var services = ByteStringInterner()
    package var regions = ByteStringInterner()
    package var canonicalServices = ByteStringInterner()
    package var canonicalRegions = ByteStringInterner()
    package var serviceIDs: [Int] = []
    package var regionIDs: [Int] = []
    package var seriesIndex = SeriesTable()
    package var series: [SeriesState] = []
    /// The names of each series number, in order of first appearance.
    package var seriesNames: [StatusSeriesName] = []
    package var lastSeriesKey = UInt64.max
    package var lastSeries = -1
    /// The calendar day of the last fast-path timestamp, as YYYYMMDD, and its days since the epoch.
    package var cachedDateKey = -1
    package var cachedDays = 0
    /// The ten bytes `YYYY-MM-DD` that gave `cachedDateKey` (valid while `cachedDateKey >= 0`).
    package var cachedDateHead: UInt64 = 0
    package var cachedDateTail: UInt16 = 0

    package struct SeriesState {
        package var time: Millis
        package var status: ObservedStatus
        package var line: Int
    }

    package init(header: CSVRecord, file: String) throws(Diagnostic) {
        self.file = file
        var positions: [String: Int] = [:]
        var names: [String] = []
        var unknown: [(name: String, field: CSVField)] = []
        for index in 0..<header.count {
            let field = header[index]
            let name = header.string(index).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            names.append(name)
            let key = name.lowercased()
            guard !name.isEmpty else {
                throw Diagnostic(file: file, line: field.line, column: field.column,
                                 message: "column \(index + 1) of the header has no name")
            }
            if let earlier = positions[key] {
                throw Diagnostic(file: file, line: field.line, column: field.column,
                                 message: "duplicate column \(messageQuoted(name)) (columns \(earlier + 1) and \(index + 1))")
            }
            positions[key] = index
            if !Self.knownColumns.contains(key) { unknown.append((name, field)) }
        }
        if let first = unknown.first {
            let list = unknown.map { messageQuoted($0.name) }.joined(separator: ", ")
            throw Diagnostic(file: file, line: first.field.line, column: first.field.column,
                             message: "unknown column\(unknown.count > 1 ? "s" : "") \(list) (expected: \(Self.knownColumns.joined(separator: ", ")))")
        }
        let missing = Self.requiredColumns.filter { positions[$0] == nil }
        if !missing.isEmpty {
            let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
            let has = names.map { MessageText.escaped($0) }.joined(separator: ", ")
            throw Diagnostic(file: file, line: header.line, column: nil,
                             message: "missing required column\(missing.count > 1 ? "s" : "") \(list) (header has: \(has))")
        }
        fieldCount = header.count
        timestampColumn = positions["timestamp"]!
        serviceColumn = positions["service"]!
        statusColumn = positions["status"]!
        regionColumn = positions["region"] ?? -1
        responseTimeColumn = positions["response_time_ms"] ?? -1
        messageColumn = positions["message"] ?? -1
        // Id 0 is the empty region, written and canonical.
        _ = regions.id(for: UnsafeBufferPointer(start: nil, count: 0))
        regionIDs.append(canonicalRegions.id(for: UnsafeBufferPointer(start: nil, count: 0)))
    }

    /// The row of `record`, or nil when it exactly repeats the previous row of its series.
    package mutating func row(from record: CSVRecord) throws(Diagnostic) -> CompactStatusRow? {
        guard record.count == fieldCount else {
            let message = "row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(fieldCount)"
            if record.count > fieldCount {
                let extra = record[fieldCount]
                throw Diagnostic(file: file, line: extra.line, column: extra.column, message: message)
            }
            throw Diagnostic(file: file, line: record.endLine, column: record.endColumn, message: message)
        }

        let time = try timestamp(record, timestampColumn)

        let serviceBytes = record.bytes(serviceColumn)
        if serviceBytes.isEmpty { throw error(record[serviceColumn], "service is empty") }
        try checkNoOuterSpaces(serviceBytes, record[serviceColumn], what: "service")
        let rawService = services.id(for: serviceBytes)
        let serviceID: Int
        if rawService < serviceIDs.count {
            serviceID = serviceIDs[rawService]
        } else {
            serviceID = try Self.canonicalID(serviceBytes, record[serviceColumn], what: "service", file: file,
                                             into: &canonicalServices)
            serviceIDs.append(serviceID)
        }

        var regionID = 0  // "" (see init)
        if regionColumn >= 0 {
            let regionBytes = record.bytes(regionColumn)
            try checkNoOuterSpaces(regionBytes, record[regionColumn], what: "region")
            let rawRegion = regions.id(for: regionBytes)
            if rawRegion < regionIDs.count {
                regionID = regionIDs[rawRegion]
            } else {
                regionID = try Self.canonicalID(regionBytes, record[regionColumn], what: "region", file: file,
                                                into: &canonicalRegions)
                regionIDs.append(regionID)
            }
        }

        let statusBytes = record.bytes(statusColumn)
        guard let status = Self.status(statusBytes) else {
            let message = statusBytes.isEmpty
                ? "status is empty (expected \(Self.statusChoices))"
                : "unknown status \(messageQuoted(statusBytes)) (expected \(Self.statusChoices))"
            throw error(record[statusColumn], message)
        }

        if responseTimeColumn >= 0 {
            _ = try Self.responseTime(record.bytes(responseTimeColumn), record[responseTimeColumn], file: file)
        }

        // Per-series order.
        let key = UInt64(serviceID) << 32 | UInt64(regionID)
        let seriesNumber: Int
        if key == lastSeriesKey {
            seriesNumber = lastSeries
        } else {
            let found = seriesIndex.index(of: key, orAdd: series.count)
            seriesNumber = found.index
            if found.added {
                series.append(SeriesState(time: time, status: status, line: record.line))
                seriesNames.append(StatusSeriesName(service: canonicalServices.strings[serviceID],
                                                    region: canonicalRegions.strings[regionID]))
                lastSeriesKey = key
                lastSeries = seriesNumber
                return CompactStatusRow(time: time, line: record.line, series: Int32(seriesNumber), status: status)
            }
        }
        lastSeriesKey = key
        lastSeries = seriesNumber
        let previous = series[seriesNumber]
        if time <= previous.time {
            let name = seriesName(serviceID, regionID)
            if time < previous.time {
                throw error(record[timestampColumn],
                            "out of order: \(name) at \(Timestamp.format(time)) is earlier than \(Timestamp.format(previous.time)) on line \(previous.line) (each series must be in ascending time order)")
            }
            if status == previous.status { return nil }
            throw error(record[statusColumn],
                        "conflicting status for \(name) at \(Timestamp.format(time)): \(status.name) here, \(previous.status.name) on line \(previous.line)")
        }
        series[seriesNumber] = SeriesState(time: time, status: status, line: record.line)
        return CompactStatusRow(time: time, line: record.line, series: Int32(seriesNumber), status: status)
    }

    /// The response time and message of a record `row(from:)` accepted (so its response time is valid).
    package func details(_ record: CSVRecord) -> (responseTime: Int64?, message: String?) {
        var responseTime: Int64?
        if responseTimeColumn >= 0 {
            responseTime = try? Self.responseTime(record.bytes(responseTimeColumn), record[responseTimeColumn], file: file)
        }
        var message: String?
        if messageColumn >= 0, record[messageColumn].count > 0 { message = record.string(messageColumn) }
        return (responseTime, message)
    }

    private func seriesName(_ serviceID: Int, _ regionID: Int) -> String {
        let region = canonicalRegions.strings[regionID]
        return MessageText.escaped(canonicalServices.strings[serviceID]) + (region.isEmpty ? "" : "/" + MessageText.escaped(region))
    }

    /// A name met for the first time (as written): refused when it holds a control character, pointing at it;
    /// otherwise the id of its NFC form in `canonical`.
    private static func canonicalID(_ bytes: UnsafeBufferPointer<UInt8>, _ field: CSVField, what: String, file: String,
                                    into canonical: inout ByteStringInterner) throws(Diagnostic) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        if let (scalar, offset) = NameText.firstControl(bytes) {
            let place = NameText.place(of: offset, in: bytes, field: field)
            throw Diagnostic(file: file, line: place.line, column: place.column,
                             message: NameText.controlMessage(what, text, scalar: scalar))
        }
        let name = NameText.canonical(text)
        var utf8 = name
        return utf8.withUTF8 { canonical.id(for: $0) }
    }

    private func error(_ field: CSVField, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: field.line, column: field.column, message: message)
    }

    private func checkNoOuterSpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ field: CSVField, what: String) throws(Diagnostic) {
        guard let first = bytes.first, let last = bytes.last else { return }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 {
            throw error(field, "\(what) has leading or trailing spaces: \(messageQuoted(bytes))")
        }
    }

    // MARK: - Values

    private static func status(_ b: UnsafeBufferPointer<UInt8>) -> ObservedStatus? {
        switch b.count {
        case 1: b[0] == UInt8(ascii: "1") ? .up : b[0] == UInt8(ascii: "0") ? .down : nil
        case 2: equalsIgnoringCase(b, "up") ? .up : nil
        case 4: equalsIgnoringCase(b, "down") ? .down : nil
        case 7: equalsIgnoringCase(b, "unknown") ? .unknown : nil
        case 8: equalsIgnoringCase(b, "degraded") ? .degraded : nil
        case 11: equalsIgnoringCase(b, "maintenance") ? .maintenance : nil
        default: nil
        }
    }

    /// Compares ASCII letters case-insensitively with a lowercase word (`x | 0x20` folds only A–Z onto a–z
    /// among the bytes that can then equal a lowercase letter).
    @inline(__always)
    private static func equalsIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard b.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<b.count where b[k] | 0x20 != w[k] { return false }
        return true
    }

    private static func responseTime(_ b: UnsafeBufferPointer<UInt8>, _ field: CSVField, file: String) throws(Diagnostic) -> Int64? {
        if b.isEmpty { return nil }
        var value: Int64 = 0
        for byte in b {
            let digit = byte &- 48
            guard digit < 10 else {
                throw Diagnostic(file: file, line: field.line, column: field.column,
                                 message: "response_time_ms is not a non-negative integer: \(messageQuoted(b))")
            }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else {
                throw Diagnostic(file: file, line: field.line, column: field.column,
                                 message: "response_time_ms is too large: \(messageQuoted(b))")
            }
            value = sum
        }
        return value
    }

    /// The timestamp in field `index`: `YYYY-MM-DDTHH:MM:SS[.fff]Z` and integer epoch seconds on a fast
    /// byte path; anything else (offsets, decimals, errors) through `Timestamp.parse`, for one behaviour
    /// and one set of messages.
    private mutating func timestamp(_ record: CSVRecord, _ index: Int) throws(Diagnostic) -> Millis {
        let b = record.bytes(index)
        if let fast = fastTimestamp(b) { return fast }
        let field = record[index]
        // Timestamp's messages quote the text as is; keep odd text (line breaks, very long) on one line.
        if b.count > 64 || b.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw error(field, "not a timestamp: \(messageQuoted(b))")
        }
        do {
            return try Timestamp.parse(Substring(String(decoding: b, as: UTF8.self)))
        } catch {
            throw self.error(field, error.reason)
        }
    }

    @inline(__always)
    private mutating func fastTimestamp(_ p: UnsafeBufferPointer<UInt8>) -> Millis? {
        let n = p.count
        if n >= 20 {
            guard p[10] == UInt8(ascii: "T"), p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"), p[n - 1] == UInt8(ascii: "Z")
            else { return nil }
            // The same ten date bytes as the last accepted fast-path timestamp: the same (valid) day.
            let raw = UnsafeRawPointer(p.baseAddress!)
            let dateHead = raw.loadUnaligned(as: UInt64.self), dateTail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
            let sameDate = cachedDateKey >= 0 && dateHead == cachedDateHead && dateTail == cachedDateTail
            guard let (hour, minute, second) = Self.clockTime(raw + 11), hour < 24, minute < 60, second < 60 else { return nil }
            var year = 0, month = 0, day = 0
            if !sameDate {
                guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { return nil }
                year = Self.digits(p, 0, 4)
                month = Self.digits(p, 5, 2)
                day = Self.digits(p, 8, 2)
                guard year >= 0, month >= 0, day >= 0 else { return nil }
            }
            var millis = 0
            if n > 20 {
                // `.f…Z`: keep up to three fraction digits, truncating the rest (as Timestamp.parse does).
                guard p[19] == UInt8(ascii: "."), n > 21 else { return nil }
                var scale = 100
                for k in 20..<(n - 1) {
                    let d = p[k] &- 48
                    guard d < 10 else { return nil }
                    millis += Int(d) * scale
                    scale /= 10
                }
            }
            if !sameDate {
                let dateKey = year * 10_000 + month * 100 + day
                if dateKey != cachedDateKey {
                    guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
                    cachedDays = CivilDate(year: year, month: month, day: day).daysSinceEpoch
                    cachedDateKey = dateKey
                }
                cachedDateHead = dateHead
                cachedDateTail = dateTail
            }
            return Int64(cachedDays) * Calc.Duration.day + Int64(hour * 3600 + minute * 60 + second) * 1000 + Int64(millis)
        }
        if n >= 1 && n <= 12 {
            let seconds = Self.digits(p, 0, n)
            return seconds >= 0 ? Int64(seconds) * 1000 : nil
        }
        return nil
    }

    /// `HH:MM:SS` at `p` (the colons already checked) as three numbers, or nil when one of the six is not a digit.
    /// One eight-byte load: a byte is a digit when its high nibble is 3 and its low nibble plus 6 stays below 16;
    /// neither test can carry into the next byte, so all six are checked at once.
    @inline(__always)
    private static func clockTime(_ p: UnsafeRawPointer) -> (Int, Int, Int)? {
        let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        let digitBytes: UInt64 = 0x0F0F_000F_0F00_0F0F   // bytes 0, 1, 3, 4, 6, 7: H H : M M : S S
        let low = word & digitBytes
        guard word & (digitBytes << 4) == 0x3030_0030_3000_3030,
              (low &+ 0x0606_0006_0600_0606) & 0x1010_0010_1000_1010 == 0 else { return nil }
        func digit(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (low >> (8 * k)) & 0xFF) }
        return (digit(0) * 10 + digit(1), digit(3) * 10 + digit(4), digit(6) * 10 + digit(7))
    }

    /// The decimal value of `count` digits at `from`, or -1 when one is not a digit.
    @inline(__always)
    private static func digits(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int {
        var value = 0
        for k in from..<(from + count) {
            let d = p[k] &- 48
            if d > 9 { return -1 }
            value = value * 10 + Int(d)
        }
        return value
    }
}

/// Maps byte strings to small ids and one shared `String` each, so a name repeated on a million rows
/// is decoded and allocated once. Open addressing over a multiply–xorshift hash (`hash`); the bytes are kept for comparison.
package struct ByteStringInterner {
    private(set) var strings: [String] = []
    private var slots = [Int32](repeating: -1, count: 64)
    private var hashes: [UInt64] = []
    private var offsets: [Int] = []
    private var storage: [UInt8] = []
    private var lastID = -1

    /// The id of `bytes`, adding it when new.
    package mutating func id(for bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if lastID >= 0 && matches(lastID, bytes) { return lastID }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = Int(slots[slot])
            if id < 0 { break }
            if hashes[id] == hash && matches(id, bytes) {
                lastID = id
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = strings.count
        slots[slot] = Int32(id)
        hashes.append(hash)
        offsets.append(storage.count)
        storage.append(contentsOf: bytes)
        strings.append(String(decoding: bytes, as: UTF8.self))
        lastID = id
        if strings.count * 2 > slots.count { rehash() }
        return id
    }

    /// A multiply–xorshift hash over eight bytes at a time (names are short; this is no defence against
    /// crafted collisions, which would only make a hostile file slow, not wrong).
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(bytes.count) &* k
        guard let p = bytes.baseAddress else { return h ^ (h >> 32) }
        var i = 0
        while i &+ 8 <= bytes.count {
            h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* k
            h ^= h >> 29
            i &+= 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(p[i]) << shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ tail) &* k
            h ^= h >> 29
        }
        return h
    }

    @inline(__always)
    private func matches(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id]
        let end = id + 1 < offsets.count ? offsets[id + 1] : storage.count
        guard end - start == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            for k in 0..<bytes.count where stored[start &+ k] != bytes[k] { return false }
            return true
        }
    }

    private mutating func rehash() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[slot] >= 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(id)
        }
        slots = bigger
    }
}

/// Maps a (service id, region id) key to the index of its series state; open addressing, linear probing.
package struct SeriesTable {
    private var keys = [UInt64](repeating: 0, count: 64)
    private var values = [Int32](repeating: -1, count: 64)
    private var count = 0

    /// The index stored for `key`, or `newIndex` after storing it when the key is new.
    package mutating func index(of key: UInt64, orAdd newIndex: Int) -> (index: Int, added: Bool) {
        let mask = keys.count - 1
        var slot = Self.slot(key, mask)
        while values[slot] >= 0 {
            if keys[slot] == key { return (Int(values[slot]), false) }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = Int32(newIndex)
        count += 1
        if count * 2 > keys.count { grow() }
        return (newIndex, true)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        let h = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h ^ (h >> 32)) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: -1, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for i in 0..<oldKeys.count where oldValues[i] >= 0 {
            var slot = Self.slot(oldKeys[i], mask)
            while values[slot] >= 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            values[slot] = oldValues[i]
        }
    }
}

/// `text` in double quotes for a one-line message (`MessageText.quoted`).
private func messageQuoted(_ text: String) -> String { MessageText.quoted(text) }

private func messageQuoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String { MessageText.quoted(String(decoding: bytes, as: UTF8.self)) }
