import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// End-to-end: the exports people already have (fixtures/formats) imported through the real binary (its messages
/// and exit codes), then the report computed in-process and its `uptime.csv`. Every expected figure is worked out from the fixture's README and
/// `make_kuma_db.py`; the comments say how.
struct StatusFormatsTests {
    static let fixture = TestSupport.fixtures.appendingPathComponent("formats")
    static let rejectedLine = "slareport: error: 1 of 1 files rejected; nothing from them was stored\n"

    /// A scratch copy of fixtures/formats; commands run inside it, so files and messages use short names.
    static func estate() throws -> URL {
        let dir = try TestSupport.temporaryDirectory("slareport-formats")
        for name in ["sla.yaml", "kuma.db", "probe_success.json", "incidents.json"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    @discardableResult
    static func importStatus(_ arguments: [String], in dir: URL) throws -> TestSupport.Result {
        try TestSupport.run(["import", "status"] + arguments + ["--config", "sla.yaml"], in: dir)
    }

    /// `uptime.csv` of `period`, service → row.
    static func uptime(_ period: String, in dir: URL) throws -> [String: String] {
        let out = dir.appendingPathComponent("out-\(UUID().uuidString)")
        // The figures come from the pipeline in-process; the imports above went through the binary.
        try InProcess.writeReport(config: try Config.load(path: dir.appendingPathComponent("sla.yaml").path),
                                  period: period, to: out)
        let text = try String(contentsOf: out.appendingPathComponent("uptime.csv"), encoding: .utf8)
        var rows: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() { rows[String(line.prefix { $0 != "," })] = String(line) }
        return rows
    }

    /// Stored samples × 1000 + import log entries (both must stay unchanged when a file is rejected).
    static func stored(_ dir: URL) throws -> Int64 {
        let path = dir.appendingPathComponent("data/formats.db").path
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let db = try Database(path: path, readOnly: true)
        let s = try db.statement("SELECT count(*) FROM import_file")
        _ = try s.step()
        return try db.statusSampleCount() * 1000 + s.int(0)
    }

    /// Samples of one stored series with `status`.
    static func count(_ dir: URL, service: String, status: ObservedStatus) throws -> Int64 {
        let db = try Database(path: dir.appendingPathComponent("data/formats.db").path, readOnly: true)
        return try db.statusSampleCount(service: service, status: status)
    }

    // MARK: - Each format

    @Test func autoDetectsEachFormatAndSaysSo() throws {
        let dir = try Self.estate()
        let result = try Self.importStatus(["kuma.db", "probe_success.json", "incidents.json"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "")
        // kuma.db: 360 + 480 beats of "API" (see make_kuma_db.py) + 10 of "Website" = 850; sla.yaml maps no Website.
        // probe_success.json: 2 series × 120 one-minute steps = 240.
        // incidents.json: 2 components (Payments, Webhooks) × one sample a minute over the covered range,
        // 2026-10-05 10:00 (earliest start) → 10-31 12:00 (page.updated_at) = 626 h = 37 560 min → 75 120, and one
        // more for each of Payments' two state changes off the minute (10-05 10:01:45.990, 10-31 06:04:10.220) → 75 122.
        #expect(result.stderr == """
            imported kuma.db (uptime-kuma, detected): 850 rows, 850 new, 0 already stored, 0 replaced; 10 samples of "Website", which no service's status_series names
            imported probe_success.json (prometheus-json, detected): 240 rows, 240 new, 0 already stored, 0 replaced
            imported incidents.json (statuspage, detected): 75122 rows, 75122 new, 0 already stored, 0 replaced; 37560 samples of "Webhooks", which no service's status_series names

            """)
        let again = try Self.importStatus(["--format", "uptime-kuma", "kuma.db"], in: dir)
        #expect(again.stderr == "skipped kuma.db: already imported (same SHA-256)\n")
    }

    @Test func uptimeKumaMonitorOverTheMonth() throws {
        let dir = try Self.estate()
        #expect(try Self.importStatus(["--format", "uptime-kuma", "kuma.db"], in: dir).status == 0)
        // Monitor "API", one-minute beats each holding 1 min (max_sample_gap 1m), apart from 20 s retries:
        //   Oct 1: up 60 + 210 + 30 = 300 min, pending 3 + down 27 = 30 min (pending: down), maintenance 30 min;
        //   Oct 2: up 120 + 180 = 300 min, down 180 beats × 20 s = 60 min.
        // up 600 min = 36 000 000; down 90 min = 5 400 000; maintenance 1 800 000 (no cap: all excluded);
        // October = 31 d = 2 678 400 000; unknown = 2 678 400 000 − 36 000 000 − 5 400 000 − 1 800 000 = 2 635 200 000;
        // eligible = 690 min = 41 400 000; uptime 600 / 690 = 86.9565 %; coverage 41 400 000 / 2 676 600 000 = 1.5467 %;
        // down runs: Oct 1 01:00–01:30 (30 min), Oct 2 02:00–03:00 (60 min): 2, longest 3 600 000, mean 2 700 000.
        let rows = try Self.uptime("2026-10", in: dir)
        #expect(rows["api"] == "api,acme,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,2678400000,1800000,2635200000,41400000,"
            + "36000000,0,5400000,86.9565,1.5467,2,3600000,2700000")
        // Pending is stored as pending (status 2); the report counts it per status_defaults.pending.
        #expect(try Self.count(dir, service: "API", status: .pending) == 3)
        #expect(try Self.count(dir, service: "Website", status: .up) == 10)
    }

    @Test func prometheusProbeSeriesWithTwoRegions() throws {
        let dir = try Self.estate()
        let result = try Self.importStatus(["--format", "prometheus-json", "probe_success.json"], in: dir)
        #expect(result.stderr == "imported probe_success.json (prometheus-json): 240 rows, 240 new, 0 already stored, 0 replaced\n")
        // 2026-10-01 00:00–02:00, eu down 00:30–00:50, us down 00:40–01:00; regions: any → down only while both
        // are, 00:40–00:50 = 600 000 ms; up 110 min = 6 600 000; eligible 7 200 000; unknown 86 400 000 − 7 200 000;
        // uptime 110 / 120 = 91.6667 %; coverage 7 200 000 / 86 400 000 = 8.3333 %.
        let rows = try Self.uptime("2026-10-01..2026-10-01", in: dir)
        #expect(rows["checkout"] == "checkout,acme,2026-10-01T00:00:00Z,2026-10-02T00:00:00Z,86400000,0,79200000,7200000,"
            + "6600000,0,600000,91.6667,8.3333,1,600000,600000")
    }

    @Test func statuspageIncidentsOverTheMonth() throws {
        let dir = try Self.estate()
        #expect(try Self.importStatus(["--format", "statuspage", "incidents.json"], in: dir).status == 0)
        // Covered: 10-05 10:00 → 10-31 12:00 = 626 h. On Payments (mapped by its id), each state from the update
        // that sets it (display_at, in UTC), not from the incident's started_at:
        //   down 10-05 10:01:45.990–11:00 (critical, started 10:00 but marked major_outage at 10:01:45.990; the minor
        //     incident's degraded_performance from 10:31:02.100 is hidden: the worst state wins) = 58 min 14.010 s
        //     = 3 494 010 ms;
        //   degraded 10-05 11:00–12:00 (the minor incident's rest) = 3 600 000 + 10-31 06:04:10.220–12:00 (partial_outage,
        //     unresolved, to updated_at) = 5 h 55 min 49.780 s = 21 349 780 → 24 949 780;
        //   maintenance 10-20 02:00–03:00 (its updates' under_maintenance → operational) = 3 600 000;
        //   up 626 h = 2 253 600 000 − 3 494 010 − 24 949 780 − 3 600 000 = 2 221 556 210.
        // unknown 744 − 626 = 118 h = 424 800 000; eligible 744 − 1 − 118 = 625 h = 2 250 000 000;
        // good = 2 221 556 210 + 0.5 × 24 949 780 (degraded: partial:0.5) = 2 234 031 100 → / 2 250 000 000 = 99.2903 %;
        // coverage = 625 / 743 = 84.1184 %; one down run of 3 494 010.
        let rows = try Self.uptime("2026-10", in: dir)
        #expect(rows["payments"] == "payments,acme,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,2678400000,3600000,424800000,"
            + "2250000000,2221556210,24949780,3494010,99.2903,84.1184,1,3494010,3494010")
        // Webhooks (stored by name; no service uses it): its incident names no affected components, so its
        // impact "major" makes it degraded for 08:00–09:30 = 90 one-minute samples.
        #expect(try Self.count(dir, service: "Webhooks", status: .degraded) == 90)
        #expect(try Self.count(dir, service: "Webhooks", status: .up) == 37_560 - 90)
    }

    @Test func sinceAndUntilLimitWhatIsRead() throws {
        let dir = try Self.estate()
        // Oct 2 only: the 480 beats of "API" on that day (Website beat on Oct 1 only).
        var result = try Self.importStatus(["kuma.db", "--since", "2026-10-02T00:00:00Z", "--until", "2026-10-03T00:00:00Z"],
                                           in: dir)
        #expect(result.stderr == "imported kuma.db (uptime-kuma, detected): 480 rows, 480 new, 0 already stored, 0 replaced\n")
        // The statuspage range starts at --since: 10-31 00:00 → 12:00 = 720 min per component, and one more sample on
        // Payments where its partial outage starts off the minute (06:04:10.220).
        result = try Self.importStatus(["incidents.json", "--since", "2026-10-31T00:00:00Z"], in: dir)
        #expect(result.stderr == "imported incidents.json (statuspage, detected): 1441 rows, 1441 new, 0 already stored, 0 replaced; "
                + "720 samples of \"Webhooks\", which no service's status_series names\n")
        // Only the first 30 minutes of probe_success: 2 × 30.
        result = try Self.importStatus(["probe_success.json", "--until", "2026-10-01T00:30:00+00:00"], in: dir)
        #expect(result.stderr == "imported probe_success.json (prometheus-json, detected): 60 rows, 60 new, 0 already stored, 0 replaced\n")
    }

    // MARK: - Uptime Kuma's own figure

    /// Uptime Kuma 2's uptime for monitor 1 on one UTC day: up beats / (up + down beats), pending counting as
    /// down and maintenance in neither (its server/uptime-calculator.js: `flatStatus`, `update`, `getData`).
    static func kumaBeatCounts(day: String) throws -> (up: Int64, down: Int64) {
        let db = try Database(path: fixture.appendingPathComponent("kuma.db").path, readOnly: true)
        let s = try db.statement("SELECT sum(status = 1), sum(status IN (0, 2)) FROM heartbeat WHERE monitor_id = 1 AND time LIKE ?")
        try s.bind(.text(day + " %"))
        _ = try s.step()
        return (s.int(0), s.int(1))
    }

    /// `up_ms` and `eligible_ms` of a `uptime.csv` row.
    static func upAndEligible(_ row: String?) -> (up: Int64, eligible: Int64) {
        let cells = (row ?? "").split(separator: ",", omittingEmptySubsequences: false)
        guard cells.count == 16 else { return (0, 0) }
        return (Int64(cells[8]) ?? 0, Int64(cells[7]) ?? 0)
    }

    @Test func evenlySpacedBeatsAgreeWithUptimeKumasBeatRatio() throws {
        let dir = try Self.estate()
        try Self.importStatus(["kuma.db"], in: dir)
        // Oct 1: 300 up beats, 30 down or pending, 30 maintenance, one a minute. Kuma: 300 / 330.
        // We weight by time, but every beat holds exactly 60 s, so: 18 000 000 / 19 800 000 = 300 / 330 as well.
        let kuma = try Self.kumaBeatCounts(day: "2026-10-01")
        #expect(kuma.up == 300 && kuma.down == 30)
        let row = try Self.uptime("2026-10-01..2026-10-01", in: dir)["api"]
        let ours = Self.upAndEligible(row)
        #expect(ours.up * (kuma.up + kuma.down) == ours.eligible * kuma.up)  // exactly equal ratios
        #expect(row?.contains(",90.9091,") == true)                          // 300 / 330 = 90.9091 %
    }

    @Test func unevenlySpacedBeatsDifferFromUptimeKumasBeatRatio() throws {
        let dir = try Self.estate()
        try Self.importStatus(["kuma.db"], in: dir)
        // Oct 2: up 00:00–02:00 and 03:00–06:00 beating every 60 s (300 beats); down 02:00–03:00 retrying every
        // 20 s (180 beats). Kuma counts beats: 300 / 480 = 62.5 %. We weight by time: 5 h up of 6 h = 83.3333 %.
        // The 20.8333-point gap is the retry interval: each down minute has three beats, each up minute one, so
        // counting beats weighs the outage three times over.
        let kuma = try Self.kumaBeatCounts(day: "2026-10-02")
        #expect(kuma.up == 300 && kuma.down == 180)
        let row = try Self.uptime("2026-10-02..2026-10-02", in: dir)["api"]
        let ours = Self.upAndEligible(row)
        #expect(ours.up == 18_000_000 && ours.eligible == 21_600_000)           // 5 h of 6 h
        #expect(ours.up * 6 == ours.eligible * 5)                     // ours: 5/6 = 83.3333 %
        #expect(kuma.up * 8 == (kuma.up + kuma.down) * 5)             // Kuma: 5/8 = 62.5 %
        #expect(row?.contains(",83.3333,") == true)
    }

    // MARK: - Bad inputs: clear errors, nothing stored

    static func write(_ text: String, _ name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Imports the good CSV first, then `arguments`; checks exit 65, the exact stderr, and that nothing changed.
    static func expectRejected(_ arguments: [String], in dir: URL, message: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        try write("timestamp,service,status\n2026-09-30T00:00:00Z,API,up\n", "before.csv", in: dir)
        _ = try importStatus(["before.csv"], in: dir)
        let before = try stored(dir)
        #expect(before == 1001, sourceLocation: sourceLocation)
        let result = try importStatus(arguments, in: dir)
        #expect(result.status == 65, sourceLocation: sourceLocation)
        #expect(result.stderr == message + "\n" + rejectedLine, sourceLocation: sourceLocation)
        #expect(try stored(dir) == before, sourceLocation: sourceLocation)
    }

    @Test func notAnSQLiteFile() throws {
        let dir = try Self.estate()
        try Self.write("timestamp,service,status\n", "notes.csv", in: dir)
        try Self.expectRejected(["--format", "uptime-kuma", "notes.csv"], in: dir, message:
            "notes.csv: error: not an SQLite database (it does not start with the SQLite header); --format uptime-kuma reads Uptime Kuma's kuma.db")
    }

    @Test func sqliteFileWithoutKumasTables() throws {
        let dir = try Self.estate()
        do {
            let db = try Database(path: dir.appendingPathComponent("other.db").path)
            try db.execute("PRAGMA journal_mode = DELETE; CREATE TABLE monitor (id INTEGER PRIMARY KEY, name TEXT)")
        }
        try Self.expectRejected(["other.db"], in: dir, message:
            "other.db: error: not an Uptime Kuma database: no \"heartbeat\" table (Uptime Kuma's kuma.db has tables \"monitor\" and \"heartbeat\")")
    }

    /// A scheduled-maintenances.json is detected as statuspage and gives its maintenance window only (SPEC §10.6):
    /// from scheduled_for, not from when it was posted, and no up time around it.
    @Test func statuspageScheduledMaintenancesExport() throws {
        let dir = try Self.estate()
        try Self.write("""
            {"page": {"id": "acm9x2p4q7ls", "updated_at": "2026-10-31T12:00:00Z"},
             "scheduled_maintenances": [
              {"id": "m7", "name": "Network upgrade", "status": "completed", "impact": "maintenance",
               "created_at": "2026-09-25T08:00:00Z", "started_at": "2026-09-25T08:00:00Z", "resolved_at": "2026-10-10T03:00:00Z",
               "scheduled_for": "2026-10-10T01:00:00Z", "scheduled_until": "2026-10-10T03:00:00Z",
               "components": [{"id": "pmt7k2xq9v4d", "name": "Payments"}, {"name": "No components were affected by this update."}],
               "incident_updates": [{"status": "scheduled", "display_at": "2026-09-25T08:00:00Z",
                 "affected_components": [{"name": "No components were affected by this update."}]}]}]}
            """, "scheduled-maintenances.json", in: dir)
        let result = try Self.importStatus(["scheduled-maintenances.json"], in: dir)
        // 10-10 01:00–03:00 = 120 one-minute samples of maintenance, and one up sample at 03:00 where it ends.
        #expect(result.stderr == "imported scheduled-maintenances.json (statuspage, detected): 121 rows, 121 new, "
                + "0 already stored, 0 replaced\n")
        #expect(try Self.count(dir, service: "pmt7k2xq9v4d", status: .maintenance) == 120)
        #expect(try Self.count(dir, service: "pmt7k2xq9v4d", status: .up) == 1)
    }

    @Test func statuspageUnknownComponentStatus() throws {
        let dir = try Self.estate()
        try Self.write("""
            {"page": {"id": "p1", "updated_at": "2026-10-31T12:00:00Z"},
             "incidents": [
              {"id": "i1", "name": "Checkout broken", "impact": "critical",
               "started_at": "2026-10-05T10:00:00Z", "resolved_at": "2026-10-05T11:00:00Z",
               "components": [{"id": "c1", "name": "Checkout", "status": "operational"}],
               "incident_updates": [
                {"status": "investigating", "affected_components": null},
                {"status": "identified", "affected_components": [
                  {"code": "c1", "name": "Checkout", "old_status": "operational", "new_status": "on_fire"}]}]}]}
            """, "incidents-bad.json", in: dir)
        try Self.expectRejected(["incidents-bad.json"], in: dir, message:
            "incidents-bad.json:9:85: error: incident \"i1\" (\"Checkout broken\"): component \"Checkout\" has unknown status \"on_fire\" "
            + "(expected operational, degraded_performance, partial_outage, major_outage or under_maintenance)")
    }

    @Test func probeSeriesWithValuesOtherThanZeroOrOne() throws {
        let dir = try Self.estate()
        // 9000 good samples first, more than one batch (8192), so the store has written rows before the bad
        // value: the rollback, not the parser, is what keeps them out.
        let good = (0..<9000).map { "[\(1_790_812_800 + 60 * $0),\"1\"]" }.joined(separator: ",")
        try Self.write("""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"probe_success","job":"blackbox","instance":"a"},"values":[\(good)]},
            {"metric":{"__name__":"probe_success","job":"shop"},"values":[[1790812800,"1"],[1790812860,"0.5"]]}
            ]}}
            """, "probe-half.json", in: dir)
        try Self.expectRejected(["--format", "prometheus-json", "probe-half.json"], in: dir, message:
            "probe-half.json:3:92: error: probe_success{job=\"shop\"} has the value \"0.5\" at 2026-10-01T00:01:00Z; "
            + "a status series must be 0 (down) or 1 (up), such as probe_success or up")
        try Self.write("""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","service":"api"},"values":[[1790812800,"NaN"]]}]}}
            """, "up-nan.json", in: dir)
        try Self.expectRejected(["up-nan.json"], in: dir, message:
            "up-nan.json:2:67: error: up{service=\"api\"} has the value \"NaN\" at 2026-10-01T00:00:00Z; "
            + "a status series must be 0 (down) or 1 (up), such as probe_success or up")
    }

    @Test func truncatedJSON() throws {
        let dir = try Self.estate()
        try Self.write("""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"service":"api"},"values":[[1790812800,"1"],[17908
            """, "cut.json", in: dir)
        try Self.expectRejected(["cut.json"], in: dir, message:
            "cut.json:2:62: error: unexpected end of file inside an array (the JSON is truncated)")
        try Self.write("{\"page\": {\"updated_at\": \"2026-10-31T12:00:00Z\"}, \"incidents\": [{\"id\": \"i1\", \"name\": \"Out", "cut2.json",
                       in: dir)
        try Self.expectRejected(["--format", "statuspage", "cut2.json"], in: dir, message:
            "cut2.json:1:89: error: unexpected end of file inside a string (the JSON is truncated)")
    }

    @Test func prometheusErrorResponsesAndOtherResultTypes() throws {
        let dir = try Self.estate()
        try Self.write("""
            {"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error: unexpected end of input"}
            """, "error.json", in: dir)
        try Self.expectRejected(["error.json"], in: dir, message:
            "error.json:1:11: error: the file is a Prometheus error response (bad_data): "
            + "\"invalid parameter \\\"query\\\": 1:1: parse error: unexpected end of input\" (fix the query and export the response again)")
        try Self.write("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", "vector.json", in: dir)
        try Self.expectRejected(["vector.json"], in: dir, message:
            "vector.json:1:42: error: \"resultType\" is \"vector\"; a status import needs a range query (/api/v1/query_range) "
            + "whose resultType is \"matrix\"")
    }

    @Test func jsonThatIsNeitherExport() throws {
        let dir = try Self.estate()
        try Self.write("{\"status\": \"ok\", \"items\": []}\n", "other.json", in: dir)
        try Self.expectRejected(["other.json"], in: dir, message:
            "other.json: error: cannot tell which JSON export this is: it has neither \"data\" (a Prometheus query_range response) "
            + "nor \"incidents\" or \"scheduled_maintenances\" (a Statuspage export); give --format")
    }

    // MARK: - Options and configuration

    @Test func serviceLabelChoosesTheService() throws {
        let dir = try Self.estate()
        try Self.write("""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"node","instance":"db-1:9100"},"values":[[1790812800,"1"]]},
            {"metric":{"__name__":"up","job":"node","instance":"db-2:9100"},"values":[[1790812800,"0"]]}]}}
            """, "up.json", in: dir)
        // By the default order (service, job, instance) both series would be service "node".
        let clash = try Self.importStatus(["up.json"], in: dir)
        #expect(clash.status == 65)
        #expect(clash.stderr.hasPrefix("up.json:3:11: error: series up{instance=\"db-2:9100\",job=\"node\"} gives the same service "
            + "\"node\" as series up{instance=\"db-1:9100\",job=\"node\"} on line 2; choose a label that tells them apart with --service-label\n"))
        let chosen = try Self.importStatus(["up.json", "--service-label", "instance"], in: dir)
        #expect(chosen.stderr == "imported up.json (prometheus-json, detected): 2 rows, 2 new, 0 already stored, 0 replaced; "
                + "2 samples of \"db-1:9100\" and \"db-2:9100\", which no service's status_series names\n")
        #expect(try Self.count(dir, service: "db-2:9100", status: .down) == 1)

        let misuse = try Self.importStatus(["--format", "csv", "--service-label", "job", "up.json"], in: dir)
        #expect(misuse.status == 64)
        #expect(misuse.stderr.hasPrefix("Error: --service-label applies to --format prometheus-json (or auto) only\n"))
    }

    @Test func badSinceIsAUsageError() throws {
        let dir = try Self.estate()
        let result = try Self.importStatus(["kuma.db", "--since", "2026-10-01"], in: dir)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --since: not an RFC 3339 timestamp: \"2026-10-01\"\n"))
        let backwards = try Self.importStatus(["kuma.db", "--since", "2026-10-02T00:00:00Z", "--until", "2026-10-01T00:00:00Z"], in: dir)
        #expect(backwards.status == 64)
        #expect(backwards.stderr.hasPrefix("Error: --until must be later than --since\n"))
    }

    @Test(arguments: [
        ("  status: [{path: a.csv, format: csv, service_label: job}]",
         "sla.yaml:2:54: error: inputs.status[0].service_label: service_label applies to prometheus-json inputs only (this input's format is csv)\n"),
        ("  status: [{path: a.json, format: prometheus-json, service_label: [job, 9x]}]",
         "sla.yaml:2:73: error: inputs.status[0].service_label[1]: not a Prometheus label name: \"9x\"\n"),
        ("  status: [{path: a.json, format: influx}]",
         "sla.yaml:2:35: error: inputs.status[0].format: format \"influx\" is not supported for status inputs in this version "
         + "(expected auto, csv, prometheus-json, uptime-kuma, statuspage)\n"),
    ])
    func inputsConfigErrors(entry: String, expected: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        let yaml = "inputs:\n\(entry)\nversion: 1\ntimezone: UTC\n"
        try yaml.write(to: dir.appendingPathComponent("sla.yaml"), atomically: true, encoding: .utf8)
        let result = try TestSupport.run(["import", "status", "x.csv", "--config", "sla.yaml"], in: dir)
        #expect(result.status == 78)
        #expect(result.stderr == expected)
    }

    @Test func inputsAcceptEveryStatusFormatAndServiceLabels() throws {
        let yaml = """
            version: 1
            timezone: UTC
            inputs:
              status:
                - {path: "kuma/*.db", format: uptime-kuma}
                - {path: probes.json, format: prometheus-json, service_label: [service, instance]}
                - {path: up.json, service_label: job}
                - {path: incidents.json, format: statuspage}
                - {path: "*.csv", format: csv}
            """
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("sla.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try Config.load(path: path)
        #expect(config.inputs.map(\.format) == [.status(.explicit(.uptimeKuma)), .status(.explicit(.prometheusJSON)), .status(.auto),
                                                 .status(.explicit(.statuspage)), .status(.explicit(.csv))])
        #expect(config.inputs.map(\.serviceLabels) == [nil, ["service", "instance"], ["job"], nil, nil])
    }
}
