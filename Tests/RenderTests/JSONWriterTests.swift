import Testing
@testable import Render

/// `JSONValue` is written straight into bytes; these pin more of the layout and escaping every JSON output relies on.
struct JSONWriterTests {
    @Test func layoutIsTwoSpacesWithAFinalNewline() {
        let value = JSONValue.object([
            ("a", .array([.int(1), .number("2.50"), .null, .bool(true), .bool(false)])),
            ("empty_object", .object([])), ("empty_array", .array([])),
            ("nested", .object([("b", .string("x"))])),
        ])
        #expect(value.text == """
            {
              "a": [
                1,
                2.50,
                null,
                true,
                false
              ],
              "empty_object": {},
              "empty_array": [],
              "nested": {
                "b": "x"
              }
            }

            """)
        #expect(value.bytes == Array(value.text.utf8))
    }

    /// Quotes, backslashes and control characters are escaped (`\u001f` in lower-case hex); DEL and
    /// non-ASCII text are written as they are.
    @Test func stringsAreEscaped() {
        let value = JSONValue.string("say \"hi\" \\ a\nb\rc\td\u{1}\u{1F}\u{7F} Zürich 🇩🇪")
        #expect(value.text == "\"say \\\"hi\\\" \\\\ a\\nb\\rc\\td\\u0001\\u001f\u{7F} Zürich 🇩🇪\"\n")
        #expect(JSONValue.object([("k\"ey", .string(""))]).text == "{\n  \"k\\\"ey\": \"\"\n}\n")
    }
}

extension JSONWriterTests {
    /// `report.json` written element by element is the document `ReportJSON.document` describes.
    @Test func streamedReportIsTheDocument() throws {
        let report = try XLSXFixture.report()
        let streamed = ReportJSON.bytes(report, tool: XLSXFixture.tool)
        #expect(streamed == ReportJSON.document(report, tool: XLSXFixture.tool).bytes)
        #expect(!report.credits.isEmpty && !report.violations.isEmpty)
    }

    @Test func membersWriteLikeValues() {
        let member = JSONMember.object([
            ("a", .value(.int(1))), ("empty", .array(count: 0) { _ in .null }),
            ("rows", .array(count: 2) { .object([("i", .int($0))]) }), ("nested", .object([])),
        ])
        #expect(member.bytes == member.value.bytes)
        #expect(member.value.text == "{\n  \"a\": 1,\n  \"empty\": [],\n  \"rows\": [\n    {\n      \"i\": 0\n    },\n    {\n      \"i\": 1\n    }\n  ],\n  \"nested\": {}\n}\n")
    }
}
