import Calc
import Testing
@testable import Render

struct CSVTableTests {
    @Test func quotesPerRFC4180() {
        let table = CSVTable(header: ["a", "b"], rows: [
            [.text("plain"), .text("with, comma")],
            [.text("say \"hi\""), .text("two\nlines")],
        ])
        #expect(table.text == "a,b\nplain,\"with, comma\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n")
    }

    /// §6: a text cell starting with =, +, -, @, tab or CR gets a leading apostrophe; numbers never do.
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+1", "'+1"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "\"'\rx\""),
        ("safe=", "safe="),
    ])
    func guardsFormulaInjectionInText(text: String, encoded: String) {
        #expect(CSVCell.text(text).encoded == encoded)
    }

    /// CR LF is one Swift `Character`, and so is a quote followed by a combining accent: the bytes still decide.
    @Test func quotesByBytesNotCharacters() {
        #expect(CSVCell.text("a\r\nb").encoded == "\"a\r\nb\"")
        #expect(CSVCell.text("x\"\u{301}y").encoded == "\"x\"\"\u{301}y\"")
    }

    @Test func numbersAreNeverGuarded() {
        #expect(CSVCell.number("-8.90").encoded == "-8.90")
    }
}

struct JSONValueTests {
    @Test func writesKeysInOrderWithTwoSpaceIndent() {
        let doc: JSONValue = .object([("b", .int(1)), ("a", .array([.string("x"), .null, .bool(true)])), ("e", .object([]))])
        #expect(doc.text == "{\n  \"b\": 1,\n  \"a\": [\n    \"x\",\n    null,\n    true\n  ],\n  \"e\": {}\n}\n")
    }

    @Test func escapesControlCharactersAndQuotes() {
        #expect(JSONValue.string("a\"b\\c\nd\u{01}é").text == "\"a\\\"b\\\\c\\nd\\u0001é\"\n")
    }

    @Test func exactRatiosAndMissingValues() {
        #expect(JSONValue.exact(nil) == .null)
        #expect(JSONValue.decimal("") == .null)
        #expect(JSONValue.decimal("99.9000").text == "99.9000\n")
    }
}

struct FormatTests {
    /// 3 723 000 ms = 1 h 2 min 3 s; 90 061 500 ms = 1 d 1 h 1 min 1.5 s.
    @Test(arguments: [
        (Int64(0), "0 s"), (45_000, "45 s"), (720_000, "12 min"), (3_600_000, "1 h"), (7_500_000, "2 h 05 min"),
        (3_723_000, "1 h 02 min 3 s"), (90_061_500, "1 d 1 h 01 min 1.500 s"), (2_682_000_000, "31 d 1 h"),
    ])
    func humanDurations(ms: Int64, text: String) {
        #expect(Format.humanDuration(ms) == text)
    }

    @Test func percentIsEmptyWithoutValue() {
        #expect(Format.percent(nil) == "")
    }
}

struct MarkdownCellTests {
    @Test func escapesTableBreakingCharacters() {
        #expect(MarkdownReport.cell("a|b *c* [d](e)\nf") == "a\\|b \\*c\\* \\[d\\](e) f")
        // CR LF (one `Character`) and a pipe carrying a combining accent are neutralised too.
        #expect(MarkdownReport.cell("a\r\nb|\u{301}c") == "a  b\\|\u{301}c")
    }
}

struct CSVBytesTests {
    /// The byte shortcut for cells without quotes or line breaks gives what the character-wise path gives.
    @Test func plainCellsAreCopiedAndOthersQuoted() {
        let table = CSVTable(header: ["a", "b", "c"], rows: [
            [.text("Zürich"), .number("-8.90"), .text("-x,y")],
            [.text("=1+2"), .text("🇩🇪"), .text("")],
        ])
        #expect(table.text == "a,b,c\nZürich,-8.90,\"'-x,y\"\n'=1+2,🇩🇪,\n")
        #expect(table.bytes == Array(table.text.utf8))
    }
}

struct TimestampTextsTests {
    /// The memo gives `Format.timestamp`'s text, the first time and every time after.
    @Test func remembersWhatFormatGives() {
        let timestamp = TimestampTexts()
        for t: Millis in [0, 1_790_812_800_000, 1_790_812_800_250, -1, 1_790_812_800_000] {
            #expect(timestamp(t) == Format.timestamp(t))
        }
    }
}
