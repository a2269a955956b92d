import Calc
import Testing
@testable import Render

/// The shortcuts `XLSXCell.measured` takes must give the column widths the plain definitions give.
struct XLSXCellTests {
    /// `groupedCount` is `grouped(_:).count` without building the text: one comma per three whole digits.
    @Test(arguments: ["0", "7", "999", "1000", "-1000", "123456", "1234567", "-999999.999", "1234567.89", "-8.90",
                      "100.0000", "12345678901234567890"])
    func groupedCountIsTheLengthOfTheGroupedText(text: String) {
        #expect(XLSXCell.groupedCount(text) == XLSXCell.grouped(text).count)
    }

    /// Printable ASCII counts bytes; anything else (accents, emoji, a CR LF pair, which is one character) is
    /// counted as Swift counts characters.
    @Test(arguments: ["svc-001", "", "Zürich", "🇩🇪 DE", "a\r\nb", "tab\there", "L-0001 Bench Customer"])
    func characterCountIsTheStringsCount(text: String) {
        #expect(XLSXCell.characterCount(text) == text.count)
    }

    /// Widths as a person reads the cell; money is its grouped amount plus 3 and the code's length
    /// (`1,234,567.89` is 12, so 18).
    @Test func widthsFollowTheShownText() {
        let usd = Currency(code: "USD")
        #expect(XLSXCell.money(Money(minorUnits: 123_456_789, currency: usd)).displayWidth == 18)
        #expect(XLSXCell.money(Money(minorUnits: -890, currency: usd)).displayWidth == 11)  // -8.90: 5 + 3 + 3
        #expect(XLSXCell.integer(2_678_400_000).displayWidth == 13)                        // 2,678,400,000
        #expect(XLSXCell.percent(Ratio(200, 3)).displayWidth == 7)                          // 66.6667
        #expect(XLSXCell.percent(nil).displayWidth == 0)
        #expect(XLSXCell.decimal3(Ratio(1_234_567, 1000)).displayWidth == 9)                // 1,234.567
        #expect(XLSXCell.text("Zürich").displayWidth == 6)
        #expect(XLSXCell.instant(0).displayWidth == 19)
        let total = XLSXCell.sum(range: "N2:N9", cached: .money(Money(minorUnits: 100_000, currency: usd)))
        #expect(total.measured.width == 14 && total.measured.number == 1000)                 // 1,000.00: 8 + 3 + 3
    }

    /// The format key names the same format string the cell always had.
    @Test func numberFormatKeysGiveTheFormatStrings() {
        #expect(XLSXCell.money(Money(minorUnits: 1, currency: Currency(code: "KWD"))).numberFormat == "#,##0.000 \"KWD\"")
        #expect(XLSXCell.integer(1).numberFormat == "#,##0")
        #expect(XLSXCell.percent(nil).numberFormat == "0.0000")
        #expect(XLSXCell.sum(range: "A1:A2", cached: .integer(3)).numberFormat == "#,##0")
        #expect(XLSXCell.text("x").numberFormat == nil)
    }
}
