import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// The `inputs` pattern matcher: `*`, `?`, `**`, hidden names, sorting, links.
struct InputGlobTests {
    @Test(arguments: [
        ("*.csv", "a.csv", true),
        ("*.csv", "a.csv.gz", false),
        ("*.csv", ".hidden.csv", false),     // like a shell: no leading dot for a wildcard
        (".*.csv", ".hidden.csv", true),
        ("api-2026-??.csv", "api-2026-10.csv", true),
        ("api-2026-??.csv", "api-2026-1.csv", false),
        ("*-*-*.csv", "api-2026-10.csv", true),
        ("a*b*c", "abxbc", true),
        ("a*b*c", "abxbd", false),
        ("*", "", true),
        ("exact.csv", "exact.csv", true),
        ("exact.csv", "Exact.csv", false),
    ])
    func segmentMatching(pattern: String, name: String, matches: Bool) {
        #expect(InputGlob.matches(Substring(name), segment: Substring(pattern)) == matches)
    }

    static func tree(_ files: [String]) throws -> URL {
        let root = try TestSupport.temporaryDirectory("slareport-glob")
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
        return root
    }

    @Test func matchesAreSortedFilesOnly() throws {
        let root = try Self.tree(["e/b.csv", "e/a.csv", "e/B.csv", "e/c.txt", "e/.tmp.csv", "e/sub/d.csv", "e/dir.csv/x"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try InputGlob("e/*.csv").matches(relativeTo: root) == ["e/B.csv", "e/a.csv", "e/b.csv"])
        #expect(try InputGlob("e/?.csv").matches(relativeTo: root) == ["e/B.csv", "e/a.csv", "e/b.csv"])
        #expect(try InputGlob("*/*.csv").matches(relativeTo: root) == ["e/B.csv", "e/a.csv", "e/b.csv"])
        #expect(try InputGlob("e/nothing-*.csv").matches(relativeTo: root) == [])
        #expect(try InputGlob("missing/*.csv").matches(relativeTo: root) == [])
    }

    @Test func doubleStarMatchesAnyDepthIncludingNone() throws {
        let root = try Self.tree(["x/a.csv", "x/2026/b.csv", "x/2026/10/c.csv", "x/.hidden/d.csv", "x/2026/e.json"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try InputGlob("x/**/*.csv").matches(relativeTo: root) == ["x/2026/10/c.csv", "x/2026/b.csv", "x/a.csv"])
        #expect(try InputGlob("x/**").matches(relativeTo: root) == ["x/2026/10/c.csv", "x/2026/b.csv", "x/2026/e.json", "x/a.csv"])
        #expect(try InputGlob("**/c.csv").matches(relativeTo: root) == ["x/2026/10/c.csv"])
        #expect(try InputGlob("x/**/**/*.csv").matches(relativeTo: root).count == 3)  // each file once
    }

    @Test func absolutePatternsAndLinkCycles() throws {
        let root = try Self.tree(["d/a.csv"])
        defer { try? FileManager.default.removeItem(at: root) }
        // d/loop → d: a `**` walk ends (a folder is walked once, however it is reached) and finds a.csv once.
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("d/loop"), withDestinationURL: root.appendingPathComponent("d"))
        #expect(try InputGlob("d/**/*.csv").matches(relativeTo: root) == ["d/a.csv"])
        #expect(try InputGlob(root.path + "/d/*.csv").matches(relativeTo: URL(fileURLWithPath: "/nonexistent")) == [root.path + "/d/a.csv"])
        #expect(InputGlob("d/a.csv").isLiteral)
        #expect(!InputGlob("d/*.csv").isLiteral)
    }
}
