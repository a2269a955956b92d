import Testing
@testable import Calc

@Suite("Ratio")
struct RatioTests {
    @Test func reducesAndKeepsTheDenominatorPositive() throws {
        let r = Ratio(6, 4)
        #expect((r.numerator, r.denominator) == (3, 2))
        let negativeDenominator = Ratio(6, -4)
        #expect((negativeDenominator.numerator, negativeDenominator.denominator) == (-3, 2))
        let bothNegative = Ratio(-10, -4)
        #expect((bothNegative.numerator, bothNegative.denominator) == (5, 2))
        // Zero has one representation, so equality and hashing agree.
        let zero = Ratio(0, -7)
        #expect((zero.numerator, zero.denominator) == (0, 1))
        #expect(zero == .zero)
        #expect(Set([Ratio(1, 2), Ratio(2, 4), Ratio(-3, -6)]).count == 1)
        #expect(Ratio(6, 4).description == "3/2")
        #expect(Ratio(Int64(7)) == Ratio(7, 1))
    }

    /// Magnitudes within 64 bits are written digit by digit into the string; wider ones join padded parts.
    /// Both must give the same text, sign, leading zeros and point included.
    @Test func decimalTextWritesLikeTheGeneralPath() throws {
        var values: [Int128] = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -890, Int128(Int64.max), -Int128(Int64.max),
                                Int128(UInt64.max), -Int128(UInt64.max)]
        var v: Int128 = 7
        while v < Int128(UInt64.max) / 3 { values += [v, -v, v + 1]; v = v * 3 + 1 }
        for value in values {
            for places in 0...20 {
                #expect(DecimalText.format(scaled: value, places: places)
                    == DecimalText.formatByParts(scaled: value, places: places), "\(value) at \(places)")
            }
        }
        #expect(DecimalText.format(scaled: -890, places: 2) == "-8.90")
        #expect(DecimalText.format(scaled: 5, places: 4) == "0.0005")
        #expect(DecimalText.format(scaled: -5_000, places: 4) == "-0.5000")
        #expect(DecimalText.format(scaled: 0, places: 0) == "0")
        #expect(DecimalText.format(scaled: Int128(UInt64.max) + 1, places: 2) == "184467440737095516.16")
    }

    /// The greatest common divisor takes a 64-bit path when both numbers fit; both paths must agree.
    @Test func reducesOnBothSidesOf64Bits() throws {
        #expect(Ratio.gcd(UInt128(12), UInt128(18)) == 6)
        #expect(Ratio.gcd(UInt128(0), UInt128(0)) == 1)       // so Ratio(0, d) becomes 0/1
        #expect(Ratio.gcd(UInt128(0), UInt128(7)) == 7)
        // 2^70 · 3 and 2^70 · 5 do not fit in 64 bits: the common factor is 2^70.
        let big = UInt128(1) << 70
        #expect(Ratio.gcd(big * 3, big * 5) == big)
        let r = Ratio(Int128(big) * 3, Int128(big) * 5)
        #expect((r.numerator, r.denominator) == (3, 5))
        // One side beyond 64 bits, the other within: 2^64 · 9 and 6 share 3 · 2 = 6.
        #expect(Ratio.gcd((UInt128(1) << 64) * 9, UInt128(6)) == 6)
        // Already in lowest terms: kept as given (the sign moved to the numerator).
        let lowest = Ratio(7, -3)
        #expect((lowest.numerator, lowest.denominator) == (-7, 3))
    }

    @Test func arithmetic() throws {
        #expect(try Ratio(1, 3) + Ratio(1, 6) == Ratio(1, 2))   // 2/6 + 1/6 = 3/6
        #expect(try Ratio(1, 2) - Ratio(3, 4) == Ratio(-1, 4))  // 2/4 − 3/4
        #expect(try Ratio(2, 3) * Ratio(9, 4) == Ratio(3, 2))   // 18/12
        #expect(try Ratio(1, 2) / Ratio(1, 4) == Ratio(2, 1))
        #expect(try Ratio(1, 2) / Ratio(-1, 4) == Ratio(-2, 1)) // dividing by a negative keeps the denominator positive
        #expect(try Ratio.hundred * Ratio(1, 3) == Ratio(100, 3))
    }

    @Test func comparisonsAtTheTargetAreExact() throws {
        let target = try #require(DecimalText.parse("99.9"))
        #expect(target == Ratio(999, 10))
        #expect(DecimalText.parse("99.90") == target)       // trailing zero: same number
        #expect(!(Ratio(999, 10) < target))                 // exactly at target meets `gte`
        #expect(try #require(DecimalText.parse("99.89999")) < target)
        #expect(target < (try #require(DecimalText.parse("99.900001"))))

        // A 30-day month is 2 592 000 000 ms; 0.1 % of it is 2 592 000 ms down.
        let month: Int128 = 2_592_000_000
        let exactlyAtTarget = Ratio(100 * (month - 2_592_000), month)
        #expect(exactlyAtTarget == target)                  // 100 × 2 589 408 000 / 2 592 000 000 = 99.9
        // One more millisecond down: 99.899999961…%, which *prints* as 99.9000 at 4 places
        // yet misses the target. Comparisons must use the ratio, never the rounded text.
        let oneMsMore = Ratio(100 * (month - 2_592_001), month)
        #expect(oneMsMore < target)
        #expect(oneMsMore.formatted(places: 4) == "99.9000")
    }

    @Test func comparesNegativesAndMixedSigns() throws {
        #expect(Ratio(-1, 2) < Ratio(1, 3))
        #expect(Ratio(-2, 3) < Ratio(-1, 2))                // −0.667 < −0.5
        #expect(!(Ratio(-1, 2) < Ratio(-2, 4)))
        #expect([Ratio(3, 4), Ratio(-1, 1), Ratio(1, 3)].sorted() == [Ratio(-1, 1), Ratio(1, 3), Ratio(3, 4)])
    }
}

@Suite("Rounding and formatting")
struct RoundingTests {
    @Test(arguments: [
        // (numerator, denominator, half-even, half-up) for a / b rounded to an integer
        (5, 2, 2, 3),     //  2.5: tie, 2 is even; half-up goes away from zero
        (7, 2, 4, 4),     //  3.5: tie, 4 is even
        (-5, 2, -2, -3),  // −2.5: tie, −2 is even; half-up goes away from zero
        (-7, 2, -4, -4),  // −3.5: tie, −4 is even
        (1, 3, 0, 0),     //  0.333 rounds down either way
        (2, 3, 1, 1),     //  0.667 rounds up either way
        (-2, 3, -1, -1),  // −0.667 rounds away from zero either way
        (6, 3, 2, 2),     // exact
    ] as [(Int128, Int128, Int128, Int128)])
    func divide(a: Int128, b: Int128, halfEven: Int128, halfUp: Int128) {
        #expect(Rounding.halfEven.divide(a, by: b) == halfEven)
        #expect(Rounding.halfUp.divide(a, by: b) == halfUp)
    }

    @Test func scaledKeepsTheLastDigit() throws {
        // 12.345 at 2 places: 1234.5 is a tie → 1234 (even) or 1235 (half-up).
        #expect(try Ratio(12_345, 1_000).scaled(places: 2) == 1_234)
        #expect(try Ratio(12_345, 1_000).scaled(places: 2, rounding: .halfUp) == 1_235)
        #expect(try Ratio(2, 3).scaled(places: 0) == 1)
    }

    @Test(arguments: [
        // (value as text, half-even at 4 places, half-up at 4 places)
        ("0.00005", "0.0000", "0.0001"),   // tie between 0 and 1: 0 is even
        ("0.00015", "0.0002", "0.0002"),   // tie between 1 and 2: 2 is even
        ("0.00025", "0.0002", "0.0003"),   // tie between 2 and 3: 2 is even
        ("0.00035", "0.0004", "0.0004"),   // tie between 3 and 4: 4 is even
        ("0.000051", "0.0001", "0.0001"),  // just above half: up either way
        ("0.000049", "0.0000", "0.0000"),  // just below half: down either way
        ("99.99995", "100.0000", "100.0000"),  // tie between 999 999 and 1 000 000 (even) carries into the integer
        ("-0.00015", "-0.0002", "-0.0002"),
        ("-0.00005", "0.0000", "-0.0001"),  // rounds to zero: no "-0.0000"
        ("-0.5", "-0.5000", "-0.5000"),     // a negative value keeps its sign
        ("100", "100.0000", "100.0000"),
    ])
    func formattedAtFourPlaces(text: String, halfEven: String, halfUp: String) throws {
        let value = try #require(DecimalText.parse(Substring(text)))
        #expect(value.formatted(places: 4) == halfEven)
        #expect(value.formatted(places: 4, rounding: .halfUp) == halfUp)
    }

    @Test func formattedRepeatingDecimals() throws {
        #expect(Ratio(2, 3).formatted(places: 4) == "0.6667")
        #expect(Ratio(1, 3).formatted(places: 4) == "0.3333")
        // 2000/21 = 95.238095… → 95.2381
        #expect(Ratio(2_000, 21).formatted(places: 4) == "95.2381")
        #expect(Ratio(-89, 10).formatted(places: 2) == "-8.90")
        // Zero places: 5/2 = 2.5 → 2 (even) / 3 (half-up).
        #expect(Ratio(5, 2).formatted(places: 0) == "2")
        #expect(Ratio(5, 2).formatted(places: 0, rounding: .halfUp) == "3")
    }
}

@Suite("DecimalText")
struct DecimalTextTests {
    @Test(arguments: [
        ("-8.90", Ratio(-89, 10)),
        ("99.9", Ratio(999, 10)),
        ("1200", Ratio(1_200, 1)),
        ("1200.00", Ratio(1_200, 1)),
        ("0.005", Ratio(1, 200)),
        ("+5", Ratio(5, 1)),
        ("-0", Ratio.zero),
        ("007", Ratio(7, 1)),
        // 18 integer digits and 18 decimals are the longest accepted.
        ("999999999999999999.999999999999999999",
         Ratio(999_999_999_999_999_999_999_999_999_999_999_999, 1_000_000_000_000_000_000)),
    ] as [(String, Ratio)])
    func accepts(text: String, expected: Ratio) {
        #expect(DecimalText.parse(Substring(text)) == expected)
    }

    @Test(arguments: [
        "12abc", "1,5", "", ".5", "5.", "1e3", "1E3", "-", "+", "--5", "+-5", " 5", "5 ", "1 000", "1.2.3",
        "0x10", "NaN", "inf", "١٢",  // Arabic-Indic digits are not ASCII digits
        "1234567890123456789",       // 19 integer digits
        "0.1234567890123456789",     // 19 decimals
    ])
    func rejects(text: String) throws {
        #expect(DecimalText.parse(Substring(text)) == nil)
    }

    @Test func format() throws {
        #expect(DecimalText.format(scaled: -890, places: 2) == "-8.90")
        #expect(DecimalText.format(scaled: 5, places: 4) == "0.0005")
        #expect(DecimalText.format(scaled: 0, places: 2) == "0.00")
        #expect(DecimalText.format(scaled: 1_234, places: 0) == "1234")
        #expect(DecimalText.format(scaled: -5, places: 1) == "-0.5")
        #expect(DecimalText.format(scaled: 1_000_000, places: 4) == "100.0000")
    }

    @Test func parseThenFormatRoundTripsMoney() throws {
        for text in ["-8.90", "1200.00", "0.01", "50000.00", "-0.05"] {
            let value = try #require(DecimalText.parse(Substring(text)))
            #expect(value.formatted(places: 2) == text)
        }
    }
}
