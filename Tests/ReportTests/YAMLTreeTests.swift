import Foundation
import Testing
@testable import Ingest
@testable import Pipeline

/// A config's YAML is checked as it is composed (issue 12 §6, `YAMLTree`): a 344-byte config with an alias as a mapping key
/// hung `check` (Yams hashed the 9⁹ values the alias stands for to look for duplicate keys).
struct YAMLTreeTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("errors/config")

    /// (file in fixtures/errors/config, the exact stderr of `check --config FILE`); exit 78 for each.
    static let cases: [(String, String)] = [
        ("alias-key.yaml", "alias-key.yaml:5:3: error: an alias (*x) is used as a mapping key; write the key as text\n"),
        ("alias-bomb.yaml", "alias-bomb.yaml:8:8: error: the configuration expands to more than 100000 values through its "
            + "aliases (this one repeats what its anchor holds, which repeats other aliases); write the repeated parts out, "
            + "or repeat less\n"),
    ]

    /// alias-bomb.yaml hung `check` before (the test fails after a minute then).
    @Test(arguments: cases)
    func checkRefusesTheConfig(name: String, stderr: String) throws {
        let dir = try TestSupport.temporaryDirectory("slareport-yaml")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Self.folder.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        guard let result = try TestSupport.finishing(within: 60, "check --config \(name)", {
            try TestSupport.run(["check", "--config", name], in: dir)
        }) else { return }
        #expect(result.status == 78)
        #expect(result.stderr == stderr)
        let readme = try String(contentsOf: Self.folder.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("`\(stderr.dropLast())`"), "fixtures/errors/README.md does not list the message of config/\(name)")
    }

    @Test func everyConfigCatalogueFileIsPinned() throws {
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(Set(committed) == Set(Self.cases.map(\.0)))
    }

    /// The diagnostic composing `text` gives; nil when it composes, or when it is not YAML (Yams says why then).
    static func shapeError(_ text: String) -> String? {
        do {
            _ = try YAMLTree.compose(text, path: "c.yaml")
            return nil
        } catch is YAMLTree.Unreadable {
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func keysArePlainText() throws {
        #expect(Self.shapeError("a: 1\n? [x, y]\n: 2\n") == "c.yaml:2:3: error: a mapping key must be plain text, not a list")
        #expect(Self.shapeError("{? {x: 1} : 2}") == "c.yaml:1:4: error: a mapping key must be plain text, not a mapping")
        #expect(Self.shapeError("a: &k key\n*k : 2\n") == "c.yaml:2:1: error: an alias (*k) is used as a mapping key; write the key as text")
        // An anchored key is fine, and so is an alias as a value.
        #expect(Self.shapeError("&k a: 1\nb: *k\nc: [*k, {d: *k}]\n") == nil)
    }

    /// Values count once each, an alias as many as its anchor holds: 1 + 9 + 81 + … stays under the limit until the
    /// alias that passes it, which is named.
    @Test func aliasesCountWhatTheyRepeat() throws {
        // a: 10 values (the list and its 9 items); b: 1 + 9 × 10 = 91; c: 1 + 9 × 91 = 820; the top mapping and its
        // three keys: 4. Total 925, and a limit of 100 000 is not reached.
        let three = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        #expect(Self.shapeError(three) == nil)
        // Two more levels: d holds 1 + 9 × 820 = 7 381 values, e 66 430; with the keys and lists so far 74 740, and the
        // first *e of f adds 66 430, past 100 000.
        let five = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e]\n"
        #expect(Self.shapeError(five)?.hasPrefix("c.yaml:6:5: error: the configuration expands to more than 100000 values") == true)
        // Text that is not YAML is left to Yams, which says why.
        #expect(Self.shapeError("a: [1, 2\n") == nil)
        #expect(Self.shapeError("") == nil)
    }

    /// The tree holds what the loader reads: text with its style and place, lists, mappings in order; an alias shares
    /// what its anchor holds; a repeated key is refused as Yams refused it.
    @Test func theTreeHoldsTextListsAndMappings() throws {
        let root = try #require(try YAMLTree.compose("a: &x [1, 'two', ~]\nb: *x\nc:\n  d: \"\"\n  e:\n", path: "c.yaml"))
        guard case .mapping(let pairs, let mark) = root else { Issue.record("not a mapping"); return }
        #expect(mark == YAMLMark(line: 1, column: 1))
        #expect(pairs.map(\.key.text) == ["a", "b", "c"])
        guard case .sequence(let items, _) = pairs[0].value, case .sequence(let shared, _) = pairs[1].value else {
            Issue.record("not lists"); return
        }
        #expect(items.compactMap(\.scalar).map(\.text) == ["1", "two", "~"])
        #expect(items.compactMap(\.scalar).map(\.isPlain) == [true, false, true])
        #expect(shared.compactMap(\.scalar).map(\.text) == ["1", "two", "~"])
        #expect(items[1].mark == YAMLMark(line: 1, column: 11))  // its opening quote
        guard case .mapping(let inner, _) = pairs[2].value else { Issue.record("not a mapping"); return }
        #expect(inner.map { [$0.key.text, $0.value.scalar?.text ?? "?", "\($0.value.scalar?.isPlain ?? false)"] }
            == [["d", "", "false"], ["e", "", "true"]])
        #expect(Self.shapeError("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
            == "c.yaml:3:3: error: duplicate key \"c\" (each key may appear once in a mapping)")
        #expect(try YAMLTree.compose("# nothing\n", path: "c.yaml") == nil)
    }

    /// Anchors and aliases as people use them (one objective list for two tiers) load as before.
    @Test func aConfigThatReusesAListLoads() throws {
        let (_, path) = try CommandLineTests.estate("""
            tiers:
              t1:
                objectives: &objectives [{id: up, metric: uptime, target: "99.9"}]
              t2:
                objectives: *objectives
            """)
        let config = try Config.load(path: path)
        #expect(config.estate.tiers["t1"]?.objectives == config.estate.tiers["t2"]?.objectives)
    }
}
