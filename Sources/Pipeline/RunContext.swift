import Calc
import Foundation

/// What a command takes from its process, passed in as values: the pipeline never reads the clock, the
/// environment, the terminal, the temporary folder or `argv[0]` itself. The executable fills it in
/// (`Sources/Report/Commands/RunContext+Process.swift`); tests build one with fixed values.
package struct RunContext: Sendable {
    /// The wall clock when the command started. Used only to resolve `last-month`/`last-quarter` when neither
    /// `--as-of` nor `SOURCE_DATE_EPOCH` is given; never written into a report.
    package var now: Millis
    /// `SOURCE_DATE_EPOCH` (whole seconds), when set: the reference time of reproducible builds.
    package var sourceDateEpoch: Millis?
    /// Messages for people (standard error).
    package var log: Log
    /// Whether to draw import progress (standard error is a terminal).
    package var showsProgress: Bool
    /// Where scratch files go (`verify`'s database, libxlsxwriter's temporary files).
    package var temporaryDirectory: URL
    /// Where the installed Markdown template is looked for when the config names no `templates` folder.
    package var templateFolders: [URL]

    package init(now: Millis, sourceDateEpoch: Millis? = nil, log: Log, showsProgress: Bool = false,
                 temporaryDirectory: URL, templateFolders: [URL] = []) {
        self.now = now
        self.sourceDateEpoch = sourceDateEpoch
        self.log = log
        self.showsProgress = showsProgress
        self.temporaryDirectory = temporaryDirectory
        self.templateFolders = templateFolders
    }

    /// The reference instant for `last-month`/`last-quarter`: `--as-of`, else `SOURCE_DATE_EPOCH`, else now.
    package func referenceTime(asOf: Millis?) -> Millis { asOf ?? sourceDateEpoch ?? now }

    /// `SOURCE_DATE_EPOCH` as the environment gives it: integer seconds, else nothing.
    package static func sourceDateEpoch(_ text: String?) -> Millis? {
        guard let text, let seconds = Int64(text) else { return nil }
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : ms
    }

    /// `templates/` and `share/slareport/templates/` beside the executable and up to four folders above it, which
    /// covers a source checkout (`.build/release/slareport`) and an installed tree (`bin/` beside `share/`).
    package static func templateFolders(executable: URL) -> [URL] {
        var folders: [URL] = []
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(dir.appendingPathComponent("templates"))
            folders.append(dir.appendingPathComponent("share/slareport/templates"))
            dir = dir.deletingLastPathComponent()
        }
        return folders
    }
}
