import Ingest
import Storage
import Foundation

/// The loop `import status` and `import metrics` share: every named file must exist (else exit 66 before anything
/// is imported); each is imported on its own with progress on a terminal and one summary line; a rejected file is
/// reported and the others still imported; exit 65 at the end when any file was rejected.
///
/// - Parameter importOne: imports the file at an index and returns its summary and summary line.
package func importEach(_ urls: [URL], names: [String], log: Log,
                importOne: (_ index: Int, _ url: URL, _ name: String) throws -> (ImportSummary, String)) throws -> [ImportSummary] {
    let missing = zip(urls, names).filter { !FileManager.default.fileExists(atPath: $0.0.path) }
    guard missing.isEmpty else {
        throw CommandFailure(ExitStatus.noInput, diagnostics: missing.map {
            Diagnostic(file: $0.1, message: "no such file; nothing was imported (check the path)")
        })
    }
    let (summaries, rejected) = try importOneByOne(names, log: log) { index in try importOne(index, urls[index], names[index]) }
    if !rejected.isEmpty {
        throw CommandFailure(ExitStatus.dataError,
                             "slareport: error: \(rejected.count) of \(urls.count) files rejected; nothing from them was stored")
    }
    return summaries
}

/// Imports files one at a time, as `import` and `run` both do: progress on a terminal, one summary line per file, a
/// rejected file's diagnostic logged and kept while the others are still imported; any other error ends the loop.
///
/// - Parameter importOne: imports the file at an index and returns its summary and summary line.
package func importOneByOne(_ names: [String], log: Log,
                    importOne: (_ index: Int) throws -> (ImportSummary, String)) rethrows -> (summaries: [ImportSummary], rejected: [Diagnostic]) {
    var summaries: [ImportSummary] = []
    var rejected: [Diagnostic] = []
    let progress = ImportProgress()   // draws only when stderr is a terminal
    for (index, name) in names.enumerated() {
        progress.start("[\(index + 1)/\(names.count)] \(name)")
        do {
            let (summary, line) = try importOne(index)
            progress.clear()
            log(line)
            summaries.append(summary)
        } catch let diagnostic as Diagnostic {
            progress.clear()
            rejected.append(diagnostic)
            log(diagnostic.description)
        }
    }
    return (summaries, rejected)
}
