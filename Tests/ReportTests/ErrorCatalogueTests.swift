import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// `fixtures/errors/`: one bad export per defect; each message, exit code, and that nothing was stored.
/// The table in `fixtures/errors/README.md` lists the same messages: keep the two in step.
struct ErrorCatalogueTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("errors")

    static let rejected = CatalogueEstate.rejected

    /// (file, the exact stderr, the exit code)
    static let cases: [(String, String, Int32)] = [
        ("bad-timestamp.csv", "bad-timestamp.csv:3:1: error: date or time out of range: \"2026-10-01T25:00:00Z\"\n" + rejected, 65),
        ("no-offset.csv", "no-offset.csv:3:1: error: timestamp has no UTC offset: \"2026-10-01 00:05:00\"\n" + rejected, 65),
        ("unknown-status.csv", "unknown-status.csv:3:26: error: unknown status \"sideways\" (expected up, down, degraded, maintenance, unknown, 1 or 0)\n" + rejected, 65),
        ("missing-column.csv", "missing-column.csv:1: error: missing required column \"service\" (header has: timestamp, status)\n" + rejected, 65),
        ("invalid-utf8.csv", "invalid-utf8.csv:2:32: error: invalid UTF-8 (byte 0xE9)\n" + rejected, 65),
        ("truncated-quote.csv", "truncated-quote.csv:2:29: error: unterminated quoted field: the quote opened here is never closed\n" + rejected, 65),
        ("garbage-value.csv", "garbage-value.csv:3:29: error: response_time_ms is not a non-negative integer: \"NaN\"\n" + rejected, 65),
        ("empty.csv", "empty.csv: error: file is empty\n" + rejected, 65),
        ("header-only.csv", "header-only.csv: warning: header only, nothing to import\n", 0),
        ("conflicting-duplicate.csv", "conflicting-duplicate.csv:3:26: error: conflicting status for api at 2026-10-01T00:00:00Z: down here, up on line 2\n" + rejected, 65),
        ("out-of-order.csv", "out-of-order.csv:3:1: error: out of order: api at 2026-10-01T00:00:00Z is earlier than 2026-10-01T00:05:00Z on line 2 (each series must be in ascending time order)\n" + rejected, 65),
        ("control-character.csv", "control-character.csv:3:25: error: service \"api\\u{0}x\" contains the control character U+0000 (names may not contain control characters, tabs and line breaks included)\n" + rejected, 65),
        ("header-only-invalid-utf8.csv", "header-only-invalid-utf8.csv:1:33: error: invalid UTF-8 (byte 0xE9)\n" + rejected, 65),
        ("decomposed-duplicate.csv", "decomposed-duplicate.csv:3:29: error: conflicting status for caf\u{E9} at 2026-10-01T00:00:00Z: down here, up on line 2\n" + rejected, 65),
        ("update-without-time.json", "update-without-time.json:7:5: error: incident \"c2f6h0j4l8pr\" (\"Card payments failing\"): an update naming component \"Payments\" has neither \"display_at\" nor \"created_at\", so when its status changes is unknown; export the page again (Statuspage gives every update both)\n" + rejected, 65),
        ("page-updated-in-9999.json", "page-updated-in-9999.json:1:72: error: \"page\".\"updated_at\": \"9999-12-31T23:59:59Z\" cannot be a Statuspage time (expected a year from 2000 to 2099); correct the date on the page (or in the file) and export it again\n" + rejected, 65),
        // Later than the import (until 2090): a page cannot have been updated after it was exported.
        ("page-updated-in-2090.json", "page-updated-in-2090.json:1:72: error: \"page\".\"updated_at\" 2090-10-31T12:00:00Z is later than this import: an export cannot have been updated after it was read; check the clock of the machine that made the export, then export it again\n" + rejected, 65),
        ("maintenance-ends-before-it-starts.json", "maintenance-ends-before-it-starts.json:3:3: error: scheduled maintenance \"m1d5b9z3x7wq\" (\"Database upgrade\") is scheduled until 2026-10-20T02:00:00Z, before it is scheduled for 2026-10-20T03:00:00Z; correct the maintenance's window on the page and export it again\n" + rejected, 65),
    ]

    /// A scratch estate holding `sla.yaml` and copies of the named catalogue files; its inputs name the Statuspage
    /// files only when there are some (a glob that matches nothing is a warning).
    static func estate(_ names: [String]) throws -> URL {
        let statuspage = names.contains { $0.hasSuffix(".json") } ? #", {path: "*.json", format: statuspage}"# : ""
        return try CatalogueEstate.make(inputs: #"status: [{path: "*.csv", format: csv}"# + statuspage + "]",
                                        copying: names, from: folder)
    }

    /// Samples and import-log entries in the estate's database (0 when there is none).
    static func stored(_ dir: URL) throws -> (samples: Int64, files: Int64) {
        let path = dir.appendingPathComponent("sla.db").path
        guard FileManager.default.fileExists(atPath: path) else { return (0, 0) }
        let db = try Database(path: path, readOnly: true)
        let s = try db.statement("SELECT count(*) FROM import_file")
        _ = try s.step()
        return (try db.statusSampleCount(), s.int(0))
    }

    @Test func everyCatalogueFileIsPinned() throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".csv") || $0.hasSuffix(".json") }
        #expect(Set(committed) == Set(Self.cases.map(\.0)), "fixtures/errors and the test's cases differ")
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        for (name, stderr, _) in Self.cases {
            let message = String(stderr.prefix(while: { $0 != "\n" }))
            #expect(readme.contains("`\(message)`"), "README.md does not list the message of \(name)")
        }
    }

    @Test(arguments: cases)
    func importRejectsWithMessage(name: String, stderr: String, status: Int32) throws {
        let dir = try Self.estate([name])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try TestSupport.run(["import", "status", name, "--config", "sla.yaml"], in: dir)
        #expect(result.status == status)
        #expect(result.stderr == stderr)
        #expect(result.stdout == "")
        let (samples, files) = try Self.stored(dir)
        #expect(samples == 0)
        // A header-only file is recorded as imported (so `run` skips it next time); a rejected one is not.
        #expect(files == (status == 0 ? 1 : 0))
    }

    /// A 10 MB line is refused at the 1 MiB line limit; nothing stored. Written here, not committed.
    @Test func tenMegabyteLineIsRejected() throws {
        let dir = try Self.estate([])
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Array("timestamp,service,status,message\n2026-10-01T00:00:00Z,api,up,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000)
        bytes.append(UInt8(ascii: "\n"))
        try Data(bytes).write(to: dir.appendingPathComponent("huge-line.csv"))
        let result = try TestSupport.run(["import", "status", "huge-line.csv", "--config", "sla.yaml"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == "huge-line.csv:2: error: line is longer than 1048576 bytes\n" + Self.rejected)
        #expect(try Self.stored(dir) == (0, 0))
    }

    /// `check` reads the whole catalogue through the config's `inputs` glob: the same messages, exit 65,
    /// and no database is created.
    @Test func checkReportsEveryDefectAndStoresNothing() throws {
        let dir = try Self.estate(Self.cases.map(\.0))
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try TestSupport.run(["check", "--config", "sla.yaml"], in: dir)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        for (_, stderr, _) in Self.cases {
            let message = String(stderr.prefix(while: { $0 != "\n" }))
            #expect(lines.contains(message), "check did not print: \(message)")
        }
        #expect(lines.last == "check: 17 of 18 input files would be rejected; nothing was changed")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sla.db").path))
    }

    /// `run` stops before reporting when a file is rejected, keeps the good files, and writes no report.
    @Test func runWithABadFileImportsTheRestAndWritesNoReport() throws {
        let dir = try Self.estate(["no-offset.csv"])
        defer { try? FileManager.default.removeItem(at: dir) }
        try "timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n".write(to: dir.appendingPathComponent("good.csv"),
                                                                         atomically: true, encoding: .utf8)
        let result = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == """
            imported good.csv (csv): 1 row, 1 new, 0 already stored, 0 replaced
            no-offset.csv:3:1: error: timestamp has no UTC offset: "2026-10-01 00:05:00"
            slareport: error: 1 of 2 files rejected; nothing from them was stored and no report was written (fix or remove them, then run again)

            """)
        #expect(try Self.stored(dir) == (1, 1))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports").path))
    }
}
