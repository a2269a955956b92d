import ArgumentParser

/// A problem found in an input file or the configuration, with where it is and what to do.
///
/// Printed as `exports/status.csv:42:17: error: timestamp has no UTC offset: "2026-10-01 00:00:00"`.
struct Diagnostic: Error, CustomStringConvertible, Equatable {
    enum Severity: String { case error, warning, note }

    var severity: Severity = .error
    /// The file as the user named it (or a config key path's file).
    var file: String
    /// 1-based; nil when the problem is with the file as a whole.
    var line: Int?
    /// 1-based byte column within the line; nil when not meaningful.
    var column: Int?
    var message: String

    var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let line, line > 0, let column { place += ":\(column)" }
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// Exit codes of §2 (sysexits.h).
enum ExitStatus {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let cannotCreate: Int32 = 73
    static let tempFail: Int32 = 75
    static let config: Int32 = 78
}

/// An error that ends the command with a specific exit code after its message is printed.
struct CommandFailure: Error, CustomStringConvertible {
    var exitCode: Int32
    var messages: [String]
    init(_ exitCode: Int32, _ messages: String...) {
        self.exitCode = exitCode
        self.messages = messages
    }
    init(_ exitCode: Int32, diagnostics: [Diagnostic]) {
        self.exitCode = exitCode
        self.messages = diagnostics.map(\.description)
    }
    var description: String { messages.joined(separator: "\n") }
}
