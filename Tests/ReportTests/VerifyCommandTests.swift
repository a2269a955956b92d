import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// `verify DIR`: the committed fixture reports verify; every kind of tampering is found and named.
struct VerifyCommandTests {
    /// The committed reports recompute byte for byte: the config is found above the directory
    /// (`fixtures/sla.yaml` for `fixtures/expected/2026-10`), inputs relative to it.
    @Test(arguments: ["2026-10", "2026-Q4"])
    func committedFixtureReportsVerify(period: String) throws {
        let dir = TestSupport.fixtures.appendingPathComponent("expected/\(period)")
        let result = try TestSupport.run(["verify", dir.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("verify: \(dir.path) matches: "))
        #expect(result.stderr.hasSuffix(" inputs are byte-identical\n"))
    }

    /// A scratch estate (config + exports + templates) with a copy of the committed 2026-10 report under
    /// `estate/reports/2026-10`, to tamper with. Runs that find differences get `TMPDIR=root`, so the recomputed
    /// report `verify` keeps for inspection goes away with the estate.
    static func archive(copyExports: Bool = false) throws -> (root: URL, config: URL, report: URL) {
        let (root, config) = try TestSupport.estateCopy()
        let estate = config.deletingLastPathComponent()
        if copyExports {
            try FileManager.default.removeItem(at: estate.appendingPathComponent("exports"))
            try FileManager.default.copyItem(at: TestSupport.fixtures.appendingPathComponent("exports"),
                                             to: estate.appendingPathComponent("exports"))
        }
        let report = estate.appendingPathComponent("reports/2026-10")
        try FileManager.default.createDirectory(at: report.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.fixtures.appendingPathComponent("expected/2026-10"), to: report)
        return (root, config, report)
    }

    static func sha(_ url: URL) throws -> String { try SHA256.hex(ofFileAt: url.path) }

    @Test func editedFiguresAreNamedByRowAndKey() throws {
        let (root, _, report) = try Self.archive()
        defer { try? FileManager.default.removeItem(at: root) }
        // uptime.csv: api's uptime_pct (column 12) becomes 12.3456.
        let uptimeURL = report.appendingPathComponent("uptime.csv")
        var lines = try String(contentsOf: uptimeURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var api = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let original = api[11]
        api[11] = "12.3456"
        lines[1] = api.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: uptimeURL, atomically: true, encoding: .utf8)
        // report.json: schema_version 1 → 2 (the second key of the document).
        let jsonURL = report.appendingPathComponent("report.json")
        let json = try String(contentsOf: jsonURL, encoding: .utf8).replacingOccurrences(of: "\"schema_version\": 1,", with: "\"schema_version\": 2,")
        try json.write(to: jsonURL, atomically: true, encoding: .utf8)
        // An extra file nobody recorded.
        try "hello\n".write(to: report.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let result = try TestSupport.run(["verify", report.path], environment: ["TMPDIR": root.path])
        #expect(result.status == 65)
        let manifest = try String(contentsOf: report.appendingPathComponent("manifest.json"), encoding: .utf8)
        func recorded(_ name: String) -> String {
            let after = manifest.components(separatedBy: "\"path\": \"\(name)\",\n      \"sha256\": \"")[1]
            return String(after.prefix(64))
        }
        #expect(result.stdout == """
            report.json: changed after it was written (SHA-256 \(try Self.sha(jsonURL)); the manifest records \(recorded("report.json")))
            report.json: differs at schema_version:
              recorded:   2
              recomputed: 1
            uptime.csv: changed after it was written (SHA-256 \(try Self.sha(uptimeURL)); the manifest records \(recorded("uptime.csv")))
            uptime.csv: differs at row 1 (api):
              uptime_pct: recorded 12.3456, recomputed \(original)
            notes.txt: in \(report.path) but not listed in the manifest

            """)
        #expect(result.stderr.hasPrefix("verify: 5 differences in \(report.path); the recomputed report is in "))
    }

    @Test func changedAndMissingInputs() throws {
        let (root, config, report) = try Self.archive(copyExports: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let estate = config.deletingLastPathComponent()
        let changed = estate.appendingPathComponent("exports/status/web-2026-10.csv")
        // One more row at the end (a sample after the last one): same file name, other bytes.
        let handle = try FileHandle(forWritingTo: changed)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-30T23:59:00Z,web,,down,,\n".utf8))
        try handle.close()
        let changedResult = try TestSupport.run(["verify", report.path], environment: ["TMPDIR": root.path])
        #expect(changedResult.status == 65)
        #expect(changedResult.stdout.hasPrefix("input exports/status/web-2026-10.csv: SHA-256 is \(try Self.sha(changed)); the manifest records "))
        #expect(changedResult.stdout.contains("input exports/status/web-2026-10.csv: 8916 rows now; the manifest records 8915\n"))

        try FileManager.default.removeItem(at: changed)
        let missing = try TestSupport.run(["verify", report.path])
        #expect(missing.status == 66)
        #expect(missing.stderr == "exports/status/web-2026-10.csv: error: input recorded in the manifest is missing (looked for \(changed.path); restore it from the archive)\n")
    }

    @Test func theConfigIsFoundAboveTheDirectoryOrGivenExplicitly() throws {
        let (root, config, report) = try Self.archive()
        defer { try? FileManager.default.removeItem(at: root) }
        // Moved away from its estate: the config cannot be found any more …
        let moved = root.appendingPathComponent("archive/2026-10")
        try FileManager.default.createDirectory(at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: report, to: moved)
        let lost = try TestSupport.run(["verify", moved.path])
        #expect(lost.status == 66)
        #expect(lost.stderr == "\(moved.path)/manifest.json: error: cannot find the configuration \"sla.yaml\" in the folders above \(moved.path); pass --config PATH\n")
        // … unless given.
        let given = try TestSupport.run(["verify", moved.path, "--config", config.path])
        #expect(given.status == 0, "\(given.stdout)\(given.stderr)")
        // A config with other bytes is a difference (and then so are the figures it changes).
        try (try String(contentsOf: config, encoding: .utf8) + "\n# edited\n").write(to: config, atomically: true, encoding: .utf8)
        let edited = try TestSupport.run(["verify", moved.path, "--config", config.path], environment: ["TMPDIR": root.path])
        #expect(edited.status == 65)
        #expect(edited.stdout.hasPrefix("config: \(config.path) has SHA-256 \(try Self.sha(config)); the manifest records "))
    }

    @Test func notAReportDirectoryOrABadManifest() throws {
        let dir = try TestSupport.temporaryDirectory("slareport-verify")
        defer { try? FileManager.default.removeItem(at: dir) }
        let none = try TestSupport.run(["verify", dir.path])
        #expect(none.status == 66)
        #expect(none.stderr == "\(dir.path)/manifest.json: error: no manifest.json (is \(dir.path) a report directory?)\n")

        // An output name that would leave the directory is refused before anything is read.
        let manifest = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("expected/2026-10/manifest.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"path\": \"uptime.csv\"", with: "\"path\": \"../uptime.csv\"")
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        let bad = try TestSupport.run(["verify", dir.path])
        #expect(bad.status == 65)
        #expect(bad.stderr.hasPrefix("\(dir.path)/manifest.json: error: not a slareport manifest: outputs["))
        #expect(bad.stderr.hasSuffix("].path \"../uptime.csv\" is not a plain file name\n"))
    }
}
