import Foundation
import Pipeline

extension RunContext {
    /// The one place that reads the process: the clock, `SOURCE_DATE_EPOCH`, whether stderr is a terminal, the
    /// temporary folder and the executable's path.
    static func process() -> RunContext {
        RunContext(now: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)),
                   sourceDateEpoch: sourceDateEpoch(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"]),
                   log: .standardError,
                   showsProgress: isatty(2) == 1,
                   temporaryDirectory: FileManager.default.temporaryDirectory,
                   templateFolders: templateFolders(
                       executable: URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()))
    }
}
