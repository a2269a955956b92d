import Foundation
import Testing

/// Every reader fuzzed for a short, fixed time on every test run (issue 12 §6): `slareport-fuzz --seconds 10` over the
/// eight readers (80 s in all), seed 1 unless `FUZZ_SEED` says otherwise, so the inputs are the same prefix of one
/// sequence each time. Fails on any crash, hang, memory blow-up or stored bad byte, printing what the runner kept.
/// `make fuzz` runs the same for ten minutes a reader.
struct FuzzSmokeTests {
    static let readers = ["status-csv", "metrics-csv", "openmetrics", "prometheus-metrics", "prometheus-status", "statuspage",
                          "uptime-kuma", "config"]

    /// (No time limit: the runner stops itself after 10 s a reader, and kills an input after 2 s of CPU.) Async, and the
    /// runner is waited for on a thread of its own, so these 80 s hold none of the test pool's threads: a blocked pool
    /// made other tests' time limits run out while they waited to start.
    @Test func everyReaderSurvivesTenSecondsOfMutatedInput() async throws {
        let binary = TestSupport.binary.deletingLastPathComponent().appendingPathComponent("slareport-fuzz")
        guard TestSupport.runs(needing: binary.path) else {
            return try TestSupport.unavailable("slareport-fuzz is not built beside slareport (run swift build)")
        }
        let out = try TestSupport.temporaryDirectory("slareport-fuzz")
        defer { try? FileManager.default.removeItem(at: out) }
        let seed = ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "1"
        let arguments = ["--seconds", "10", "--seed", seed, "--out", out.path, "--fixtures", TestSupport.fixtures.path]
        let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TestSupport.Result, Error>) in
            Thread { continuation.resume(with: Swift.Result { try TestSupport.run(executable: binary, arguments: arguments) }) }.start()
        }
        let summary = try String(contentsOf: out.appendingPathComponent("summary.tsv"), encoding: .utf8)
        let notes = (try? String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8)) ?? ""
        var rows: [String: [Int]] = [:]
        for line in summary.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            rows[fields[0]] = fields.dropFirst().dropLast().compactMap { Int($0) }
        }
        #expect(Set(rows.keys) == Set(Self.readers), "\(result.stdout)\(result.stderr)")
        for reader in Self.readers {
            // inputs, accepted, rejected, distinct errors, crashes, hangs, memory, findings
            guard let row = rows[reader], row.count == 8 else {
                Issue.record("\(reader): no summary row of 8 counts in\n\(result.stdout)")
                continue
            }
            let mine = notes.split(separator: "\n").filter { $0.hasPrefix(reader + ":") }.joined(separator: "\n")
            #expect(row[0] > 0, "\(reader) ran no input")
            #expect(row[4] == 0 && row[6] == 0 && row[7] == 0, "\(reader): crashes, memory or findings\n\(mine)")
            // No reader may hang: Statuspage pages "updated" after the import (the fuzzer's clock is fixed) are refused
            // since 211e9a1, which was the last class of long expansions.
            #expect(row[5] == 0, "\(reader): hangs\n\(mine)")
        }
    }
}
