import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Storage

/// A named pipe used to hang the import (detecting the format opened it, then the reader opened it again, waiting
/// for a writer that never came); it is refused at once, and the other files are still imported.
@Suite struct SpecialFileTests {
    @Test func aNamedPipeIsRefusedWithoutWaiting() throws {
        let (dir, config) = try ImporterTests.estate(["a.csv": ImporterTests.stored])
        let pipe = dir.appendingPathComponent("p.csv")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        let lines = ImporterTests.Lines()
        let outcome = try Importer(config: config, sink: try Store.opening(config), log: lines.log).importEach(ImportPlan(files: [
            ImportPlan.File(configRelative: "p.csv", config: config, format: .status(.auto)),
            ImportPlan.File(configRelative: "a.csv", config: config, format: .status(.auto)),
        ]))
        #expect(outcome.rejected.map(\.description) == [
            "p.csv: error: is not a regular file (a pipe, socket or device); save the export to a file and import that",
        ])
        #expect(outcome.summaries.map(\.rows) == [1])
    }
}
