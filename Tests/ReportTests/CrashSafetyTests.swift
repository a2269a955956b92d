import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` at random moments of `run`: the database stays consistent, no partial report becomes visible,
/// and the next run completes with the bytes of an undisturbed run.
@Suite(.serialized)
struct CrashSafetyTests {
    static let serviceCount = 12
    /// October 2026 at 5-minute steps: 31 × 288 samples per service.
    static let rowsPerFile = 8928

    /// An estate whose `run` takes about a second in a debug build: 12 services × 8 928 samples.
    static func makeEstate() throws -> URL {
        let dir = try TestSupport.temporaryDirectory("slareport-crash")
        let services = (0..<serviceCount).map { String(format: "s%02d", $0) }
        let yaml = """
            version: 1
            timezone: UTC
            database: data/sla.db
            currency: USD
            output: {directory: "reports/{period}", formats: [md, csv, json]}
            templates: \(TestSupport.packageRoot.appendingPathComponent("templates").path)
            inputs:
              status: [{path: "exports/*.csv", format: csv}]
            status_defaults: {max_sample_gap: 10m}
            providers: [{id: p, escrow_balance: "1000.00"}]
            customers: [{id: c}]
            services: [\(services.map { "{id: \($0), provider: p}" }.joined(separator: ", "))]
            leases:
            \(services.map { "  - {id: L-\($0), customer: c, service: \($0), tier: gold, monthly_fee: \"100.00\", start: \"2026-01-01\"}" }.joined(separator: "\n"))
            """
        try yaml.write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
        let exports = dir.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        var seed: UInt64 = 0x5EED
        for service in services {
            var text = "timestamp,service,status\n"
            text.reserveCapacity(rowsPerFile * 30)
            for i in 0..<rowsPerFile {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let roll = seed >> 54  // 0..<1024
                let status = roll < 3 ? "down" : roll < 8 ? "degraded" : "up"
                text += "\(1_790_812_800 + i * 300),\(service),\(status)\n"  // 2026-10-01T00:00:00Z + i × 5 min
            }
            try text.write(to: exports.appendingPathComponent("\(service).csv"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    static let runArguments = ["run", "--config", "sla.yaml", "--period", "2026-10"]

    /// What a killed run left: checks the database and the report folder. Returns how many files are imported,
    /// whether the report is visible, and whether a hidden temporary report directory was left behind.
    static func checkConsistent(_ dir: URL, reference: [String: Data]) throws -> (files: Int, report: Bool, temporary: Bool) {
        // A report directory is either absent or complete; temporaries are hidden (`.2026-10.tmp-<pid>`).
        let reports = dir.appendingPathComponent("reports")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: reports.path)) ?? []
        let visible = entries.filter { !$0.hasPrefix(".") }
        #expect(visible == [] || visible == ["2026-10"], "visible report entries after kill -9: \(visible)")
        if visible == ["2026-10"] {
            #expect(try AuditTestSupport.tree(reports.appendingPathComponent("2026-10")) == reference, "a visible report is incomplete")
        }
        #expect(entries.allSatisfy { !$0.hasPrefix(".") || $0.hasPrefix(".2026-10.tmp-") }, "unexpected entries: \(entries)")
        let temporary = entries.contains { $0.hasPrefix(".") }
        return (try importedFiles(dir), !visible.isEmpty, temporary)
    }

    /// Checks the database as the next run will find it; returns how many files it holds.
    static func importedFiles(_ dir: URL) throws -> Int {
        let dbPath = dir.appendingPathComponent("data/sla.db").path
        guard FileManager.default.fileExists(atPath: dbPath) else { return 0 }
        let db = try Database(path: dbPath)
        let integrity = try db.statement("PRAGMA integrity_check")
        var results: [String] = []
        while try integrity.step() { results.append(integrity.text(0)) }
        #expect(results == ["ok"], "integrity_check after kill -9: \(results)")
        // A kill while the schema is being created leaves some tables; the next run creates the rest.
        let tables = try db.statement("SELECT count(*) FROM sqlite_master WHERE name IN ('import_file', 'status_run')")
        _ = try tables.step()
        let complete = tables.int(0) == 2
        while try tables.step() {}
        guard complete else { return 0 }
        // Every file in the import log is there whole: its row count, and exactly that many samples.
        var files = 0
        for entry in try db.importLogWithSampleCounts() {
            files += 1
            #expect(entry.rows == Int64(rowsPerFile) && entry.stored == Int64(rowsPerFile) && entry.samples == Int64(rowsPerFile),
                    "half-imported \(entry.path): rows \(entry.rows), stored \(entry.stored), samples \(entry.samples)")
        }
        #expect(try db.statusSampleCount() == Int64(files * rowsPerFile))
        return files
    }

    /// Kills `run` at `fraction × window` seconds; returns how it ended.
    static func killRun(_ dir: URL, after seconds: Double) throws -> (signal: Int32, exitCode: Int32) {
        let config = dir.appendingPathComponent("sla.yaml").path
        let pid = try AuditTestSupport.spawn(TestSupport.binary.path, ["run", "--config", config, "--period", "2026-10"])
        usleep(useconds_t(seconds * 1_000_000))
        kill(pid, SIGKILL)
        return AuditTestSupport.wait(pid)
    }

    static func random(_ seed: inout UInt64) -> Double {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Double(seed >> 11) / Double(1 << 53)
    }

    @Test(.timeLimit(.minutes(4)))
    func killNineAtRandomPointsLeavesNoDamage() throws {
        // The undisturbed run: its bytes, and how long it takes.
        let reference = try Self.makeEstate()
        defer { try? FileManager.default.removeItem(at: reference) }
        let started = Date()
        let clean = try TestSupport.run(Self.runArguments, in: reference)
        let duration = Date().timeIntervalSince(started)
        #expect(clean.status == 0, "\(clean.stderr)")
        let expected = try AuditTestSupport.tree(reference.appendingPathComponent("reports/2026-10"))
        #expect(expected.count == 9)   // report.md, report.json, manifest.json and six CSV files

        let dir = try Self.makeEstate()
        defer { try? FileManager.default.removeItem(at: dir) }
        var seed: UInt64 = 20_261_031
        var kills = 0, attempts = 0, midImport = 0, afterImport = 0, leftovers = 0, completions = 0
        let reports = dir.appendingPathComponent("reports")
        func tally(_ state: (files: Int, report: Bool, temporary: Bool)) {
            kills += 1
            if state.files > 0 && state.files < Self.serviceCount { midImport += 1 }
            if state.files == Self.serviceCount { afterImport += 1 }
            if state.temporary { leftovers += 1 }
        }
        func expectCompleted() throws {
            #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path) == ["2026-10"])  // leftovers removed
            #expect(try AuditTestSupport.tree(reports.appendingPathComponent("2026-10")) == expected)
            completions += 1
        }

        // Phase 1, the whole run: kill points uniform over 1.1 × the undisturbed run. A run that ends before its
        // kill point is the "next run" of the ones killed before it: it must succeed with the undisturbed bytes
        // and remove the killed writers' hidden leftovers. Then the estate starts again from an empty database.
        while kills < 25 && attempts < 100 {
            attempts += 1
            let ended = try Self.killRun(dir, after: Self.random(&seed) * duration * 1.1)
            let state = try Self.checkConsistent(dir, reference: expected)
            if ended.signal == SIGKILL {
                tally(state)
                continue
            }
            #expect(ended.exitCode == 0)
            try expectCompleted()
            try FileManager.default.removeItem(at: dir.appendingPathComponent("data"))
            try FileManager.default.removeItem(at: reports)
        }

        // Phase 2, the report step alone: everything imported, no report yet; kill points over the second half
        // of that run and a little beyond, where it computes, renders, stages and renames.
        #expect(try TestSupport.run(Self.runArguments, in: dir).status == 0)
        try FileManager.default.removeItem(at: reports)
        let reportStarted = Date()
        #expect(try TestSupport.run(Self.runArguments, in: dir).status == 0)
        let reportDuration = Date().timeIntervalSince(reportStarted)
        var reportKills = 0
        while reportKills < 15 && attempts < 150 {
            attempts += 1
            try? FileManager.default.removeItem(at: reports.appendingPathComponent("2026-10"))
            let ended = try Self.killRun(dir, after: (0.5 + Self.random(&seed) * 0.6) * reportDuration)
            let state = try Self.checkConsistent(dir, reference: expected)
            if ended.signal == SIGKILL {
                tally(state)
                reportKills += 1
            }
        }

        // The next run after the last kill completes with the undisturbed bytes.
        let finish = try TestSupport.run(Self.runArguments, in: dir)
        #expect(finish.status == 0, "\(finish.stderr)")
        try expectCompleted()
        print("kill -9 loop: \(kills) kills in \(attempts) runs (\(midImport) mid-import, \(afterImport) after the import, "
              + "\(leftovers) leaving a hidden temporary report), \(completions) completed runs compared; undisturbed run "
              + "\(String(format: "%.2f", duration)) s, report step \(String(format: "%.2f", reportDuration)) s")
        // At least the 20 kill points issue 5 asks for, some of them during the import and some after it. The bounds
        // are loose on purpose: where a random point lands depends on the machine's speed and load, and every kill
        // was already checked for consistency above.
        #expect(kills >= 20)
        #expect(midImport >= 1)
        #expect(afterImport >= 1)
        let verified = try TestSupport.run(["verify", "reports/2026-10"], in: dir)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
}
