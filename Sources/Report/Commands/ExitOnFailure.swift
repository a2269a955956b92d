import ArgumentParser
import Ingest
import Pipeline

/// Runs a command body: prints a failure's diagnostics to stderr, one a line, and exits with its code.
func exitOnFailure(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        for diagnostic in failure.diagnostics { Log.standardError(diagnostic.description) }
        throw ExitCode(failure.exitCode)
    } catch let diagnostic as Diagnostic {
        Log.standardError(diagnostic.description)
        throw ExitCode(ExitStatus.dataError)
    } catch let error as SQLiteError {
        Log.standardError(Diagnostic(file: Diagnostic.program, message: "\(error)").description)
        throw ExitCode(ExitStatus.cannotCreate)
    }
}
