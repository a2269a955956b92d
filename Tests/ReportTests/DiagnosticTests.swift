import Testing
@testable import Ingest

/// How a diagnostic prints: a line and column after the file name, a place inside a file without lines after the
/// severity, the next step after a semicolon.
struct DiagnosticTests {
    @Test func eachLocationPrintsWhereTheReaderFoundIt() {
        #expect(Diagnostic(file: "a.csv", location: .file, message: "file is empty").description == "a.csv: error: file is empty")
        #expect(Diagnostic(file: "a.csv", location: .line(42, column: 17), message: "bad").description == "a.csv:42:17: error: bad")
        #expect(Diagnostic(file: "a.csv", location: .line(1, column: nil), message: "bad").description == "a.csv:1: error: bad")
        #expect(Diagnostic(file: "kuma.db", location: .heartbeat(7), message: "bad").description == "kuma.db: error: heartbeat 7: bad")
        #expect(Diagnostic(file: "kuma.db", location: .heartbeat(7, monitor: "monitor 1 \"API\""), message: "bad").description
                == "kuma.db: error: heartbeat 7 (monitor 1 \"API\"): bad")
        #expect(Diagnostic(severity: .warning, file: "sla.yaml", location: .keyPath("inputs.status[1].path"),
                           message: "\"x/*.csv\" matches no file").description
                == "sla.yaml: warning: inputs.status[1].path: \"x/*.csv\" matches no file")
    }

    @Test func theHintFollowsTheMessage() {
        let missing = Diagnostic(file: "x.csv", message: "no such file", hint: "nothing was imported (check the path)")
        #expect(missing.description == "x.csv: error: no such file; nothing was imported (check the path)")
        #expect(missing.isNoInput)   // the message is still the no-input one
    }

    /// The line/column initializer and accessors are the `.line` location (no line: the whole file).
    @Test func lineAndColumnAreTheLineLocation() {
        #expect(Diagnostic(file: "f", line: 3, column: 9, message: "m").location == .line(3, column: 9))
        #expect(Diagnostic(file: "f", line: nil, column: 9, message: "m").location == .file)
        let kuma = Diagnostic(file: "k", location: .heartbeat(5), message: "m")
        #expect(kuma.line == nil && kuma.column == nil)
    }

    /// `CommandFailure` carries diagnostics, printed one a line; none when everything was said already.
    @Test func commandFailureCarriesDiagnostics() {
        let failure = CommandFailure(ExitStatus.dataError, diagnostics: [
            Diagnostic(file: "a.csv", location: .line(2, column: 1), message: "bad"),
            Diagnostic(file: Diagnostic.program, message: "1 of 1 files rejected", hint: "nothing from them was stored"),
        ])
        #expect(failure.description == "a.csv:2:1: error: bad\nslareport: error: 1 of 1 files rejected; nothing from them was stored")
        #expect(CommandFailure(ExitStatus.dataError, diagnostics: []).description.isEmpty)
    }
}
