import ArgumentParser
import Foundation

/// Messages for people go to stderr; stdout carries only what a command is asked to print.
struct Log: Sendable {
    let write: @Sendable (String) -> Void

    static let standardError = Log { message in
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    func callAsFunction(_ message: String) { write(message) }
}

/// Runs a command body: prints a failure's messages to stderr once and exits with its code.
func exitOnFailure(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        Log.standardError(failure.description)
        throw ExitCode(failure.exitCode)
    } catch let diagnostic as Diagnostic {
        Log.standardError(diagnostic.description)
        throw ExitCode(ExitStatus.dataError)
    } catch let error as SQLiteError {
        Log.standardError("slareport: error: \(error)")
        throw ExitCode(ExitStatus.cannotCreate)
    }
}
