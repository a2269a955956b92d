import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// A record as the tests compare it: the field texts and where each field starts.
private struct ReadRecord: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var places: [String]  // "line:column" of each field
    var description: String { "\(line) \(fields) \(places)" }
}

/// Writes `bytes` to a fresh temporary file and returns its path.
private func temporaryCSV(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

private func temporaryCSV(_ text: String) throws -> String { try temporaryCSV(Array(text.utf8)) }

private func readAll(_ path: String, chunkSize: Int = CSVReader.defaultChunkSize,
                     maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) throws -> [ReadRecord] {
    let reader = try CSVReader(path: path, displayName: "in.csv", chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    var records: [ReadRecord] = []
    while let record = try reader.next() {
        records.append(ReadRecord(line: record.line, fields: (0..<record.count).map { record.string($0) },
                                  places: (0..<record.count).map { "\(record[$0].line):\(record[$0].column)" }))
    }
    return records
}

/// The printed diagnostic of reading `path` to the end, or nil when it reads cleanly.
private func readError(_ path: String, chunkSize: Int = CSVReader.defaultChunkSize,
                       maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) -> String? {
    do {
        _ = try readAll(path, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite struct CSVReaderTests {
    @Test func plainRecordsWithLinesAndColumns() throws {
        let path = try temporaryCSV("a,bb,ccc\n1,,3\n")
        #expect(try readAll(path) == [
            ReadRecord(line: 1, fields: ["a", "bb", "ccc"], places: ["1:1", "1:3", "1:6"]),
            ReadRecord(line: 2, fields: ["1", "", "3"], places: ["2:1", "2:3", "2:4"]),
        ])
    }

    @Test func quotedFieldsHoldCommasLineEndsAndQuotes() throws {
        // Record 2 starts on line 2 and spans lines 2–4; its third field starts on line 4 at column 4
        // (after `x",`), so record 3 is on line 5.
        let path = try temporaryCSV("h1,h2,h3\n\"a,b\",\"one\ntwo\nx\",\"say \"\"hi\"\"\"\nlast,\"\",\"\"\"\"\n")
        #expect(try readAll(path) == [
            ReadRecord(line: 1, fields: ["h1", "h2", "h3"], places: ["1:1", "1:4", "1:7"]),
            ReadRecord(line: 2, fields: ["a,b", "one\ntwo\nx", "say \"hi\""], places: ["2:1", "2:7", "4:4"]),
            ReadRecord(line: 5, fields: ["last", "", "\""], places: ["5:1", "5:6", "5:9"]),
        ])
    }

    @Test func crlfLineEndsAndNoFinalLineEnd() throws {
        let path = try temporaryCSV("a,b\r\n\"x\r\ny\",z\r\nlast,row")
        #expect(try readAll(path) == [
            ReadRecord(line: 1, fields: ["a", "b"], places: ["1:1", "1:3"]),
            ReadRecord(line: 2, fields: ["x\r\ny", "z"], places: ["2:1", "3:4"]),
            ReadRecord(line: 4, fields: ["last", "row"], places: ["4:1", "4:6"]),
        ])
    }

    @Test func carriageReturnAtEndOfFileEndsTheLineButALoneOneIsData() throws {
        let path = try temporaryCSV("a\rb,c\r")
        #expect(try readAll(path) == [ReadRecord(line: 1, fields: ["a\rb", "c"], places: ["1:1", "1:5"])])
    }

    @Test func byteOrderMarkIsSkippedAndNotCounted() throws {
        let path = try temporaryCSV([0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8))
        #expect(try readAll(path) == [ReadRecord(line: 1, fields: ["a", "b"], places: ["1:1", "1:3"])])
        // Only at the start of the file: elsewhere it is data.
        let inside = try temporaryCSV(Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("b\n".utf8))
        #expect(try readAll(inside).map(\.fields) == [["a"], ["\u{FEFF}b"]])
    }

    @Test func blankLinesComeBackAsBlankRecords() throws {
        let path = try temporaryCSV("a\n\nb\n\n")
        let reader = try CSVReader(path: path, displayName: "in.csv")
        var blanks: [Bool] = []
        while let record = try reader.next() { blanks.append(record.isBlank) }
        #expect(blanks == [false, true, false, true])
    }

    @Test func emptyFileHasNoRecords() throws {
        let path = try temporaryCSV([])
        let reader = try CSVReader(path: path, displayName: "in.csv")
        #expect(try reader.next() == nil)
        #expect(reader.bytesRead == 0)
    }

    @Test func multibyteTextIsKept() throws {
        let path = try temporaryCSV("zürich,東京,🙂\n")
        // Columns are bytes: "zürich," is 8 bytes, "東京," 7.
        #expect(try readAll(path) == [ReadRecord(line: 1, fields: ["zürich", "東京", "🙂"], places: ["1:1", "1:9", "1:16"])])
    }

    // MARK: - Errors

    @Test func unterminatedQuote() throws {
        let path = try temporaryCSV("a,b\n1,\"open\nstill open\n")
        #expect(readError(path) == "in.csv:2:3: error: unterminated quoted field: the quote opened here is never closed")
    }

    @Test func quoteInsideUnquotedField() throws {
        let path = try temporaryCSV("a,b\nfive\" disk,x\n")
        #expect(readError(path)
            == "in.csv:2:5: error: unexpected quote in an unquoted field (quote the whole field and write a quote as \"\")")
    }

    @Test func textAfterClosingQuote() throws {
        let path = try temporaryCSV("a,b\n\"x\"y,z\n")
        #expect(readError(path)
            == "in.csv:2:4: error: unexpected \"y\" after a closing quote (a quote inside a quoted field is written \"\")")
    }

    @Test func invalidUTF8NamesLineAndColumnOfTheBadByte() throws {
        let path = try temporaryCSV(Array("a,b\nok,caf".utf8) + [0xFF] + Array("\n".utf8))
        #expect(readError(path) == "in.csv:2:7: error: invalid UTF-8 (byte 0xFF)")
        // Inside a quoted field that spans lines: the bad byte is on line 3, column 2.
        let spanning = try temporaryCSV(Array("a,b\nx,\"one\nt".utf8) + [0xC3, 0x28] + Array("o\"\n".utf8))
        #expect(readError(spanning) == "in.csv:3:2: error: invalid UTF-8 (byte 0xC3)")
    }

    @Test func utf8ValidatorRejectsOverlongSurrogatesAndTruncation() {
        func firstBad(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { CSVReader.firstInvalidUTF8($0.baseAddress!, $0.count) } }
        #expect(firstBad(Array("plain ascii".utf8)) == nil)
        #expect(firstBad(Array("é東🙂\u{10FFFF}".utf8)) == nil)
        #expect(firstBad([0x41, 0xC0, 0x80]) == 1)        // overlong NUL
        #expect(firstBad([0xE0, 0x80, 0x80]) == 0)        // overlong 3-byte
        #expect(firstBad([0xED, 0xA0, 0x80]) == 0)        // UTF-16 surrogate U+D800
        #expect(firstBad([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(firstBad([0x41, 0x42, 0xE6, 0x9D]) == 2)  // truncated at the end
        #expect(firstBad([0x80]) == 0)                    // lone continuation byte
    }

    @Test func lineLongerThanTheLimit() throws {
        // 17 bytes on line 2 with a limit of 16.
        let path = try temporaryCSV("a,b\n12345678,12345678\n")
        #expect(readError(path, maxRecordBytes: 16) == "in.csv:2: error: line is longer than 16 bytes")
        // Exactly 16 bytes is fine, and the line end (here \r\n) does not count.
        let exact = try temporaryCSV("a,b\r\n1234567,12345678\r\n")
        #expect(readError(exact, maxRecordBytes: 16) == nil)
        // Also when the line does not fit the buffer: small chunks, a much longer line.
        let long = try temporaryCSV("a,b\n" + String(repeating: "x", count: 200) + ",y\n")
        #expect(readError(long, chunkSize: 8, maxRecordBytes: 16) == "in.csv:2: error: line is longer than 16 bytes")
    }

    @Test func unclosedQuoteRunningPastTheLimitSaysSo() throws {
        let path = try temporaryCSV("a,b\n1,\"" + String(repeating: "text\n", count: 40))
        #expect(readError(path, chunkSize: 8, maxRecordBytes: 16) == "in.csv:2: error: line is longer than 16 bytes "
            + "(inside a quoted field opened at line 2, column 3; is its closing quote missing?)")
    }

    @Test func missingFileAndDirectoryAreNoInput() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).csv").path
        do {
            _ = try CSVReader(path: missing, displayName: "exports/gone.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "exports/gone.csv: error: no such file")
            #expect(error.isNoInput)
        }
        let directory = FileManager.default.temporaryDirectory.path
        do {
            _ = try CSVReader(path: directory, displayName: "tmp")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "tmp: error: is a directory")
            #expect(error.isNoInput)
        }
        #expect(!Diagnostic(file: "x", line: 3, column: 1, message: "no such file").isNoInput)
    }

    // MARK: - Chunk boundaries

    @Test func recordsStraddlingChunkBoundariesReadTheSame() throws {
        // Every kind of token lands on a chunk boundary for some chunk size: quotes, "" pairs, \r\n,
        // multibyte characters, a BOM cut in two, the file's last byte.
        var text = "\u{FEFF}service,\"note\",value\r\n"
        for i in 0..<300 {
            switch i % 5 {
            case 0: text += "api-\(i),plain,\(i)\n"
            case 1: text += "\"quoted, \(i)\",\"say \"\"\(i)\"\"\",x\r\n"
            case 2: text += "zürich-\(i),\"multi\nline \(i)\",東京\n"
            case 3: text += ",,\n"
            default: text += "\"\",\"\"\"\",🙂\(i)\r\n"
            }
        }
        text += "end,no,newline"
        let path = try temporaryCSV(text)
        let expected = try readAll(path)
        // Header, 300 rows, the last line; every fifth row spans two lines: 1 + 300 + 60 + 1 = 362 lines.
        #expect(expected.count == 302)
        #expect(expected[2] == ReadRecord(line: 3, fields: ["quoted, 1", "say \"1\"", "x"], places: ["3:1", "3:13", "3:25"]))
        #expect(expected[3] == ReadRecord(line: 4, fields: ["zürich-2", "multi\nline 2", "東京"], places: ["4:1", "4:11", "5:9"]))
        #expect(expected.last == ReadRecord(line: 362, fields: ["end", "no", "newline"], places: ["362:1", "362:5", "362:8"]))
        for chunkSize in [1, 2, 3, 5, 7, 64, 1000] {
            #expect(try readAll(path, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }
}
