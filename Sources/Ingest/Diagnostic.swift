
/// A problem found in an input file or the configuration, with where it is and what to do.
///
/// Printed as `exports/status.csv:42:17: error: timestamp has no UTC offset: "2026-10-01 00:00:00"`.
package struct Diagnostic: Error, CustomStringConvertible, Equatable {
    package enum Severity: String { case error, warning, note }

    package var severity: Severity = .error
    /// The file as the user named it (or a config key path's file).
    package var file: String
    /// 1-based; nil when the problem is with the file as a whole.
    package var line: Int?
    /// 1-based byte column within the line; nil when not meaningful.
    package var column: Int?
    package var message: String

    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let line, line > 0, let column { place += ":\(column)" }
        return "\(place): \(severity.rawValue): \(message)"
    }

    package init(severity: Severity = .error, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }
}

/// Exit codes of §2 (sysexits.h).
package enum ExitStatus {
    package static let usage: Int32 = 64
    package static let dataError: Int32 = 65
    package static let noInput: Int32 = 66
    package static let cannotCreate: Int32 = 73
    package static let tempFail: Int32 = 75
    package static let config: Int32 = 78
}

/// An error that ends the command with a specific exit code after its message is printed.
package struct CommandFailure: Error, CustomStringConvertible {
    package var exitCode: Int32
    package var messages: [String]
    package init(_ exitCode: Int32, _ messages: String...) {
        self.exitCode = exitCode
        self.messages = messages
    }
    package init(_ exitCode: Int32, diagnostics: [Diagnostic]) {
        self.exitCode = exitCode
        self.messages = diagnostics.map(\.description)
    }
    package var description: String { messages.joined(separator: "\n") }
}
