import Foundation

/// `slareport-fuzz`: a seeded mutation fuzzer for every reader of slareport (issue 12 §6). See README ("Fuzzing") and
/// docs/DECISIONS.md ("Bad bytes").
///
///     slareport-fuzz [--seconds N] [--seed N] [--readers a,b] [--out DIR] [--fixtures DIR]
///                    [--max-input-seconds S] [--max-rss-mb M]
///     slareport-fuzz --reproduce FILE --reader NAME [--fixtures DIR]
///
/// Exit status: 0 when no input crashed, hung, blew up memory or broke a rule; 1 when one did; 2 on a usage error.
let usage = """
    usage: slareport-fuzz [--seconds N] [--seed N] [--readers \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ","))]
                          [--out DIR] [--fixtures DIR] [--max-input-seconds S] [--max-rss-mb M]
           slareport-fuzz --reproduce FILE --reader NAME [--fixtures DIR]
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("slareport-fuzz: \(message)\n\(usage)\n".utf8))
    exit(2)
}

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard name.hasPrefix("--"), let value = arguments.popFirst() else { fail("expected --option value, got \(name)") }
    options[String(name.dropFirst(2))] = value
}
func target(_ name: String) -> FuzzTarget {
    guard let target = FuzzTarget(rawValue: name) else { fail("unknown reader \(name)") }
    return target
}
let fixtures = URL(fileURLWithPath: options["fixtures"] ?? "fixtures").standardizedFileURL
let seed = UInt64(options["seed"] ?? "1") ?? { fail("--seed takes a number") }()

if let worker = options["worker"] {
    do {
        try Worker.run(target: target(worker), work: URL(fileURLWithPath: options["work"] ?? "."), fixtures: fixtures,
                       seed: seed, start: Int(options["start"] ?? "0") ?? 0,
                       findings: URL(fileURLWithPath: options["findings"] ?? "."))
    } catch {
        FileHandle.standardError.write(Data("slareport-fuzz worker: error: \(error)\n".utf8))
        exit(4)
    }
}

if let file = options["reproduce"] {
    guard let name = options["reader"] else { fail("--reproduce needs --reader") }
    let reader = target(name)
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-fuzz-\(getpid())")
    do {
        let harness = try Harness(target: reader, work: work, fixtures: fixtures, seed: seed)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        try harness.write(bytes)
        let started = Date()
        let outcome = harness.run(bytes, replace: false)
        print("\(outcome) after \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
        try? FileManager.default.removeItem(at: work)
        if case .finding = outcome { exit(1) }
        exit(0)
    } catch {
        fail("\(error)")
    }
}

let readers = options["readers"].map { $0.split(separator: ",").map { target(String($0)) } } ?? FuzzTarget.allCases
guard FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("formats/kuma.db").path) else {
    fail("no fixtures at \(fixtures.path) (run from the project's root, or give --fixtures)")
}
let supervisor = Supervisor(
    seconds: Double(options["seconds"] ?? "60") ?? 60, seed: seed,
    out: URL(fileURLWithPath: options["out"] ?? "fuzz-out").standardizedFileURL, fixtures: fixtures,
    maxInputSeconds: Double(options["max-input-seconds"] ?? "2") ?? 2,
    maxRSSMegabytes: Int(options["max-rss-mb"] ?? "1024") ?? 1024)
exit(supervisor.run(readers))
