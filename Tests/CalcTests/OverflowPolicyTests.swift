import Testing
@testable import Calc

/// The overflow policy: exact arithmetic on figures that come from input throws `ArithmeticOverflowError` (the
/// caller names the place) or gives the exact answer; it never traps. Each case below trapped before.
@Suite("Overflow policy")
struct OverflowPolicyTests {
    /// 2^126 is within Int128 (max ≈ 1.7 × 10^38), twice it is not.
    static let big = Ratio(Int128(1) << 126, 1)

    @Test func ratioArithmeticThrowsInsteadOfTrapping() {
        #expect(throws: ArithmeticOverflowError()) { _ = try Self.big + Self.big }
        #expect(throws: ArithmeticOverflowError()) { _ = try Ratio(0, 1) - Self.big - Self.big - Self.big }
        #expect(throws: ArithmeticOverflowError()) { _ = try Self.big * Ratio(2) }
        #expect(throws: ArithmeticOverflowError()) { _ = try Self.big / Ratio(1, 2) }
        #expect(throws: ArithmeticOverflowError(.divisionByZero)) { _ = try Ratio(1) / .zero }
        // −2^127 has no reciprocal with a positive 128-bit denominator.
        #expect(throws: ArithmeticOverflowError()) { _ = try Ratio(1) / Ratio(Int128.min, 1) }
    }

    /// Values whose cross products leave 128 bits still compare exactly (continued fractions).
    @Test func comparisonIsExactBeyond128Bits() {
        let a = Ratio((Int128(1) << 125) + 1, (Int128(1) << 125))   // 1 + 2^-125
        let b = Ratio((Int128(1) << 125) + 3, (Int128(1) << 125) + 2)  // 1 + 1/(2^125 + 2)
        #expect(b < a)
        #expect(!(a < b))
        #expect(Ratio(1) < a)
    }

    /// What `scaled` cannot return is an error; `formatted` still writes the exact text.
    @Test func scalingAndFormattingHugeValues() throws {
        #expect(throws: ArithmeticOverflowError()) { _ = try Self.big.scaled(places: 4) }
        // 2^126 = 85070591730234615865843651857942052864.
        #expect(Self.big.formatted(places: 4) == "85070591730234615865843651857942052864.0000")
        #expect(Ratio(-(Int128(1) << 126) - 1, 2).formatted(places: 1) == "-42535295865117307932921825928971026432.5")
        // (2^127 − 1) / 3 = 56713727820156410577229101238628035242 + 1/3.
        #expect(Ratio(Int128.max, 3).formatted(places: 2) == "56713727820156410577229101238628035242.33")
        // The usual cases keep ties to even and half-up away from zero.
        #expect(try Ratio(12_345, 1000).scaled(places: 2) == 1234)
        #expect(try Ratio(12_355, 1000).scaled(places: 2) == 1236)
        #expect(try Ratio(-12_345, 1000).scaled(places: 2, rounding: .halfUp) == -1235)
        #expect(try Ratio(5, 2).scaled(places: 0) == 2)
        #expect(try Ratio(7, 2).scaled(places: 0) == 4)
    }

    /// The reproducer of issue 11: a metric value with 26 significant digits (11 before the point, 15 after)
    /// crashed the import writing its exact text; it is stored exactly.
    @Test func metricValueWithManyDigitsKeepsItsExactText() throws {
        let value = try MetricValue.parsing("12345678901.123456789012345")
        #expect(value.description == "12345678901.123456789012345")
        // 30 digits: 20 before the point is the limit (1e20), so this is an error with a reason, not a crash.
        #expect(throws: MetricValueError.tooLarge("123456789012345678901234567890")) {
            try MetricValue.parsing("123456789012345678901234567890")
        }
        let smallest = try MetricValue.parsing("0.000000000000000001")
        #expect(smallest.description == "0.000000000000000001")
    }

    /// A million leases with a fee of 10^15 USD (10^17 cents each): their credits at 100 % add up past 64-bit minor
    /// units (Int64.max ≈ 9.22 × 10^18 cents, so 92 such credits fit and 93 do not); the sum says so.
    @Test func aMillionLargeCreditsOverflowWhenAddedUp() throws {
        let usd = Currency(code: "USD")
        let credit = try Money(rounding: Ratio(1_000_000_000_000_000), currency: usd, rounding: .halfEven)
        #expect(try Money.sum(Array(repeating: credit, count: 92), currency: usd).minorUnits == 9_200_000_000_000_000_000)
        #expect(throws: ArithmeticOverflowError()) { _ = try Money.sum(Array(repeating: credit, count: 93), currency: usd) }
        #expect(throws: ArithmeticOverflowError()) {
            _ = try Money.sum(Array(repeating: credit, count: 1_000_000), currency: usd)
        }
    }

    /// Year 9999 is the last instant a timestamp can name; its figures compute exactly.
    @Test func year9999() throws {
        let last = try Timestamp.parse("9999-12-31T23:59:59.999Z")
        #expect(Timestamp.format(last) == "9999-12-31T23:59:59.999Z")
        let december = Interval(start: try Timestamp.parse("9999-12-01T00:00:00Z"), end: last + 1)
        let stats = try UptimeStats(timeline: Timeline(range: december, segments: [
            Segment(start: december.start, end: december.end, state: .up)]), window: december,
            policy: StatusPolicy(), service: "api")
        #expect(stats.uptimePercent == Ratio.hundred)
        #expect(stats.eligibleMs == 31 * 86_400_000)
    }
}
