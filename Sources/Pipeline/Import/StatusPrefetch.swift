import Ingest
import Storage
import Foundation

/// Reads a CSV status export ahead, on its own thread, while earlier files are written: its SHA-256, and its rows in
/// the same batches the parser delivers, through a bounded queue (so memory stays bounded however large the file).
///
/// Nothing here touches the store except a read-only look at the import log (a file already imported is not parsed);
/// the importer still decides everything itself, in file order, and falls back to reading the file inline whenever
/// the prefetch has nothing for it. A parse error is queued after the rows before it, so the importer meets it at
/// the same point as when parsing inline.
package final class StatusPrefetch: @unchecked Sendable {
    package static let maxQueuedBatches = 4

    private let condition = NSCondition()
    private var batches: [StatusBatch] = []
    /// Row buffers the importer is done with, for the parser to fill again (fresh ones cost page faults).
    private var spare: [[CompactStatusRow]] = []
    private var finished = false
    private var outcome: Result<Int, Error> = .success(0)
    private var cancelled = false
    private var hashReady = false
    private var hash: String?
    private var thread: Thread?
    /// How far the read-ahead has read the file: the importer's progress line for it (the queue holds at most
    /// `maxQueuedBatches` batches, so the reading is never far ahead of the writing).
    package let progress = ReadProgress()

    private struct Cancelled: Error {}

    package init(url: URL, source: @escaping @Sendable () -> StatusRowSource, databasePath: URL) {
        let thread = Thread { [self] in
            let sha = try? SHA256.hex(ofFileAt: url.path)
            condition.lock()
            hash = sha
            hashReady = true
            condition.broadcast()
            condition.unlock()
            guard let sha, !Self.alreadyImported(sha, databasePath: databasePath) else {
                finish(.failure(Cancelled()))
                return
            }
            do {
                let count = try ReadProgress.$current.withValue(progress) { try source().parseCompact { batch in
                    condition.lock()
                    defer { condition.unlock() }
                    while batches.count >= Self.maxQueuedBatches && !cancelled { condition.wait() }
                    if cancelled { throw Cancelled() }
                    let full = batch
                    batch.rows = spare.popLast() ?? []
                    batches.append(full)
                    condition.broadcast()
                } }
                finish(.success(count))
            } catch {
                finish(.failure(error))
            }
        }
        thread.stackSize = 4 << 20
        self.thread = thread
        thread.start()
    }

    private static func alreadyImported(_ sha: String, databasePath: URL) -> Bool {
        guard let db = try? Database(path: databasePath.path, readOnly: true),
              let s = try? db.statement("SELECT 1 FROM import_file WHERE sha256 = ?"), (try? s.bind(.text(sha))) != nil else { return false }
        return (try? s.step()) ?? false
    }

    private func finish(_ result: Result<Int, Error>) {
        condition.lock()
        outcome = result
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The file's SHA-256 as read ahead; nil when reading failed (the importer then reads it itself, for its error).
    package func sha256() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while !hashReady { condition.wait() }
        return hash
    }

    /// The rows, as a source; nil when the prefetch did not parse the file (the importer parses it inline).
    package func rows() -> Queued? {
        condition.lock()
        defer { condition.unlock() }
        while !finished && batches.isEmpty { condition.wait() }
        if finished, case .failure(let error) = outcome, error is Cancelled { return nil }
        return Queued(prefetch: self)
    }

    /// Stops reading ahead (the file was skipped or its import ended early) and lets the thread end.
    package func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        spare.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func recycle(_ rows: inout [CompactStatusRow]) {
        rows.removeAll(keepingCapacity: true)
        condition.lock()
        defer { condition.unlock() }
        if !cancelled && spare.count < 2 { spare.append(rows) }
    }

    private func next() -> StatusBatch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    package struct Queued {
        package let prefetch: StatusPrefetch
        package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
            defer { prefetch.cancel() }
            while var rows = prefetch.next() {
                try batch(&rows)
                prefetch.recycle(&rows.rows)
            }
            prefetch.condition.lock()
            let outcome = prefetch.outcome
            prefetch.condition.unlock()
            return try outcome.get()
        }
    }
}

/// Keeps the CSV status files of an import plan read ahead: when file `i` is taken, files `i + 1` and `i + 2` start
/// hashing and parsing on their own threads while `i` is written (parsing costs more than writing, so one reader
/// alone would leave the writer waiting). Each file is still imported in order, in its own transaction, exactly as
/// if read inline.
package final class StatusReadAhead {
    package static let depth = 2

    private let files: [ImportPlan.File]
    private let databasePath: URL
    private var started: [Int: StatusPrefetch] = [:]
    private var next = 0

    package init(_ files: [ImportPlan.File], databasePath: URL) {
        self.files = files
        self.databasePath = databasePath
    }

    /// The read-ahead of file `index` (nil when it is not a CSV status export), once the files after it have started.
    package func take(_ index: Int) -> StatusPrefetch? {
        while next <= min(index + Self.depth, files.count - 1) {
            started[next] = StatusPrefetch.start(files[next], databasePath: databasePath)
            next += 1
        }
        return started.removeValue(forKey: index)
    }
}

extension StatusPrefetch {
    /// Starts reading `file` ahead when it is a CSV status export (by its format, or by its content under `auto`).
    package static func start(_ file: ImportPlan.File, databasePath: URL) -> StatusPrefetch? {
        guard case .status(let choice) = file.format, InputFileProblem.special(file.url.path) == nil,
              (try? choice.resolve(file.url, name: file.name))?.format == .csv else { return nil }
        let (path, name, options) = (file.url.path, file.name, file.options)
        return StatusPrefetch(url: file.url, source: { StatusFormat.csv.reader(path: path, displayName: name, options: options) },
                              databasePath: databasePath)
    }
}

/// The rows read ahead by a `StatusPrefetch`, else the file parsed inline.
package struct PrefetchedSource: StatusRowSource {
    package let prefetch: StatusPrefetch
    package let inline: StatusRowSource

    /// The full rows (response times, messages) are not read ahead: they come from the file itself.
    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        defer { prefetch.cancel() }
        return try inline.parse(batch: batch)
    }

    package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
        if let rows = prefetch.rows() { return try rows.parseCompact(batch: batch) }
        return try inline.parseCompact(batch: batch)
    }

    package func location(ofRow number: Int) -> Diagnostic.Location { inline.location(ofRow: number) }
}
