import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Storage

/// `fixtures/errors/kuma/`: Uptime Kuma databases that cannot be real (written by `make_kuma_errors.py`), imported with
/// `--format auto`; each message, exit 65, and that nothing was stored. The table in `fixtures/errors/README.md` lists them.
struct KumaErrorCatalogueTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("errors/kuma")
    static let rejected = CatalogueEstate.rejected

    static let cases: [(String, String)] = [
        ("heartbeat-view.db", "heartbeat-view.db: error: \"heartbeat\" is a view, not a table; Uptime Kuma's kuma.db has tables \"monitor\" and \"heartbeat\" (rows a view computes are not data the file holds, and a recursive view never ends)\n" + rejected),
        ("repeated-monitor-id.db", "repeated-monitor-id.db: error: monitor id 1 appears 2 times in table \"monitor\" (Uptime Kuma's monitor ids are unique; the file was not written by Uptime Kuma)\n" + rejected),
        ("nul-name.db", "nul-name.db: error: monitor 1: name \"API\\u{0}x\" contains the control character U+0000 (names may not contain control characters, tabs and line breaks included); rename it in Uptime Kuma\n" + rejected),
    ]

    @Test func everyKumaCatalogueFileIsPinnedAndListed() throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".db") }
        #expect(Set(committed) == Set(Self.cases.map(\.0)))
        let readme = try String(contentsOf: Self.folder.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        for (name, stderr) in Self.cases {
            #expect(readme.contains("`\(stderr.prefix(while: { $0 != "\n" }))`"), "README.md does not list the message of kuma/\(name)")
        }
    }

    /// The view spun for ever before (the test fails after a minute then).
    @Test(arguments: cases)
    func importRejectsWithMessage(name: String, stderr: String) throws {
        let dir = try CatalogueEstate.make(inputs: #"status: [{path: "*.db"}]"#, copying: [name], from: Self.folder)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let result = try TestSupport.finishing(within: 60, "import status \(name)", {
            try TestSupport.run(["import", "status", name, "--config", "sla.yaml"], in: dir)
        }) else { return }
        #expect(result.status == 65)
        #expect(result.stderr == stderr)
        let (samples, files) = try ErrorCatalogueTests.stored(dir)
        #expect(samples == 0 && files == 0)
    }
}
