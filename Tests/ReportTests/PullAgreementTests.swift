import Foundation
import Testing

/// SPEC §11's agreement test: the fixture estate's October metrics (`fixtures/exports/metrics/*-2026-10.om`) are put
/// into a real Prometheus (Debian's `prometheus`, backfilled with promtool by `scripts/prometheus/agree.py`) and a real
/// VictoriaMetrics (Debian's `victoria-metrics`, loaded through its import API by `scripts/pull/victoria.py`), each
/// started here on a free 127.0.0.1 port and stopped by its PID. `run` on an estate that pulls them must write the
/// same report, byte for byte, as `run` on an estate that imports the files; only the manifest's inputs (and config
/// hash) differ. `verify` then passes on the pulled report with the server stopped: the archive is the input.
@Suite("Pull agreement", .serialized)
struct PullAgreementTests {
    static let metricFiles = ["api-2026-10.om", "web-2026-10.om", "legacy-2026-10.om"].map {
        TestSupport.fixtures.appendingPathComponent("exports/metrics/\($0)").path
    }

    /// A copy of the fixture estate in `dir`: its status exports and config, with the October metric files as inputs
    /// (`sourceURL` nil) or a Prometheus-compatible source at `sourceURL` instead.
    static func estate(_ dir: URL, sourceURL: String?, api: String = "prometheus") throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("exports/metrics"), withIntermediateDirectories: true)
        try fm.copyItem(at: TestSupport.fixtures.appendingPathComponent("exports/status"), to: dir.appendingPathComponent("exports/status"))
        var yaml = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("sla.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "templates: ../templates", with: "templates: \(TestSupport.packageRoot.appendingPathComponent("templates").path)")
        let metricsInput = #"  metrics: [{path: "exports/metrics/*", format: auto}]"#
        #expect(yaml.contains(metricsInput))
        if let sourceURL {
            yaml = yaml.replacingOccurrences(of: metricsInput, with: """

                sources:
                  archive: data/pulled
                  prometheus:
                    - id: main
                      url: \(sourceURL)
                      api: \(api)
                      chunk: 24h
                      metrics: [{selector: 'http_requests_total'}, {selector: 'http_request_duration_seconds_bucket'}]
                """)
        } else {
            for path in metricFiles {
                try fm.copyItem(atPath: path, toPath: dir.appendingPathComponent("exports/metrics/\((path as NSString).lastPathComponent)").path)
            }
        }
        try yaml.write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
    }

    /// Starts `binary arguments`, its output into `log`; the caller stops it with `stop`.
    static func start(_ binary: String, _ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    static func python(_ script: String, _ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                            arguments: ["python3", TestSupport.packageRoot.appendingPathComponent(script).path] + arguments)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Runs the file estate and the pulling estate for October and compares their reports; then stops the server
    /// and verifies the pulled report from its archive.
    static func agree(work: URL, sourceURL: String, api: String, server: Process) throws {
        let files = work.appendingPathComponent("files"), pulled = work.appendingPathComponent("pulled")
        try estate(files, sourceURL: nil)
        try estate(pulled, sourceURL: sourceURL, api: api)
        let a = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: files)
        try #require(a.status == 0, "\(a.stderr)")
        let b = try TestSupport.run(["run", "--config", "sla.yaml", "--period", "2026-10"], in: pulled)
        try #require(b.status == 0, "\(b.stderr)")
        // October in Berlin is [Sep 30 22:00Z, Oct 31 23:00Z); with a day of look-back the 24 h chunks run from
        // Sep 29 00:00Z to Nov 1 00:00Z: 33 per selector, 66 in all.
        #expect(b.stderr.contains("pull: 66 requests, 66 chunk files archived"), "\(b.stderr)")

        let reportA = files.appendingPathComponent("reports/2026-10"), reportB = pulled.appendingPathComponent("reports/2026-10")
        let names = try FileManager.default.contentsOfDirectory(atPath: reportA.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: reportB.path).sorted()))
        for name in names where name != "manifest.json" {
            let same = FileManager.default.contentsEqual(atPath: reportA.appendingPathComponent(name).path,
                                                        andPath: reportB.appendingPathComponent(name).path)
            #expect(same, "\(name) differs between the imported and the pulled report")
        }
        // The manifests: the same outputs, period and time; inputs differ (files vs archived bodies).
        let manifestA = try json(String(contentsOf: reportA.appendingPathComponent("manifest.json"), encoding: .utf8))
        let manifestB = try json(String(contentsOf: reportB.appendingPathComponent("manifest.json"), encoding: .utf8))
        #expect(manifestA["outputs"] as? NSArray == manifestB["outputs"] as? NSArray)
        #expect(manifestA["period"] as? String == manifestB["period"] as? String)
        let inputsB = try #require(manifestB["inputs"] as? [[String: Any]])
        #expect(inputsB.contains { ($0["path"] as? String ?? "").hasPrefix("data/pulled/main/") && $0["format"] as? String == "prometheus-json" })

        // Offline: the archive is the input.
        stop(server)
        let verified = try TestSupport.run(["verify", "reports/2026-10"], in: pulled)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("a report from Prometheus equals the report from the same files", .timeLimit(.minutes(3)))
    func prometheus() throws {
        let work = try TestSupport.temporaryDirectory("pull-prometheus")
        defer { try? FileManager.default.removeItem(at: work) }
        let prepared = try Self.python("scripts/prometheus/agree.py", ["prepare", "--dir", work.appendingPathComponent("server").path] + Self.metricFiles)
        try #require(prepared.status == 0, "agree.py prepare: \(prepared.stderr)")
        let plan = try Self.json(prepared.stdout)
        if let reason = plan["skip"] as? String { return try TestSupport.unavailable("Prometheus is not available: \(reason)") }
        let server = try Self.start(try #require(plan["prometheus"] as? String), try #require(plan["arguments"] as? [String]),
                                    log: try #require(plan["log"] as? String))
        defer { Self.stop(server) }
        let port = try #require(plan["port"] as? Int)
        let ready = try Self.python("scripts/pull/victoria.py", ["ready", "--url", "http://127.0.0.1:\(port)/-/ready",
                                                                 "--pid", String(server.processIdentifier)])
        try #require(ready.status == 0, "\(ready.stderr)")
        try Self.agree(work: work, sourceURL: "http://127.0.0.1:\(port)", api: "prometheus", server: server)
    }

    @Test("a report from VictoriaMetrics equals the report from the same files", .timeLimit(.minutes(3)))
    func victoriaMetrics() throws {
        let work = try TestSupport.temporaryDirectory("pull-victoria")
        defer { try? FileManager.default.removeItem(at: work) }
        let prepared = try Self.python("scripts/pull/victoria.py", ["prepare", "--dir", work.appendingPathComponent("server").path])
        try #require(prepared.status == 0, "victoria.py prepare: \(prepared.stderr)")
        let plan = try Self.json(prepared.stdout)
        if let reason = plan["skip"] as? String { return try TestSupport.unavailable("VictoriaMetrics is not available: \(reason)") }
        let server = try Self.start(try #require(plan["binary"] as? String), try #require(plan["arguments"] as? [String]),
                                    log: try #require(plan["log"] as? String))
        defer { Self.stop(server) }
        let port = try #require(plan["port"] as? Int)
        let loaded = try Self.python("scripts/pull/victoria.py", ["load", "--port", String(port),
                                                                  "--pid", String(server.processIdentifier)] + Self.metricFiles)
        try #require(loaded.status == 0, "\(loaded.stderr)")
        try Self.agree(work: work, sourceURL: "http://127.0.0.1:\(port)", api: "victoriametrics", server: server)
    }
}
