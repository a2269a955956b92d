import Ingest
import Foundation

/// Import progress on stderr, only when enabled (stderr is a terminal, `RunContext.showsProgress`): per file, the
/// bytes read and the file's size, the percent, the rate and an estimate of the time left (§10.5), redrawn in place
/// twice a second. An Uptime Kuma database, which SQLite reads, shows rows and their rate. Off a terminal it writes
/// nothing, so cron logs keep one summary line per file.
package final class ImportProgress: @unchecked Sendable {
    package let enabled: Bool
    private let queue = DispatchQueue(label: "slareport.progress")
    private var timer: DispatchSourceTimer?
    private var shown = false

    package init(enabled: Bool) { self.enabled = enabled }

    /// Starts drawing `label`'s progress as `counter` advances; `size` is the file's size in bytes, when known.
    package func start(_ label: String, counter: ReadProgress, size: Int?) {
        guard enabled else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        queue.sync {
            timer?.cancel()
            show("\(label)…")
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
            timer.setEventHandler { [unowned self] in
                let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
                self.show(Self.line(label, bytes: counter.bytes, rows: counter.rows, size: size, elapsedMs: elapsed))
            }
            timer.resume()
            self.timer = timer
        }
    }

    /// The progress line: `[1/3] a.csv: 12.6 of 40.0 MB (31 %), 8.4 MB/s, 3 s left`; `kuma.db: 120000 rows, 60000
    /// rows/s`; `a.csv: importing… 2 s` while nothing is counted yet (a file read ahead on another thread). Sizes
    /// are decimal megabytes with one decimal; the time left is the bytes to go at the rate so far, rounded up.
    package static func line(_ label: String, bytes: Int, rows: Int, size: Int?, elapsedMs: Int) -> String {
        let seconds = max(elapsedMs, 1)
        if bytes > 0 {
            let rate = bytes * 1000 / seconds
            var text = "\(label): \(megabytes(bytes))"
            if let size, size > 0 {
                let done = min(bytes, size)
                text = "\(label): \(megabytes(done)) of \(megabytes(size)) MB (\(done * 100 / size) %)"
                text += ", \(megabytes(rate)) MB/s"
                if rate > 0 { text += ", " + duration((size - done + rate - 1) / rate) + " left" }
            } else {
                text += " MB, \(megabytes(rate)) MB/s"
            }
            return text
        }
        if rows > 0 {
            return "\(label): \(rows) row\(rows == 1 ? "" : "s"), \(rows * 1000 / seconds) rows/s"
        }
        return "\(label): importing… \(elapsedMs / 1000) s"
    }

    /// `12.6`: bytes in decimal megabytes, one decimal, rounded down.
    package static func megabytes(_ bytes: Int) -> String {
        let tenths = bytes / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `3 s`, `2 min 05 s`, `1 h 02 min`.
    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min " + String(format: "%02d", seconds % 60) + " s" }
        return "\(seconds / 3600) h " + String(format: "%02d", seconds % 3600 / 60) + " min"
    }

    /// Draws `text` as the progress line until the next line replaces it (`pull`'s chunk being fetched).
    package func note(_ text: String) {
        guard enabled else { return }
        queue.sync {
            timer?.cancel()
            timer = nil
            show(text)
        }
    }

    /// Stops the ticker and erases the progress line before a log line is written.
    package func clear() {
        guard enabled else { return }
        queue.sync {
            timer?.cancel()
            timer = nil
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }

    private func show(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        shown = true
    }
}
