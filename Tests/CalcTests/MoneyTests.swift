import Testing
@testable import Calc

private let usd = Currency(code: "USD")
private let jpy = Currency(code: "JPY")
private let kwd = Currency(code: "KWD")

@Suite("Money")
struct MoneyTests {
    @Test func currencyDigits() throws {
        #expect(usd.minorUnitDigits == 2)
        #expect(jpy.minorUnitDigits == 0)
        #expect(kwd.minorUnitDigits == 3)
    }

    @Test func formatting() throws {
        #expect(Money(minorUnits: 123_450, currency: usd).formatted == "1234.50")
        #expect(Money(minorUnits: -890, currency: usd).formatted == "-8.90")
        #expect(Money(minorUnits: 0, currency: usd).formatted == "0.00")
        #expect(Money(minorUnits: 5, currency: usd).formatted == "0.05")
        #expect(Money(minorUnits: -5, currency: usd).formatted == "-0.05")
        // No grouping however large: 1 234 567 890.12.
        #expect(Money(minorUnits: 123_456_789_012, currency: usd).formatted == "1234567890.12")
        #expect(Money(minorUnits: 1235, currency: jpy).formatted == "1235")
        #expect(Money(minorUnits: -1, currency: jpy).formatted == "-1")
        #expect(Money(minorUnits: 0, currency: jpy).formatted == "0")
        #expect(Money(minorUnits: 1234, currency: kwd).formatted == "1.234")
        #expect(Money(minorUnits: 7, currency: kwd).formatted == "0.007")
        #expect(Money(minorUnits: 123_450, currency: usd).description == "1234.50 USD")
    }

    @Test func roundingATieOnceToTheMinorUnit() throws {
        // 12.345 USD is 1234.5 cents, a tie: half-even keeps the even 1234, half-up goes away from zero.
        let tie = Ratio(12_345, 1000)
        #expect(try Money(rounding: tie, currency: usd, rounding: .halfEven).formatted == "12.34")
        #expect(try Money(rounding: tie, currency: usd, rounding: .halfUp).formatted == "12.35")
        // 12.355 → 1235.5 cents: the even neighbour is 1236, so both modes agree.
        #expect(try Money(rounding: Ratio(12_355, 1000), currency: usd, rounding: .halfEven).formatted == "12.36")
        #expect(try Money(rounding: Ratio(12_355, 1000), currency: usd, rounding: .halfUp).formatted == "12.36")
        // Negative ties: half-up is away from zero, half-even to the even cent.
        #expect(try Money(rounding: Ratio(-12_345, 1000), currency: usd, rounding: .halfEven).formatted == "-12.34")
        #expect(try Money(rounding: Ratio(-12_345, 1000), currency: usd, rounding: .halfUp).formatted == "-12.35")
        // Not a tie: 12.3451 is above the midpoint, both round up.
        #expect(try Money(rounding: Ratio(123_451, 10000), currency: usd, rounding: .halfEven).formatted == "12.35")
        // 1/3 USD = 33.33… cents → 33.
        #expect(try Money(rounding: Ratio(1, 3), currency: usd, rounding: .halfUp).minorUnits == 33)
        // JPY has no minor unit: 1234.5 → 1234 (even) or 1235; KWD keeps three: 1.2345 → 1.234 or 1.235.
        #expect(try Money(rounding: Ratio(12_345, 10), currency: jpy, rounding: .halfEven).formatted == "1234")
        #expect(try Money(rounding: Ratio(12_345, 10), currency: jpy, rounding: .halfUp).formatted == "1235")
        #expect(try Money(rounding: Ratio(12_345, 10000), currency: kwd, rounding: .halfEven).formatted == "1.234")
        #expect(try Money(rounding: Ratio(12_345, 10000), currency: kwd, rounding: .halfUp).formatted == "1.235")
    }

    @Test func parsingAcceptsUpToTheMinorUnit() throws {
        func parse(_ text: String, _ currency: Currency = usd) throws -> Money {
            try Money(parsing: Substring(text), currency: currency)
        }
        #expect(try parse("1234.50").minorUnits == 123_450)
        #expect(try parse("1234.5").minorUnits == 123_450)   // fewer decimals are padded
        #expect(try parse("1200").minorUnits == 120_000)
        #expect(try parse("-8.90").minorUnits == -890)
        #expect(try parse("0").minorUnits == 0)
        #expect(try parse("007.10").minorUnits == 710)
        #expect(try parse("-0.00").formatted == "0.00")       // no negative zero
        #expect(try parse("1235", jpy).minorUnits == 1235)
        #expect(try parse("1.234", kwd).minorUnits == 1234)
        #expect(try parse("1.2", kwd).minorUnits == 1200)
        // Int64.max is 9 223 372 036 854 775 807 cents.
        #expect(try parse("92233720368547758.07").minorUnits == Int64.max)
        // Parsing and formatting round-trip.
        for text in ["1234.50", "-8.90", "0.00", "0.01"] { #expect(try parse(text).formatted == text) }
        #expect(try parse("1.234", kwd).formatted == "1.234")
    }

    @Test func parsingRejectsMoreDecimalsThanTheCurrencyHas() throws {
        #expect(throws: MoneyParseError("too many decimals in \"12.345\": USD has 2 minor-unit digits")) {
            try Money(parsing: "12.345", currency: usd)
        }
        // Even a zero: JPY has no minor unit, so "1235.0" claims a precision the currency does not have.
        #expect(throws: MoneyParseError("too many decimals in \"1235.0\": JPY has 0 minor-unit digits")) {
            try Money(parsing: "1235.0", currency: jpy)
        }
        #expect(throws: MoneyParseError("too many decimals in \"1.2345\": KWD has 3 minor-unit digits")) {
            try Money(parsing: "1.2345", currency: kwd)
        }
    }

    @Test(arguments: ["", "-", ".5", "5.", "+5", "--1", "1,234.50", "1 234", "12abc", "1e3", " 12", "12 ",
                      "$12", "12.3.4", "1.-5", "Infinity", "NaN", "١٢"])
    func parsingRejectsMalformedText(text: String) throws {
        let reason = "not an amount: \"\(text)\" (expected digits with an optional - and decimal point, e.g. 1234.50)"
        #expect(throws: MoneyParseError(reason)) { try Money(parsing: Substring(text), currency: usd) }
    }

    @Test func parsingRejectsOutOfRange() throws {
        // One cent more than Int64.max cents.
        #expect(throws: MoneyParseError("amount out of range: \"92233720368547758.08\"")) {
            try Money(parsing: "92233720368547758.08", currency: usd)
        }
        #expect(throws: MoneyParseError("amount out of range: \"100000000000000000000\"")) {
            try Money(parsing: "100000000000000000000", currency: jpy)
        }
    }

    @Test func arithmetic() throws {
        func m(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: usd) }
        #expect(try (m(1234) + m(66)).formatted == "13.00")
        #expect(try (m(100) - m(890)).formatted == "-7.90")
        #expect(try (-m(890)).formatted == "-8.90")
        #expect(try (-m(-890)).formatted == "8.90")
        var running = m(0)
        try running += m(5)
        try running -= m(7)
        #expect(running == m(-2))
        // 0.01 + 0.02 + 0.03 = 0.06, exactly (no binary floating point anywhere).
        #expect(try Money.sum([m(1), m(2), m(3)], currency: usd).formatted == "0.06")
        #expect(try Money.sum([Money](), currency: usd) == .zero(usd))
        #expect(m(-1) < m(0))
        #expect(max(m(-5), .zero(usd)) == .zero(usd))
        #expect(m(-1).isNegative && !m(0).isNegative)
        // The exact value: 1234.50 = 123450/100 = 2469/2.
        #expect(m(123_450).ratio == Ratio(2469, 2))
        #expect(Money(minorUnits: 1234, currency: kwd).ratio == Ratio(1234, 1000))
        #expect(Money(minorUnits: 1234, currency: jpy).ratio == Ratio(1234))
    }

    /// These trapped before the overflow policy: now each is an error the caller reports with its place.
    @Test func overflowThrows() throws {
        let usd = Currency(code: "USD")
        #expect(throws: ArithmeticOverflowError()) {
            _ = try Money(minorUnits: .max, currency: usd) + Money(minorUnits: 1, currency: usd)
        }
        #expect(throws: ArithmeticOverflowError()) {
            _ = try Money(minorUnits: .min, currency: usd) - Money(minorUnits: 1, currency: usd)
        }
        #expect(throws: ArithmeticOverflowError()) { _ = try -Money(minorUnits: .min, currency: usd) }
        #expect(throws: ArithmeticOverflowError()) {
            _ = try Money.sum([Money(minorUnits: .max, currency: usd), Money(minorUnits: 1, currency: usd)], currency: usd)
        }
        #expect(throws: ArithmeticOverflowError()) {
            // 10^17 USD is 10^19 cents, past Int64.max ≈ 9.22 × 10^18.
            _ = try Money(rounding: Ratio(100_000_000_000_000_000), currency: usd, rounding: .halfEven)
        }
        // A fee of 10^15 USD is 10^17 cents: exact, and a million such leases' credits overflow only when added up.
        #expect(try Money(rounding: Ratio(1_000_000_000_000_000), currency: usd, rounding: .halfEven).minorUnits
                == 100_000_000_000_000_000)
    }

    @Test func mixingCurrenciesTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = try? Money(minorUnits: 1, currency: Currency(code: "USD")) + Money(minorUnits: 1, currency: Currency(code: "EUR"))
        }
    }
}
