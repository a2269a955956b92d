import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Storage

/// Issue 12 §6, "Bad bytes never become data": names with control characters are refused with their place by every
/// reader, a NUL reaches SQLite whole, and a name has one identity (NFC) whatever its spelling in Unicode.
struct BadNameTests {
    /// `café` precomposed (U+00E9) and decomposed (e + U+0301): equal as Swift Strings, different bytes.
    static let nfc = "caf\u{E9}"
    static let nfd = "cafe\u{301}"

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let dir = try TestSupport.temporaryDirectory("slareport-badnames")
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func write(_ text: String, name: String) throws -> String { try write(Array(text.utf8), name: name) }

    /// The diagnostic `body` throws, printed; nil when it throws nothing.
    static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func statusCSV(_ text: String) throws -> [StatusRow] {
        var rows: [StatusRow] = []
        _ = try StatusCSVParser(path: try write(text, name: "s.csv"), displayName: "s.csv").parse { rows += $0 }
        return rows
    }

    static let controlRule = "(names may not contain control characters, tabs and line breaks included)"

    // MARK: - SQLite

    /// A text with a NUL was bound as a C string: SQLite stored "api" for "api\0x", so the samples of one series
    /// landed under another (and collided with it: "UNIQUE constraint failed").
    @Test func sqliteTextKeepsEveryByteOfAName() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (name TEXT)")
        try db.statement("INSERT INTO t VALUES (?)").bind(.text("api\u{0}x")).run()
        let s = try db.statement("SELECT name, length(CAST(name AS BLOB)), hex(name) FROM t")
        #expect(try s.step())
        #expect(s.text(0) == "api\u{0}x")
        #expect(s.int(1) == 5)
        #expect(s.text(2) == "61706900" + "78")
        s.reset()
        // The empty text is text, not NULL.
        try db.statement("INSERT INTO t VALUES (?)").bind(.text("")).run()
        let empty = try db.statement("SELECT count(*) FROM t WHERE name = ''")
        #expect(try empty.step() && empty.int(0) == 1)
    }

    // MARK: - Control characters, with line and column

    @Test(arguments: [
        // (CSV row after the header, the message): the column points at the character itself, past the opening quote
        // and any doubled quote before it.
        ("2026-10-01T00:00:00Z,a\u{0}pi,up",
         "s.csv:2:23: error: service \"a\\u{0}pi\" contains the control character U+0000 \(controlRule)"),
        ("2026-10-01T00:00:00Z,\"a\"\"b\tc\",up",
         "s.csv:2:27: error: service \"a\\\"b\\tc\" contains the control character U+0009 \(controlRule)"),
        ("2026-10-01T00:00:00Z,api\u{85},up",
         "s.csv:2:25: error: service \"api\\u{85}\" contains the control character U+0085 \(controlRule)"),
        ("2026-10-01T00:00:00Z,\"a\nb\",up",
         "s.csv:2:24: error: service \"a\\nb\" contains the control character U+000A \(controlRule)"),
    ])
    func statusCSVRefusesControlCharactersInServices(row: String, expected: String) throws {
        #expect(Self.failure { _ = try Self.statusCSV("timestamp,service,status\n\(row)\n") } == expected)
    }

    @Test func statusCSVRefusesControlCharactersInRegions() throws {
        let text = "timestamp,service,region,status\n2026-10-01T00:00:00Z,api,eu,up\n2026-10-01T00:01:00Z,api,e\u{7F}u,up\n"
        #expect(Self.failure { _ = try Self.statusCSV(text) }
            == "s.csv:3:27: error: region \"e\\u{7F}u\" contains the control character U+007F \(Self.controlRule)")
    }

    @Test func prometheusStatusNamesThePlaceOfTheBadLabelValue() throws {
        let text = #"""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"probe_success","job":"a\u0000b"},"values":[[1790812800,"1"]]}]}}
            """#
        let path = try Self.write(text, name: "p.json")
        #expect(Self.failure { _ = try PrometheusStatusReader(path: path, displayName: "p.json").parse { _ in } }
            == "p.json:2:45: error: service label job \"a\\u{0}b\" contains the control character U+0000 \(Self.controlRule)")
    }

    @Test func prometheusMetricsNamesThePlaceOfTheBadLabelValue() throws {
        let text = #"""
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"x_total","code":"2\n0"},"values":[[1790812800,"1"]]}]}}
            """#
        let path = try Self.write(text, name: "m.json")
        #expect(Self.failure { _ = try PrometheusMetricsReader(path: path, displayName: "m.json").parse { _ in } }
            == "m.json:2:40: error: label code \"2\\n0\" contains the control character U+000A \(Self.controlRule)")
    }

    @Test func metricsCSVRefusesAnEscapedControlCharacterInALabelValue() throws {
        let path = try Self.write("timestamp,series,value\n2026-10-01T00:00:00Z,\"x_total{a=\"\"b\\x01\"\"}\",1\n", name: "m.csv")
        #expect(Self.failure { _ = try MetricCSVReader(path: path, displayName: "m.csv").parse { _ in } }
            == "m.csv:2:22: error: label a of x_total \"b\\u{1}\" contains the control character U+0001 \(Self.controlRule)")
    }

    /// A Prometheus error response's errorType was printed as the server wrote it: a line break in it split the message.
    @Test func aPrometheusErrorTypeStaysOnOneLine() throws {
        let path = try Self.write(#"{"status":"error","errorType":"bad\ndata","error":"x"}"#, name: "e.json")
        #expect(Self.failure { _ = try PrometheusMetricsReader(path: path, displayName: "e.json").parse { _ in } }
            == "e.json:1:11: error: the file is a Prometheus error response (bad\\ndata): \"x\" (fix the query and export the response again)")
    }

    // MARK: - Every reader, through the importer

    static func estate() throws -> (dir: URL, config: Config) {
        try ImporterTests.estate([:])
    }

    static func importFile(_ name: String, _ bytes: [UInt8], _ format: InputFormatChoice, into estate: (dir: URL, config: Config),
                           replace: Bool = false) throws -> ImportSummary {
        try Data(bytes).write(to: estate.dir.appendingPathComponent(name))
        let importer = Importer(config: estate.config, sink: try Store.opening(estate.config), log: Log { _ in })
        return try importer.importFile(ImportPlan.File(configRelative: name, config: estate.config, format: format), replace: replace)
    }

    /// Statuspage and OpenMetrics do not point at the character yet; the importer still refuses the name, at the row.
    @Test func theImporterRefusesControlCharactersFromEveryReader() throws {
        let estate = try Self.estate()
        let statuspage = #"""
            {"page":{"updated_at":"2026-10-01T01:00:00Z"},"incidents":[
            {"id":"i1","name":"x","impact":"critical","started_at":"2026-10-01T00:00:00Z","resolved_at":"2026-10-01T00:10:00Z",
             "components":[{"id":"c1","name":"pay\u0000ments"}]}]}
            """#
        #expect(Self.failure { _ = try Self.importFile("i.json", Array(statuspage.utf8), .status(.explicit(.statuspage)), into: estate) }
            == "i.json:2:1: error: service \"pay\\u{0}ments\" contains the control character U+0000 \(Self.controlRule)")
        let openMetrics = "# TYPE x counter\nx_total{a=\"b\u{1}\"} 1 1790812800\n# EOF\n"
        #expect(Self.failure { _ = try Self.importFile("m.om", Array(openMetrics.utf8), .metrics(.explicit(.openmetrics)), into: estate) }
            == "m.om:2: error: label a of x_total \"b\\u{1}\" contains the control character U+0001 \(Self.controlRule)")
        #expect(try ErrorCatalogueTests.stored(estate.dir.appendingPathComponent("data")).samples == 0)
    }

    /// The issue's report: "api\0x" collided with a stored "api" sample as `database error (19): UNIQUE constraint
    /// failed`, exit 73, no file or line. Now it is the name's own error, with its place.
    @Test func aNULNameNeverReachesTheStore() throws {
        let estate = try Self.estate()
        _ = try Self.importFile("a.csv", Array("timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n".utf8), .status(.auto), into: estate)
        let error = Self.failure {
            _ = try Self.importFile("b.csv", Array("timestamp,service,status\n2026-10-01T00:00:00Z,api\u{0}x,down\n".utf8),
                                    .status(.auto), into: estate, replace: true)
        }
        #expect(error == "b.csv:2:25: error: service \"api\\u{0}x\" contains the control character U+0000 \(Self.controlRule)")
    }

    // MARK: - One identity: NFC

    /// The issue's report: café in NFC and in NFD in one file passed the in-order check as two series, the store
    /// merged them (Swift compares canonically), its runs overlapped and the report showed down time over an up sample.
    @Test func canonicallyEqualNamesAreOneSeriesInTheFile() throws {
        let text = "timestamp,service,status\n2026-10-01T00:00:00Z,\(Self.nfc),up\n2026-10-01T00:01:00Z,\(Self.nfd),up\n"
            + "2026-10-01T00:00:30Z,\(Self.nfc),down\n"
        #expect(Self.failure { _ = try Self.statusCSV(text) } == "s.csv:4:1: error: out of order: \(Self.nfc) at "
            + "2026-10-01T00:00:30Z is earlier than 2026-10-01T00:01:00Z on line 3 (each series must be in ascending time order)")
        let rows = try Self.statusCSV("timestamp,service,status\n2026-10-01T00:00:00Z,\(Self.nfd),up\n2026-10-01T00:01:00Z,\(Self.nfc),down\n")
        #expect(rows.map { Array($0.service.utf8) } == [Array(Self.nfc.utf8), Array(Self.nfc.utf8)])
    }

    /// Stored in NFC whichever spelling the file used, so SQLite (bytes) and Swift (canonical) agree.
    @Test func namesAreStoredInNFCByEveryReader() throws {
        let estate = try Self.estate()
        _ = try Self.importFile("a.csv", Array("timestamp,service,region,status\n2026-10-01T00:00:00Z,\(Self.nfd),\(Self.nfd),up\n".utf8),
                                .status(.auto), into: estate)
        let prometheus = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"\#(Self.nfd)x"},"values":[[1790812800,"1"]]}]}}"#
        _ = try Self.importFile("p.json", Array(prometheus.utf8), .status(.explicit(.prometheusJSON)), into: estate)
        let statuspage = #"""
            {"page":{"updated_at":"2026-10-01T00:02:00Z"},"incidents":[{"id":"i","impact":"critical","started_at":"2026-10-01T00:00:00Z",
             "resolved_at":"2026-10-01T00:01:00Z","components":[{"id":"c","name":"\#(Self.nfd)y"}]}]}
            """#
        _ = try Self.importFile("i.json", Array(statuspage.utf8), .status(.explicit(.statuspage)), into: estate)
        let metrics = "# TYPE x counter\nx_total{a=\"\(Self.nfd)\"} 1 1790812800\n# EOF\n"
        _ = try Self.importFile("m.om", Array(metrics.utf8), .metrics(.explicit(.openmetrics)), into: estate)

        let db = try Database(path: estate.dir.appendingPathComponent("data/sla.db").path, readOnly: true)
        let names = try db.statement("SELECT hex(service), hex(region) FROM status_series ORDER BY service")
        var stored: [String] = []
        while try names.step() { stored += [names.text(0), names.text(1)] }
        let hex = { (text: String) in text.utf8.map { String(format: "%02X", $0) }.joined() }
        #expect(stored == [hex(Self.nfc), hex(Self.nfc), hex(Self.nfc + "x"), "", hex(Self.nfc + "y"), ""])
        let labels = try db.statement("SELECT hex(labels) FROM metric_series")
        #expect(try labels.step() && labels.text(0) == hex("{a=\"\(Self.nfc)\"}"))
    }

    /// The store's last line of defence: a source that hands it one series under two spellings, out of order between
    /// them, is refused instead of stored as overlapping runs.
    @Test func theStoreRefusesASeriesThatGoesBackInTime() throws {
        struct TwoSpellings: StatusRowSource {
            func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
                let rows = [StatusRow(service: BadNameTests.nfc, region: "", time: 60_000, status: .up, responseTimeMs: nil, message: nil, line: 2),
                            StatusRow(service: BadNameTests.nfd, region: "", time: 0, status: .down, responseTimeMs: nil, message: nil, line: 3)]
                try batch(rows)
                return rows.count
            }
        }
        let store = try Store(path: try TestSupport.temporaryDirectory().appendingPathComponent("sla.db"))
        #expect(Self.failure {
            _ = try store.importStatus(from: TwoSpellings(), format: .csv, recordedPath: "t.csv", displayName: "t.csv",
                                       sha256: "00", replace: false)
        } == "t.csv:3:1: error: out of order: \(Self.nfc) at 1970-01-01T00:00:00Z is not after 1970-01-01T00:01:00Z, an "
            + "earlier row's time; the file writes this name in two ways that are one name in Unicode (NFC)")
    }

    /// The config's names take the same identity: a status_series typed decomposed finds the samples stored in NFC.
    @Test func theConfigNamesSeriesInNFC() throws {
        let (_, path) = try CommandLineTests.estate("")
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "services: [{id: api, provider: p}]",
                                  with: #"services: [{id: api, provider: p, status_series: "cafe\u0301", metrics: {requests: 'x_total{a=""#
                                      + Self.nfd + #""}'}}]"#)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let service = try #require(try Config.load(path: path).estate.services.first)
        #expect(Array(service.statusSeries.utf8) == Array(Self.nfc.utf8))
        #expect("\(service.metrics.values.first!)".utf8.elementsEqual("x_total{a=\"\(Self.nfc)\"}".utf8))

        let tab = text.replacingOccurrences(of: #"status_series: "cafe\u0301""#, with: #"status_series: "a\tb""#)
        try tab.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(Self.failure { _ = try Config.load(path: path) }?.hasSuffix(
            "error: services[0].status_series: status series \"a\\tb\" contains the control character U+0009 \(Self.controlRule)") == true)
    }
}
