import Calc
import Foundation
import Synchronization
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Storage

/// `pull` against a scripted server on 127.0.0.1 (`FakePrometheus`): archiving, settled chunks, retries, the exit
/// codes of SPEC §11, halving, warnings, resuming, and secrets that go nowhere but the request.
///
/// By hand: the estate is in UTC; October's metrics need [Sep 30 00:00, Nov 1 00:00) (one day of look-back before the
/// month), so 24 h chunks aligned on the epoch are Sep 30, Oct 1, …, Oct 31: 32 requests, 32 archive files.
@Suite(.serialized) struct PullTests {
    static let token = "s3cr3t-token-6f1d2a9c"

    /// A `CommandLineTests` estate with one source at `url`; `extra` lines go into the source entry.
    static func estate(url: String, extra: String = "") throws -> (dir: URL, config: String) {
        let (dir, config) = try CommandLineTests.estate("""
            sources:
              archive: pulled
              prometheus:
                - id: main
                  url: \(url)
                  headers: {X-Scope-OrgID: team-a}
                  bearer_token_file: token.txt
                  chunk: 24h
                  metrics: [{selector: 'http_requests_total{service="api"}'}]
            \(extra.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            """)
        try (token + "\n").write(to: dir.appendingPathComponent("token.txt"), atomically: true, encoding: .utf8)
        return (dir, config)
    }

    static func pull(_ config: String, period: String = "2026-10") throws -> TestSupport.Result {
        try TestSupport.run(["pull", "--config", config, "--period", period])
    }

    /// Every file under `dir` but the token file, as text.
    static func everything(in dir: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        for case let url as URL in walker where url.lastPathComponent != "token.txt" {
            if let data = FileManager.default.contents(atPath: url.path) { out[url.path] = String(decoding: data, as: UTF8.self) }
        }
        return out
    }

    static func archived(_ dir: URL) throws -> [String] {
        let folder = dir.appendingPathComponent("pulled/main/\(PullArchive.hash(#"http_requests_total{service="api"}"#))")
        return (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
    }

    @Test func chunksAreArchivedImportedAndNotAskedForAgain() throws {
        let server = try FakePrometheus.start { request, _ in .respond(status: 200, body: FakePrometheus.matrix(request)) }
        defer { server.stop() }
        let (dir, config) = try Self.estate(url: server.url)
        defer { try? FileManager.default.removeItem(at: dir) }

        let first = try Self.pull(config)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.hasSuffix("pull: 32 requests, 32 chunk files archived, 0 settled chunks already archived\n"))
        let requests = server.received
        #expect(requests.count == 32)
        #expect(requests.allSatisfy { $0.query == #"http_requests_total{service="api"}[86400000ms]"# })
        let times = requests.compactMap(\.time).sorted()
        #expect(times.first == "2026-10-01T00:00:00Z")   // the Sep 30 chunk, asked at its end
        #expect(times.last == "2026-11-01T00:00:00Z")
        #expect(Set(times).count == 32)
        #expect(requests.allSatisfy { $0.headers["x-scope-orgid"] == "team-a" && $0.headers["authorization"] == "Bearer \(Self.token)" })
        let files = try Self.archived(dir)
        #expect(files.count == 32)
        #expect(files.first == "2026-09-30T00:00:00Z--2026-10-01T00:00:00Z.json")
        #expect(first.stderr.contains("imported pulled/main/\(PullArchive.hash(#"http_requests_total{service="api"}"#))/"
                                      + "2026-10-31T00:00:00Z--2026-11-01T00:00:00Z.json (prometheus-json): 1 row, 1 new"))
        let store = try Store(path: dir.appendingPathComponent("sla.db"))
        let series = try store.metricSeries(matching: SeriesSelector("http_requests_total"), from: 0, to: .max)
        #expect(series.first?.samples.count == 32)

        // Settled (October ended long before now − 10 min): nothing is asked again.
        let second = try Self.pull(config)
        #expect(second.status == 0)
        #expect(second.stderr == "pull: 0 requests, 0 chunk files archived, 32 settled chunks already archived\n")
        #expect(server.received.count == 32)

        // The token went into the requests only: no output, archive file, database or message holds it.
        for (path, text) in try Self.everything(in: dir) {
            #expect(!text.contains(Self.token), "\(path) holds the token")
        }
        #expect(!(first.stdout + first.stderr + second.stderr).contains(Self.token))
    }

    @Test func anUnsettledChunkIsAskedForAgainAndKeptPerBody() throws {
        let server = try FakePrometheus.start { request, _ in .respond(status: 200, body: FakePrometheus.matrix(request)) }
        defer { server.stop() }
        // `settle: 100000d`: nothing is final yet, whatever today is.
        let (dir, config) = try Self.estate(url: server.url, extra: "settle: 100000d")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.pull(config, period: "2026-10-01..2026-10-01").status == 0)
        let files = try Self.archived(dir)
        // A one-day period still needs its whole month's samples (and the day before): 32 chunks, each unsettled.
        #expect(files.count == 32 && files.allSatisfy { $0.contains(".unsettled-") })
        let again = try Self.pull(config, period: "2026-10-01..2026-10-01")
        #expect(again.status == 0)
        #expect(server.received.count == 64)
        #expect(try Self.archived(dir) == files)   // the same bodies: the same files
        #expect(again.stderr.contains("already imported (same SHA-256)"))
    }

    @Test func anUnreachableSourceIs69NamingItAndItsURL() throws {
        // A port nobody listens on: the fake server is started and stopped to find one.
        let probe = try FakePrometheus.start { _, _ in .close }
        let port = probe.port
        probe.stop()
        let (dir, config) = try Self.estate(url: "http://127.0.0.1:\(port)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.pull(config)
        #expect(result.status == 69)
        #expect(result.stderr.hasPrefix("slareport: error: source main (http://127.0.0.1:\(port)/api/v1/query?query="
                                        + "http_requests_total%7Bservice%3D%22api%22%7D%5B86400000ms%5D&time=2026-10-01T00:00:00Z): "
                                        + "connection refused, after 3 tries; check that the server is up and reachable"), "\(result.stderr)")
        #expect(try Self.archived(dir).isEmpty)
        #expect(!result.stderr.contains(Self.token))
    }

    @Test func fiveHundredsAreRetriedThenTheAnswerIsTaken() throws {
        let server = try FakePrometheus.start { request, index in
            index < 2 ? .respond(status: 503, body: "overloaded") : .respond(status: 200, body: FakePrometheus.matrix(request))
        }
        defer { server.stop() }
        let (dir, config) = try Self.estate(url: server.url)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.pull(config)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.received.count == 34)   // the first chunk three times, then 31
        #expect(try Self.archived(dir).count == 32)
    }

    @Test func aSelectorTheServerRefusesIs78NamingTheConfigKey() throws {
        let server = try FakePrometheus.start { _, _ in
            .respond(status: 400, body: #"{"status":"error","errorType":"bad_data","error":"1:20: parse error: unexpected character"}"#)
        }
        defer { server.stop() }
        let (dir, config) = try Self.estate(url: server.url)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.pull(config)
        #expect(result.status == 78)
        #expect(result.stderr.hasPrefix("\(config): error: sources.prometheus[0].metrics[0].selector: source main refused the query "
                                        + "\(server.url)/api/v1/query?query="), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("(HTTP 400): 1:20: parse error: unexpected character; fix the selector; nothing from this chunk was stored\n"))
        // Not retried: the first chunk was asked for once (the second chunk's request had been sent ahead).
        #expect(server.received.filter { $0.time == "2026-10-01T00:00:00Z" }.count == 1)
    }

    @Test func tooManySamplesHalvesTheChunk() throws {
        // Anything over 12 h is too much: each 24 h chunk is asked for as two halves.
        let server = try FakePrometheus.start { request, _ in
            (request.query ?? "").hasSuffix("[86400000ms]")
                ? .respond(status: 422, body: #"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}"#)
                : .respond(status: 200, body: FakePrometheus.matrix(request))
        }
        defer { server.stop() }
        let (dir, config) = try Self.estate(url: server.url)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.pull(config)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.received.count == 32 * 3)
        let files = try Self.archived(dir)
        #expect(files.count == 64)
        #expect(files.prefix(2) == ["2026-09-30T00:00:00Z--2026-09-30T12:00:00Z.json", "2026-09-30T12:00:00Z--2026-10-01T00:00:00Z.json"])
        // Halves cover their chunk: the next pull asks for nothing.
        #expect(try Self.pull(config).stderr.hasPrefix("pull: 0 requests"))
    }

    @Test func warningsArePrintedAndTheSamplesImported() throws {
        let server = try FakePrometheus.start { request, _ in
            .respond(status: 200, body: FakePrometheus.matrix(request, warnings: ["partial response: store unavailable"]))
        }
        defer { server.stop() }
        let (dir, config) = try Self.estate(url: server.url)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Self.pull(config)
        #expect(result.status == 0)
        #expect(result.stderr.contains(": warning: the server warned: \"partial response: store unavailable\"; its data may be partial"))
        #expect(result.stderr.contains("1 row, 1 new, 0 already stored, 0 replaced, 1 warning"))
    }

    @Test func aTruncatedBodyOrATimeoutStoresNothingAndTheNextPullResumes() throws {
        // Chunks 1–4 answer; the fifth is cut short every time; then, on the next pull, everything answers.
        let failing = Mutex(true)
        let server = try FakePrometheus.start { request, _ in
            let fifth = request.time == "2026-10-05T00:00:00Z"
            if fifth && failing.withLock({ $0 }) { return .truncated(body: #"{"status":"success","da"#) }
            return .respond(status: 200, body: FakePrometheus.matrix(request))
        }
        defer { server.stop() }
        let (dir, config) = try Self.estate(url: server.url)
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = try Self.pull(config)
        #expect(broken.status == 69)
        #expect(broken.stderr.contains("time=2026-10-05T00:00:00Z): the server closed the connection before the response was complete, after 3 tries"),
                "\(broken.stderr)")
        #expect(try Self.archived(dir).count == 4)
        failing.withLock { $0 = false }
        let resumed = try Self.pull(config)
        #expect(resumed.status == 0)
        #expect(resumed.stderr.hasSuffix("pull: 28 requests, 28 chunk files archived, 4 settled chunks already archived\n"))

        // A server that does not answer in time: `timeout: 1s`, tried three times.
        let silent = try FakePrometheus.start { _, _ in .hang(seconds: 3) }
        defer { silent.stop() }
        let (slowDir, slowConfig) = try Self.estate(url: silent.url, extra: "timeout: 1s")
        defer { try? FileManager.default.removeItem(at: slowDir) }
        let slow = try Self.pull(slowConfig)
        #expect(slow.status == 69)
        #expect(slow.stderr.contains("time=2026-10-01T00:00:00Z): timed out, after 3 tries"), "\(slow.stderr)")
    }

    /// A status selector pulls `probe_success` as status, its service named by `service_label`; basic auth sends the
    /// password file's line, and `verify` re-imports the archived bodies with the same label (else the series would
    /// have no service and the report would differ).
    @Test func statusIsPulledWithItsServiceLabelAndVerifies() throws {
        let server = try FakePrometheus.start { request, _ in
            // Up at every hour of the chunk, service named by `svc`.
            let end = (try? Date(request.time ?? "", strategy: .iso8601)).map { Int64($0.timeIntervalSince1970) } ?? 0
            let values = (0..<Int64(24)).map { "[\(end - 86_400 + $0 * 3600),\"1\"]" }.joined(separator: ",")
            return .respond(status: 200, body: #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"probe_success","svc":"api"},"values":["# + values + "]}]}}")
        }
        defer { server.stop() }
        let (dir, config) = try CommandLineTests.estate("""
            sources:
              prometheus:
                - id: probes
                  url: \(server.url)
                  basic_auth: {username: sla, password_file: pw.txt}
                  chunk: 24h
                  status: [{selector: 'probe_success', service_label: svc}]
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "{max_sample_gap: 5m}", with: "{max_sample_gap: 1h}")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        try "pa55-word\n".write(to: dir.appendingPathComponent("pw.txt"), atomically: true, encoding: .utf8)
        let run = try TestSupport.run(["run", "--config", config, "--period", "2026-10"])
        #expect(run.status == 0, "\(run.stderr)")
        // "sla:pa55-word" in base64.
        #expect(server.received.first?.headers["authorization"] == "Basic c2xhOnBhNTUtd29yZA==")
        // Status needs max_sample_gap (1 h) before October: the Sep 30 chunk, then October's 31.
        #expect(server.received.count == 32)
        let uptime = try String(contentsOf: dir.appendingPathComponent("reports/2026-10/uptime.csv"), encoding: .utf8)
        #expect(uptime.contains(",100.0000,100.0000,0,0,\n"), "\(uptime)")   // up all month, fully covered
        let verified = try TestSupport.run(["verify", dir.appendingPathComponent("reports/2026-10").path])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        for (path, text) in try Self.everything(in: dir) where !path.hasSuffix("pw.txt") {
            #expect(!text.contains("pa55-word") && !text.contains("c2xhOnBhNTUtd29yZA=="), "\(path) holds the password")
        }
    }

    /// `sources` mistakes stop every command (exit 78) with their key path, before any request.
    @Test(arguments: [
        ("url: http://u:pw@127.0.0.1:9090", "sources.prometheus[0].url: credentials do not belong in the URL (it is printed in messages); use basic_auth with a password_file"),
        ("url: ftp://127.0.0.1", "sources.prometheus[0].url: expected the API root as an http:// or https:// URL without a query, such as http://127.0.0.1:9090, got \"ftp://127.0.0.1\""),
        ("url: http://127.0.0.1:9090\n    headers: {Authorization: x}", "sources.prometheus[0].headers.Authorization: set Authorization with bearer_token_file or basic_auth, whose secrets stay in files"),
        ("url: http://127.0.0.1:9090\n    chunk: 30s", "sources.prometheus[0].chunk: must be whole seconds, at least 1m (a chunk is one request's time range)"),
        ("url: http://127.0.0.1:9090\n    metrics: [{selector: 'up{'}]", "sources.prometheus[0].metrics[0].selector: "),
    ])
    func badSourcesAreConfigErrors(entry: String, expected: String) throws {
        let (dir, config) = try CommandLineTests.estate("sources:\n  prometheus:\n  - id: main\n    " + entry)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try TestSupport.run(["check", "--config", config])
        #expect(result.status == 78)
        #expect(result.stderr.contains(": error: " + expected), "\(result.stderr)")
    }
}
