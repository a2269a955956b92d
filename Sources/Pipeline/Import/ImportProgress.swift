import Foundation

/// Import progress on stderr, only when enabled (stderr is a terminal, `RunContext.showsProgress`): the file being imported and the
/// seconds it has taken so far, redrawn in place twice a second. Off a terminal it writes nothing, so cron logs
/// keep one summary line per file.
package final class ImportProgress: @unchecked Sendable {
    package let enabled: Bool
    private let queue = DispatchQueue(label: "slareport.progress")
    private var timer: DispatchSourceTimer?
    private var shown = false

    package init(enabled: Bool) { self.enabled = enabled }

    package func start(_ label: String) {
        guard enabled else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        queue.sync {
            timer?.cancel()
            show("\(label)…")
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
            timer.setEventHandler { [unowned self] in
                let seconds = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000
                self.show("\(label): importing… \(seconds) s")
            }
            timer.resume()
            self.timer = timer
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
