import Synchronization

/// How far the reader of the file being imported has got, for the progress line (§10.5): bytes read from the file
/// (every text reader reads through `InputFileProblem.readChunk`) and rows read where there are no bytes to count
/// (an Uptime Kuma database, read by SQLite).
///
/// The importer sets `current` around one file's import; a reader adds to it on the thread that set it. Files read
/// ahead on other threads see no `current` and count nothing, so a counter only ever holds one file's progress.
package final class ReadProgress: Sendable {
    @TaskLocal package static var current: ReadProgress?

    private let counts = Mutex((bytes: 0, rows: 0))

    package init() {}

    package var bytes: Int { counts.withLock { $0.bytes } }
    package var rows: Int { counts.withLock { $0.rows } }

    package func add(bytes: Int) { counts.withLock { $0.bytes += bytes } }
    package func add(rows: Int) { counts.withLock { $0.rows += rows } }
}
