import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

private func jsonFile(_ bytes: [UInt8]) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("json-\(UUID().uuidString).json")
    try Data(bytes).write(to: url)
    return url.path
}

private func jsonFile(_ text: String) throws -> String { try jsonFile(Array(text.utf8)) }

/// Every token with its line and column, reading in chunks of `chunkSize` bytes.
private func tokens(_ bytes: [UInt8], chunkSize: Int = JSONTokenizer.defaultChunkSize) throws -> [String] {
    let json = try JSONTokenizer(path: try jsonFile(bytes), displayName: "t.json", chunkSize: chunkSize)
    var out: [String] = []
    while let token = try json.next() { out.append("\(json.position.line):\(json.position.column) \(token)") }
    return out
}

private func tokens(_ text: String, chunkSize: Int = JSONTokenizer.defaultChunkSize) throws -> [String] {
    try tokens(Array(text.utf8), chunkSize: chunkSize)
}

/// The printed diagnostic for reading all of `bytes`, or nil when it is valid JSON.
private func jsonError(_ bytes: [UInt8], chunkSize: Int = JSONTokenizer.defaultChunkSize, maxTokenBytes: Int = 1 << 20) throws -> String? {
    let json = try JSONTokenizer(path: try jsonFile(bytes), displayName: "t.json", chunkSize: chunkSize, maxTokenBytes: maxTokenBytes)
    do {
        while try json.next() != nil {}
        return nil
    } catch {
        return error.description
    }
}

private func jsonError(_ text: String, chunkSize: Int = JSONTokenizer.defaultChunkSize) throws -> String? {
    try jsonError(Array(text.utf8), chunkSize: chunkSize)
}

struct JSONTokenizerTests {
    static let document = """
        {"status": "success", "data": {"result": [
          {"metric": {"job": "a\\"b"}, "values": [[1790812800.5, "1"], [-2e3, "0"]]},
          {"empty": {}, "none": [], "flags": [true, false, null]}
        ]}}
        """

    static let expected = [
        "1:1 beginObject", "1:2 key(\"status\")", "1:12 string(\"success\")", "1:23 key(\"data\")", "1:31 beginObject",
        "1:32 key(\"result\")", "1:42 beginArray",
        "2:3 beginObject", "2:4 key(\"metric\")", "2:14 beginObject", "2:15 key(\"job\")", "2:22 string(\"a\\\"b\")", "2:28 endObject",
        "2:31 key(\"values\")", "2:41 beginArray", "2:42 beginArray", "2:43 number(\"1790812800.5\")", "2:57 string(\"1\")",
        "2:60 endArray", "2:63 beginArray", "2:64 number(\"-2e3\")", "2:70 string(\"0\")", "2:73 endArray", "2:74 endArray",
        "2:75 endObject",
        "3:3 beginObject", "3:4 key(\"empty\")", "3:13 beginObject", "3:14 endObject", "3:17 key(\"none\")", "3:25 beginArray",
        "3:26 endArray", "3:29 key(\"flags\")", "3:38 beginArray", "3:39 bool(true)", "3:45 bool(false)", "3:52 null",
        "3:56 endArray", "3:57 endObject",
        "4:1 endArray", "4:2 endObject", "4:3 endObject",
    ]

    @Test func tokensWithLineAndColumn() throws {
        #expect(try tokens(Self.document) == Self.expected)
    }

    /// A number is read in one step when it ends inside the buffer and byte by byte when it reaches the buffer's end;
    /// both give the same token, place and limit (64 characters).
    @Test(arguments: [1, 7, 70, 1 << 16])
    func numbersAreTheSameWhereverTheChunksSplit(chunkSize: Int) throws {
        let long = String(repeating: "1", count: 64)
        #expect(try tokens("[\(long), 2.5e-3]", chunkSize: chunkSize)
                == ["1:1 beginArray", "1:2 number(\"\(long)\")", "1:68 number(\"2.5e-3\")", "1:74 endArray"])
        #expect(try jsonError("[\(long)1]", chunkSize: chunkSize) == "t.json:1:2: error: number longer than 64 characters")
    }

    /// Tokens never depend on where the reads split the file (a string's opening quote as the last byte of a
    /// chunk once made its first byte read as an escape).
    @Test(arguments: [1, 2, 3, 5, 7, 16])
    func sameTokensWhateverTheChunkSize(chunkSize: Int) throws {
        #expect(try tokens(Self.document, chunkSize: chunkSize) == Self.expected)
        let escapes = #"["\u00e9\ud83d\ude00\n\t\/\\", "é😀"]"#
        #expect(try tokens(escapes, chunkSize: chunkSize)
            == ["1:1 beginArray", "1:2 string(\"é😀\\n\\t/\\\\\")", "1:32 string(\"é😀\")", "1:40 endArray"])
    }

    @Test func byteOrderMarkIsSkippedAndColumnsStartAfterIt() throws {
        #expect(try tokens([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == ["1:1 beginArray", "1:2 number(\"1\")", "1:3 endArray"])
    }

    @Test func skipValueWalksWholeContainers() throws {
        let json = try JSONTokenizer(path: try jsonFile(#"{"skip": {"a": [1, {"b": "x"}], "c": null}, "keep": 2}"#),
                                     displayName: "t.json", chunkSize: 4)
        #expect(try json.nextValue() == .beginObject)
        #expect(try json.nextValue() == .key("skip"))
        try json.skipValue()
        #expect(try json.nextValue() == .key("keep"))
        #expect(try json.nextValue() == .number("2"))
        #expect(try json.nextValue() == .endObject)
        try json.finish()
    }

    @Test(arguments: ["0", "-0", "12", "-3.25", "1e9", "1E+9", "2.5e-3", "1790812800.125"])
    func validNumbers(text: String) throws {
        #expect(try tokens("[\(text)]") == ["1:1 beginArray", "1:2 number(\"\(text)\")", "1:\(text.utf8.count + 2) endArray"])
    }

    @Test(arguments: [
        ("", "t.json: error: file is empty"),
        ("  \n ", "t.json: error: file holds no JSON value"),
        ("[01]", "t.json:1:2: error: not a JSON number: \"01\""),
        ("[1.]", "t.json:1:2: error: not a JSON number: \"1.\""),
        ("[-]", "t.json:1:2: error: not a JSON number: \"-\""),
        ("[1e]", "t.json:1:2: error: not a JSON number: \"1e\""),
        ("[.5]", "t.json:1:2: error: unexpected \".\" (expected a JSON value)"),
        ("[NaN]", "t.json:1:2: error: unexpected \"N\" (expected a JSON value)"),
        ("[nul]", "t.json:1:2: error: unexpected \"nul\" (expected a JSON value)"),
        ("[1,]", "t.json:1:4: error: expected a value after \",\" (JSON allows no trailing comma)"),
        ("{\"a\": 1,}", "t.json:1:9: error: expected a member name after \",\" (JSON allows no trailing comma)"),
        ("{a: 1}", "t.json:1:2: error: expected a member name in double quotes, found \"a\""),
        ("{\"a\" 1}", "t.json:1:6: error: expected \":\" after the member name, found \"1\""),
        ("[1 2]", "t.json:1:4: error: expected \",\" or \"]\" after an array element, found \"2\""),
        ("{\"a\": 1]", "t.json:1:8: error: expected \",\" or \"}\" after an object member, found \"]\""),
        ("{} {}", "t.json:1:4: error: unexpected \"{\" after the end of the JSON value (a file holds one JSON value)"),
        ("{\"a\": [1,\n 2", "t.json:2:3: error: unexpected end of file inside an array (the JSON is truncated)"),
        ("{\"a\": ", "t.json:1:7: error: unexpected end of file inside an object (the JSON is truncated)"),
        ("[\"abc", "t.json:1:6: error: unexpected end of file inside a string (the JSON is truncated)"),
        ("[\"a\\", "t.json:1:5: error: unexpected end of file inside a string (the JSON is truncated)"),
        ("[\"a\nb\"]", "t.json:1:4: error: line break inside a string (write it as \\n)"),
        ("[\"a\u{1}\"]", "t.json:1:4: error: control character U+0001 inside a string (escape it)"),
        ("[\"\\x\"]", "t.json:1:3: error: invalid escape \\x in a string"),
        ("[\"\\u12G4\"]", "t.json:1:3: error: invalid \\u escape (expected four hexadecimal digits)"),
        ("[\"\\ud83d\"]", "t.json:1:3: error: lone surrogate \\uD83D in a string"),
        ("[\"\\ude00\"]", "t.json:1:3: error: lone surrogate \\uDE00 in a string"),
    ])
    func malformedJSON(text: String, expected: String) throws {
        for chunkSize in [1, 3, JSONTokenizer.defaultChunkSize] {
            #expect(try jsonError(text, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func invalidUTF8InAStringAndOutside() throws {
        #expect(try jsonError(Array("[\"ab".utf8) + [0xC3, 0x28] + Array("\"]".utf8)) == "t.json:1:5: error: invalid UTF-8 (byte 0xC3)")
        #expect(try jsonError([UInt8(ascii: "["), 0xFF, UInt8(ascii: "]")]) == "t.json:1:2: error: unexpected byte 0xFF (expected a JSON value)")
    }

    /// Skipped values were not checked for UTF-8 (a Statuspage incident's `shortlink`, any member nobody reads): a file
    /// with invalid UTF-8 anywhere is refused, at the first byte of the bad sequence, whatever the chunk boundaries.
    @Test(arguments: [
        [0xFF] as [UInt8], [0x80], [0xC3, 0x28], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80],
    ])
    func invalidUTF8InASkippedValueIsRefused(bad: [UInt8]) throws {
        // {"skipped": ["é😀", "x<bad>"], "kept": 1}: byte columns, é takes two and 😀 four, so the bad byte is at 26.
        let bytes = Array(#"{"skipped": ["é😀", "x"#.utf8) + bad + Array(#""], "kept": 1}"#.utf8)
        for chunkSize in [1, 3, JSONTokenizer.defaultChunkSize] {
            let json = try JSONTokenizer(path: try jsonFile(bytes), displayName: "t.json", chunkSize: chunkSize)
            var failure: String?
            do {
                _ = try json.nextValue()
                try json.members { _ in try json.skipValue() }
            } catch {
                failure = "\(error)"
            }
            #expect(failure == "t.json:1:26: error: invalid UTF-8 (byte 0x\(JSONTokenizer.hex(UInt32(bad[0]), 2)))",
                    "chunk size \(chunkSize)")
        }
        // Valid sequences split across chunks of one byte still pass when skipped.
        let valid = Array(#"{"skipped": ["é😀€"], "kept": 1}"#.utf8)
        let json = try JSONTokenizer(path: try jsonFile(valid), displayName: "t.json", chunkSize: 1)
        _ = try json.nextValue()
        try json.members { _ in try json.skipValue() }
    }

    @Test func limitsKeepMemoryBounded() throws {
        #expect(try jsonError(Array("[\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 100) + Array("\"]".utf8), maxTokenBytes: 64)
            == "t.json:1:2: error: string longer than 64 bytes")
        let deep = String(repeating: "[", count: JSONTokenizer.maxDepth + 1)
        #expect(try jsonError(deep) == "t.json:1:\(JSONTokenizer.maxDepth + 1): error: nesting deeper than \(JSONTokenizer.maxDepth) levels")
    }

    @Test func missingFileIsNoInput() throws {
        #expect(throws: Diagnostic(file: "t.json", line: nil, column: nil, message: InputFileProblem.noSuchFile)) {
            _ = try JSONTokenizer(path: "/nonexistent/t.json", displayName: "t.json")
        }
    }
}
