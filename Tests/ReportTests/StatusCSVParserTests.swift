import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// 2026-10-01T00:00:00Z: 20 727 days after 1970-01-01 × 86 400 s = 1 790 812 800 s.
private let october1: Millis = 1_790_812_800_000
private let minute: Millis = 60_000

private func statusFile(_ bytes: [UInt8]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statuscsv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent("status.csv")
    try Data(bytes).write(to: url)
    return url.path
}

private func statusFile(_ text: String) throws -> String { try statusFile(Array(text.utf8)) }

private func parser(_ path: String, chunkSize: Int = CSVReader.defaultChunkSize,
                    maxLineBytes: Int = CSVReader.defaultMaxRecordBytes, batchSize: Int = 8192) -> StatusCSVParser {
    StatusCSVParser(path: path, displayName: "exports/status.csv", chunkSize: chunkSize, maxLineBytes: maxLineBytes,
                    batchSize: batchSize)
}

/// All rows of `path`, checking that the returned count matches what was delivered.
private func rows(_ path: String, chunkSize: Int = CSVReader.defaultChunkSize) throws -> [StatusRow] {
    var all: [StatusRow] = []
    let count = try parser(path, chunkSize: chunkSize).parse { all += $0 }
    #expect(count == all.count)
    return all
}

/// All rows of a file holding `text`.
private func rows(text: String) throws -> [StatusRow] { try rows(try statusFile(text)) }

/// The printed diagnostic for `bytes`, or nil when the file parses.
private func parseError(_ bytes: [UInt8], maxLineBytes: Int = CSVReader.defaultMaxRecordBytes) throws -> String? {
    let path = try statusFile(bytes)
    do {
        _ = try parser(path, maxLineBytes: maxLineBytes).parse { _ in }
        return nil
    } catch let diagnostic as Diagnostic {
        #expect(!diagnostic.isNoInput)
        return diagnostic.description
    }
}

private func parseError(_ text: String, maxLineBytes: Int = CSVReader.defaultMaxRecordBytes) throws -> String? {
    try parseError(Array(text.utf8), maxLineBytes: maxLineBytes)
}

private func row(_ service: String, _ region: String, _ time: Millis, _ status: ObservedStatus,
                 rt: Int64? = nil, message: String? = nil, line: Int) -> StatusRow {
    StatusRow(service: service, region: region, time: time, status: status, responseTimeMs: rt, message: message, line: line)
}

/// A row without a region.
private func row(_ service: String, _ time: Millis, _ status: ObservedStatus,
                 rt: Int64? = nil, message: String? = nil, line: Int) -> StatusRow {
    row(service, "", time, status, rt: rt, message: message, line: line)
}

@Suite struct StatusCSVParserTests {
    // MARK: - Happy paths

    @Test func allColumns() throws {
        let result = try rows(text: """
            timestamp,service,region,status,response_time_ms,message
            2026-10-01T00:00:00Z,api,eu,up,120,
            2026-10-01T00:01:00Z,api,eu,DOWN,,"timeout, retried"

            """)
        #expect(result == [
            row("api", "eu", october1, .up, rt: 120, line: 2),
            row("api", "eu", october1 + minute, .down, message: "timeout, retried", line: 3),
        ])
    }

    @Test func columnsInAnotherOrderAnyCaseWithSpaces() throws {
        let result = try rows(text: " Status , SERVICE,Timestamp\nUp,web,2026-10-01T00:00:00Z\n")
        #expect(result == [row("web", october1, .up, line: 2)])
    }

    @Test func quotedFieldsWithCommasLineEndsAndQuotes() throws {
        // The message of line 3 spans lines 3–4, so the next row is on line 5.
        let result = try rows(text: #"""
            timestamp,service,status,message
            "2026-10-01T00:00:00Z","api, v2",up,"all good"
            2026-10-01T00:01:00Z,"api, v2",down,"line one
            line ""two"""
            2026-10-01T00:02:00Z,"api, v2",up,""

            """#)
        #expect(result == [
            row("api, v2", october1, .up, message: "all good", line: 2),
            row("api, v2", october1 + minute, .down, message: "line one\nline \"two\"", line: 3),
            row("api, v2", october1 + 2 * minute, .up, line: 5),
        ])
    }

    @Test func crlfAndByteOrderMark() throws {
        let path = try statusFile([0xEF, 0xBB, 0xBF]
            + Array("timestamp,service,status\r\n2026-10-01T00:00:00Z,api,up\r\n2026-10-01T00:01:00Z,api,down\r\n".utf8))
        #expect(try rows(path) == [row("api", october1, .up, line: 2), row("api", october1 + minute, .down, line: 3)])
    }

    @Test func headerOnlyGivesNoRowsAndNoBatch() throws {
        for text in ["timestamp,service,status\n", "timestamp,service,status"] {
            var batches = 0
            let count = try parser(try statusFile(text)).parse { _ in batches += 1 }
            #expect(count == 0)
            #expect(batches == 0)
        }
    }

    @Test func blankLinesAreSkipped() throws {
        let result = try rows(text: "\ntimestamp,service,status\n\n2026-10-01T00:00:00Z,api,up\n\n")
        #expect(result == [row("api", october1, .up, line: 4)])
    }

    @Test func timestampForms() throws {
        // Epoch seconds, integer and decimal; offsets; fractions kept to the millisecond (truncated);
        // lowercase t/z and a space separator. Times ascend by construction.
        let texts = [
            ("1790812800", october1),
            ("1790812800.5", october1 + 500),
            ("2026-10-01T02:00:01+02:00", october1 + 1000),
            ("2026-10-01T00:00:01.123Z", october1 + 1123),
            ("2026-10-01T00:00:01.9999Z", october1 + 1999),
            ("2026-09-30T20:00:02-04:00", october1 + 2000),
            ("2026-10-01t00:00:02.1z", october1 + 2100),
            ("2026-10-01 00:00:03Z", october1 + 3000),
            ("1790812804", october1 + 4000),
        ]
        let text = "timestamp,service,status\n" + texts.map { "\($0.0),api,up\n" }.joined()
        let result = try rows(text: text)
        try #require(result.count == texts.count)
        #expect(result.map(\.time) == texts.map(\.1))
        // The fast byte path and Timestamp.parse agree.
        for (index, (text, _)) in texts.enumerated() {
            #expect(try result[index].time == Timestamp.parse(Substring(text)))
        }
    }

    /// The clock part `HH:MM:SS` is read eight bytes at once: every digit position, given a byte just outside
    /// 0–9 or an out-of-range value, must fall back to `Timestamp.parse` and end as it does.
    @Test func clockDigitsAreCheckedAtEveryPosition() throws {
        var clocks = ["00:00:00", "23:59:59", "09:09:09", "24:00:00", "23:60:00", "23:59:60", "99:99:99"]
        for position in [0, 1, 3, 4, 6, 7] {
            for bad in ["/", ":", "a", " "] {
                var clock = Array("12:34:56")
                clock[position] = Character(bad)
                clocks.append(String(clock))
            }
        }
        for clock in clocks {
            let text = "2026-10-01T\(clock)Z"
            let parsed = Result { try Timestamp.parse(Substring(text)) }
            do {
                let result = try rows(text: "timestamp,service,status\n\(text),api,up\n")
                #expect(result.map(\.time) == [try parsed.get()], "\(text)")
            } catch let diagnostic as Diagnostic {
                guard case .failure(let error) = parsed else {
                    Issue.record("\(text): rejected (\(diagnostic.message)) though Timestamp.parse accepts it")
                    continue
                }
                #expect(diagnostic.message == (error as? TimeParseError)?.reason, "\(text)")
            }
        }
    }

    @Test func leapDayAndEndOfDay() throws {
        // 2024-02-29T23:59:59Z = 1 709 251 199 s (19 782 days × 86 400 + 86 399).
        let result = try rows(text: "timestamp,service,status\n2024-02-29T23:59:59Z,api,up\n2024-03-01T00:00:00.250Z,api,up\n")
        #expect(result.map(\.time) == [1_709_251_199_000, 1_709_251_200_250])
    }

    @Test func statusWordsAnyCaseAndDigits() throws {
        let words = ["up", "DOWN", "Degraded", "maintenance", "UNKNOWN", "1", "0"]
        let text = "timestamp,service,status\n" + words.enumerated().map { "\(1_790_812_800 + $0.offset),api,\($0.element)\n" }.joined()
        #expect(try rows(text: text).map(\.status) == [.up, .down, .degraded, .maintenance, .unknown, .up, .down])
    }

    @Test func exactDuplicateIsDroppedAndInterleavedSeriesAreFine() throws {
        // Series api/eu, api/us and web interleave; each ascends on its own. Line 4 repeats line 2
        // (same series, time and status, other response time): dropped, and not counted.
        let result = try rows(text: """
            timestamp,service,region,status,response_time_ms
            2026-10-01T00:01:00Z,api,eu,up,100
            2026-10-01T00:00:00Z,api,us,up,90
            2026-10-01T00:01:00Z,api,eu,up,105
            2026-10-01T00:00:00Z,web,,down,
            2026-10-01T00:02:00Z,api,eu,down,
            2026-10-01T00:01:00Z,api,us,up,

            """)
        #expect(result == [
            row("api", "eu", october1 + minute, .up, rt: 100, line: 2),
            row("api", "us", october1, .up, rt: 90, line: 3),
            row("web", "", october1, .down, line: 5),
            row("api", "eu", october1 + 2 * minute, .down, line: 6),
            row("api", "us", october1 + minute, .up, line: 7),
        ])
    }

    @Test func rowsComeInBatches() throws {
        let path = try statusFile("timestamp,service,status\n" + (0..<5).map { "\(1_790_812_800 + $0),api,up\n" }.joined())
        var sizes: [Int] = []
        let count = try parser(path, batchSize: 2).parse { sizes.append($0.count) }
        #expect(sizes == [2, 2, 1])
        #expect(count == 5)
    }

    @Test func fileLargerThanOneChunk() throws {
        // 3 000 rows, three interleaved series, quoted messages with line ends now and then; read with
        // chunks of 7 and 4 096 bytes (the file is about 140 kB), every row must match the one-chunk read.
        var text = "timestamp,service,region,status,response_time_ms,message\r\n"
        for i in 0..<3000 {
            let time = Timestamp.format(october1 + Int64(i / 3) * minute)
            let message = i % 10 == 0 ? "\"slow, \"\"very\"\"\nslow\"" : ""
            text += "\(time),svc-\(i % 3),zürich,\(i % 7 == 0 ? "down" : "up"),\(i),\(message)\r\n"
        }
        let path = try statusFile(text)
        let whole = try rows(path)
        #expect(whole.count == 3000)
        // Row 2 999 is the 1 000th of svc-2 (i / 3 = 999 minutes); 300 of the rows before it span two lines.
        #expect(whole.last == row("svc-2", "zürich", october1 + 999 * minute, .up, rt: 2999, line: 2 + 2999 + 300))
        #expect(whole[10].message == "slow, \"very\"\nslow")
        for chunkSize in [7, 4096] {
            #expect(try rows(path, chunkSize: chunkSize) == whole, "chunk size \(chunkSize)")
        }
    }

    @Test func manySeriesKeepTheirOwnOrder() throws {
        // 500 services × 2 regions (enough to grow the name and series tables several times), three
        // minutes, interleaved by time: line 2 + 1 000 m + 2 s + r holds service s, region r, minute m.
        var text = "timestamp,service,region,status\n"
        for m in 0..<3 {
            for s in 0..<500 {
                for r in 0..<2 { text += "\(Timestamp.format(october1 + Int64(m) * minute)),service-number-\(s),r\(r),up\n" }
            }
        }
        let result = try rows(text: text)
        #expect(result.count == 3000)
        #expect(result[2 * 1000 + 2 * 321 + 1] == row("service-number-321", "r1", october1 + 2 * minute, .up, line: 2 + 2000 + 643))
        #expect(Set(result.map(\.service)).count == 500)
        // One more row taking service-number-7/r0 back to minute 1: its previous row is minute 2 on line 2 + 2 000 + 14 = 2 016.
        #expect(try parseError(text + "\(Timestamp.format(october1 + minute)),service-number-7,r0,up\n")
            == "exports/status.csv:3002:1: error: out of order: service-number-7/r0 at 2026-10-01T00:01:00Z is earlier than "
            + "2026-10-01T00:02:00Z on line 2016 (each series must be in ascending time order)")
    }

    @Test func internerGivesOneIDPerName() {
        var interner = ByteStringInterner()
        let names = (0..<1000).map { "name-\($0)" } + ["", "a", "a-much-longer-name-than-eight-bytes", "zürich"]
        func id(_ name: String) -> Int { Array(name.utf8).withUnsafeBufferPointer { interner.id(for: $0) } }
        let ids = names.map(id)
        #expect(ids == Array(0..<names.count))
        #expect(names.map(id) == ids)  // the second time round, all found
        #expect(interner.strings == names)
    }

    // MARK: - Errors, pinned

    @Test func badTimestamp() throws {
        #expect(try parseError("timestamp,service,status\nyesterday,api,up\n")
            == "exports/status.csv:2:1: error: not an RFC 3339 timestamp: \"yesterday\"")
        #expect(try parseError("timestamp,service,status\n2026-02-30T00:00:00Z,api,up\n")
            == "exports/status.csv:2:1: error: date or time out of range: \"2026-02-30T00:00:00Z\"")
        #expect(try parseError("timestamp,service,status\n,api,up\n") == "exports/status.csv:2:1: error: empty timestamp")
        // Line ends inside a timestamp stay escaped on one line.
        #expect(try parseError("timestamp,service,status\n\"2026-10-01\n00:00:00Z\",api,up\n")
            == "exports/status.csv:2:1: error: not a timestamp: \"2026-10-01\\n00:00:00Z\"")
    }

    @Test func timestampWithoutOffset() throws {
        #expect(try parseError("service,timestamp,status\napi,2026-10-01 00:00:00,up\n")
            == "exports/status.csv:2:5: error: timestamp has no UTC offset: \"2026-10-01 00:00:00\"")
    }

    @Test func unknownStatus() throws {
        // "api," is 4 bytes and the timestamp 20, so status starts at column 26.
        #expect(try parseError("service,timestamp,status\napi,2026-10-01T00:00:00Z,upp\n")
            == "exports/status.csv:2:26: error: unknown status \"upp\" (expected up, down, degraded, maintenance, unknown, 1 or 0)")
        #expect(try parseError("service,timestamp,status\napi,2026-10-01T00:00:00Z,\n")
            == "exports/status.csv:2:26: error: status is empty (expected up, down, degraded, maintenance, unknown, 1 or 0)")
    }

    @Test func missingColumn() throws {
        #expect(try parseError("timestamp,service\n2026-10-01T00:00:00Z,api\n")
            == "exports/status.csv:1: error: missing required column \"status\" (header has: timestamp, service)")
        #expect(try parseError("Timestamp\n")
            == "exports/status.csv:1: error: missing required columns \"service\", \"status\" (header has: Timestamp)")
    }

    @Test func extraColumn() throws {
        #expect(try parseError("timestamp,service,status,colour\n")
            == "exports/status.csv:1:26: error: unknown column \"colour\" (expected: timestamp, service, status, region, response_time_ms, message)")
        #expect(try parseError("time,service,status,zone\n")
            == "exports/status.csv:1:1: error: unknown columns \"time\", \"zone\" (expected: timestamp, service, status, region, response_time_ms, message)")
    }

    @Test func duplicateOrUnnamedColumn() throws {
        #expect(try parseError("timestamp,service,status,STATUS\n")
            == "exports/status.csv:1:26: error: duplicate column \"STATUS\" (columns 3 and 4)")
        #expect(try parseError("timestamp,service,status,\n") == "exports/status.csv:1:26: error: column 4 of the header has no name")
    }

    @Test func wrongFieldCount() throws {
        // Too many: points at the first extra field (20 + 1 + 3 + 1 + 2 + 1 = 28 bytes before it).
        #expect(try parseError("timestamp,service,status\n2026-10-01T00:00:00Z,api,up,extra\n")
            == "exports/status.csv:2:29: error: row has 4 fields but the header has 3")
        // Too few: points just past the end of the line.
        #expect(try parseError("timestamp,service,status\n2026-10-01T00:00:00Z,api\n")
            == "exports/status.csv:2:25: error: row has 2 fields but the header has 3")
    }

    @Test func emptyFileAndNoHeader() throws {
        #expect(try parseError([]) == "exports/status.csv: error: file is empty")
        #expect(try parseError("\n\n") == "exports/status.csv: error: file has no header row")
    }

    @Test func unterminatedQuote() throws {
        #expect(try parseError("timestamp,service,status,message\n2026-10-01T00:00:00Z,api,up,\"oops\n")
            == "exports/status.csv:2:29: error: unterminated quoted field: the quote opened here is never closed")
    }

    @Test func invalidUTF8() throws {
        // "2026-10-01T00:00:00Z,ap" is 23 bytes: the bad byte is at column 24.
        #expect(try parseError(Array("timestamp,service,status\n2026-10-01T00:00:00Z,ap".utf8) + [0xE9] + Array(",up\n".utf8))
            == "exports/status.csv:2:24: error: invalid UTF-8 (byte 0xE9)")
    }

    @Test func outOfOrder() throws {
        #expect(try parseError("""
            timestamp,service,region,status
            2026-10-01T00:05:00Z,api,eu,up
            2026-10-01T00:00:00Z,api,us,up
            2026-10-01T00:04:00Z,api,eu,up

            """) == "exports/status.csv:4:1: error: out of order: api/eu at 2026-10-01T00:04:00Z is earlier than "
            + "2026-10-01T00:05:00Z on line 2 (each series must be in ascending time order)")
    }

    @Test func conflictingDuplicate() throws {
        // Line 8 repeats line 7 exactly (dropped); line 9 contradicts it. Status starts at column 29.
        #expect(try parseError("""
            timestamp,service,region,status
            2026-10-01T00:00:00Z,api,us,up
            2026-10-01T00:00:00Z,web,eu,up
            2026-10-01T00:00:00Z,db,eu,down
            2026-10-01T00:00:00Z,api,ap,up
            2026-10-01T00:00:00Z,api,us,up
            2026-10-01T00:00:00Z,api,eu,up
            2026-10-01T00:00:00Z,api,eu,up
            2026-10-01T00:00:00Z,api,eu,down

            """) == "exports/status.csv:9:29: error: conflicting status for api/eu at 2026-10-01T00:00:00Z: down here, up on line 7")
    }

    @Test func lineOverTheLimit() throws {
        // Line 3 is 33 bytes (20 + 1 + 9 + 1 + 2) with a limit of 32; line 2 (31 bytes) is fine.
        #expect(try parseError("""
            timestamp,service,status
            2026-10-01T00:00:00Z,api-123,up
            2026-10-01T00:01:00Z,api-12345,up

            """, maxLineBytes: 32) == "exports/status.csv:3: error: line is longer than 32 bytes")
    }

    @Test func badServiceRegionAndResponseTime() throws {
        #expect(try parseError("timestamp,service,status\n2026-10-01T00:00:00Z,,up\n")
            == "exports/status.csv:2:22: error: service is empty")
        #expect(try parseError("timestamp,service,status\n2026-10-01T00:00:00Z, api,up\n")
            == "exports/status.csv:2:22: error: service has leading or trailing spaces: \" api\"")
        #expect(try parseError("timestamp,service,region,status\n2026-10-01T00:00:00Z,api,eu ,up\n")
            == "exports/status.csv:2:26: error: region has leading or trailing spaces: \"eu \"")
        #expect(try parseError("timestamp,service,status,response_time_ms\n2026-10-01T00:00:00Z,api,up,-5\n")
            == "exports/status.csv:2:29: error: response_time_ms is not a non-negative integer: \"-5\"")
        #expect(try parseError("timestamp,service,status,response_time_ms\n2026-10-01T00:00:00Z,api,up,99999999999999999999\n")
            == "exports/status.csv:2:29: error: response_time_ms is too large: \"99999999999999999999\"")
    }

    @Test func missingFileIsNoInput() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gone-\(UUID().uuidString).csv").path
        do {
            _ = try parser(path).parse { _ in }
            Issue.record("expected an error")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.description == "exports/status.csv: error: no such file")
            #expect(diagnostic.isNoInput)
        }
    }

    @Test func errorFromTheBatchHandlerPassesThrough() throws {
        struct Stop: Error {}
        let path = try statusFile("timestamp,service,status\n2026-10-01T00:00:00Z,api,up\n")
        #expect(throws: Stop.self) { try parser(path).parse { _ in throw Stop() } }
    }
}
