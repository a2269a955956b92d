import Foundation

/// A problem found in an input file or the configuration, with where it is and what to do.
///
/// Printed as `exports/status.csv:42:17: error: timestamp has no UTC offset: "2026-10-01 00:00:00"`; a place inside a
/// file that has no lines comes after the severity (`kuma.db: error: heartbeat 7: conflicts with …`), and the next
/// step after the message (`…; nothing from this file was stored (re-import with --replace to overwrite)`).
package struct Diagnostic: Error, CustomStringConvertible, Equatable {
    package enum Severity: String { case error, warning, note }

    /// Where in `file` the problem is, as the reader that found it knows it.
    package enum Location: Equatable, Sendable {
        /// The file as a whole.
        case file
        /// A 1-based line and, when meaningful, 1-based byte column: text exports and the configuration.
        case line(Int, column: Int?)
        /// An Uptime Kuma heartbeat (a database has no lines), with its monitor when the message needs it
        /// (`monitor 1 "api"`).
        case heartbeat(Int, monitor: String? = nil)
        /// A member path in a JSON document or in the configuration (`inputs.status[1].path`).
        case keyPath(String)
    }

    /// The name `file` takes when the problem is with the whole command rather than one file.
    package static let program = "slareport"

    package var severity: Severity = .error
    /// The file as the user named it (or a config key path's file); `Diagnostic.program` for the run as a whole.
    package var file: String
    package var location: Location
    package var message: String
    /// What happened because of it and what to do next, printed after the message and a semicolon.
    package var hint: String?

    /// The 1-based line, for `.line` locations.
    package var line: Int? {
        if case .line(let line, _) = location { return line }
        return nil
    }

    /// The 1-based byte column, for `.line` locations that have one.
    package var column: Int? {
        if case .line(_, let column) = location { return column }
        return nil
    }

    package var description: String {
        var place = file
        var text = message
        switch location {
        case .file:
            break
        case let .line(line, column):
            place += ":\(line)"
            if line > 0, let column { place += ":\(column)" }
        case let .heartbeat(id, monitor):
            text = "heartbeat \(id)\(monitor.map { " (\($0))" } ?? ""): " + text
        case let .keyPath(path):
            text = "\(path): " + text
        }
        if let hint { text += "; \(hint)" }
        return "\(place): \(severity.rawValue): \(text)"
    }

    package init(severity: Severity = .error, file: String, location: Location, message: String, hint: String? = nil) {
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// A place given as a line and column (none: the file as a whole).
    package init(severity: Severity = .error, file: String, line: Int? = nil, column: Int? = nil, message: String,
                 hint: String? = nil) {
        self.init(severity: severity, file: file, location: line.map { .line($0, column: column) } ?? .file,
                  message: message, hint: hint)
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

/// An error that ends the command with a specific exit code; the command prints its diagnostics, one a line.
///
/// No diagnostics: everything was already said (e.g. `check` logs each file's problem as it finds it).
package struct CommandFailure: Error, CustomStringConvertible {
    package var exitCode: Int32
    package var diagnostics: [Diagnostic]

    package init(_ exitCode: Int32, diagnostics: [Diagnostic]) {
        self.exitCode = exitCode
        self.diagnostics = diagnostics
    }

    /// The diagnostics as printed, one a line.
    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension Diagnostic {
    /// A system error as a short reason people can act on: the POSIX reason (`No such file or directory`) under a
    /// Foundation error, never Foundation's `Error Domain=NSCocoaErrorDomain Code=4 …` text.
    package static func reason(of error: Error) -> String {
        if let posix = error as? POSIXError, let text = strerror(posix.code.rawValue) { return String(cString: text) }
        if error is CocoaError || type(of: error) is NSError.Type {
            let ns = error as NSError
            if ns.domain == NSPOSIXErrorDomain, let text = strerror(Int32(ns.code)) { return String(cString: text) }
            if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error { return reason(of: underlying) }
            return (ns.localizedFailureReason ?? ns.localizedDescription)
                .replacingOccurrences(of: "The operation could not be completed. ", with: "")
        }
        // The project's own errors (SQLite, schema, …) describe themselves in a sentence.
        return String(describing: error)
    }
}
