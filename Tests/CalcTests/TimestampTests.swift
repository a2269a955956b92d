import Testing
@testable import Calc

/// 2026-10-01T00:00:00Z. 2026-10-01 is day 20 727 after 1970-01-01: the 56 years 1970–2025 have
/// 56 × 365 + 14 leap days (1972, 1976, …, 2024) = 20 454 days, and January–September 2026 have
/// 31+28+31+30+31+30+31+31+30 = 273 → 20 727 days × 86 400 s = 1 790 812 800 s.
private let october1: Millis = 1_790_812_800_000

@Suite("Timestamp.parse: RFC 3339")
struct TimestampRFC3339Tests {
    @Test func helperAgreesWithTheHandDerivedEpoch() {
        // Guards the `utc(…)` helper the other suites rely on.
        #expect(utc(2026, 10, 1) == october1)
    }

    /// The allocation-free path agrees with `parse` wherever it answers, and leaves the rest to it.
    @Test func fastEpochSecondsAgreeWithParse() throws {
        for text in ["1790812800", "1790812800.125", "1790812800.1", "1790812800.1259", "0", "0.5", "999999999999",
                     "1790812800.000"] {
            #expect(Timestamp.epochMillisFast(text) == (try Timestamp.parse(Substring(text))), "\(text)")
        }
        #expect(Timestamp.epochMillisFast("1790812800.1") == 1_790_812_800_100)
        for text in ["-5", "1e9", "", ".", "1.", ".5", "1.2.3", "1234567890123", "+1", "17908 12800"] {
            #expect(Timestamp.epochMillisFast(text) == nil, "\(text)")
        }
    }

    @Test func zulu() throws {
        #expect(try Timestamp.parse("2026-10-01T00:00:00Z") == october1)
        // RFC 3339 §5.6 allows lower-case t/z; §4 of the SPEC shows the space separator.
        #expect(try Timestamp.parse("2026-10-01t00:00:00z") == october1)
        #expect(try Timestamp.parse("2026-10-01 00:00:00Z") == october1)
        // 13:45:30 = 13 × 3 600 + 45 × 60 + 30 = 49 530 s.
        #expect(try Timestamp.parse("2026-10-01T13:45:30Z") == october1 + 49_530_000)
    }

    @Test func positiveOffsetIsSubtracted() throws {
        // 02:00 at UTC+2 is midnight UTC.
        #expect(try Timestamp.parse("2026-10-01T02:00:00+02:00") == october1)
        // Midnight at UTC+2 is 22:00 UTC the day before: 2 h = 7 200 000 ms earlier.
        #expect(try Timestamp.parse("2026-10-01T00:00:00+02:00") == october1 - 7_200_000)
    }

    @Test func negativeHalfHourOffsetIsAdded() throws {
        // 18:30 at UTC−05:30 is 18:30 + 5:30 = 24:00 UTC, i.e. the next midnight.
        #expect(try Timestamp.parse("2026-09-30T18:30:00-05:30") == october1)
        // Midnight at UTC−05:30 is 05:30 UTC = 19 800 000 ms after midnight UTC.
        #expect(try Timestamp.parse("2026-10-01T00:00:00-05:30") == october1 + 19_800_000)
        // India's +05:30 the other way round.
        #expect(try Timestamp.parse("2026-10-01T05:30:00+05:30") == october1)
    }

    @Test func fractionalSecondsAreKeptToTheMillisecondAndTruncated() throws {
        #expect(try Timestamp.parse("2026-10-01T00:00:00.5Z") == october1 + 500)
        #expect(try Timestamp.parse("2026-10-01T00:00:00.05Z") == october1 + 50)
        #expect(try Timestamp.parse("2026-10-01T00:00:00.123Z") == october1 + 123)
        // .123456 → 123 ms; the 456 µs are dropped, not rounded.
        #expect(try Timestamp.parse("2026-10-01T00:00:00.123456Z") == october1 + 123)
        // .9999999 must stay inside the second: truncation, not rounding up to 01 s.
        #expect(try Timestamp.parse("2026-10-01T00:00:00.9999999Z") == october1 + 999)
        // With an offset the fraction still counts: 02:00:00.250+02:00 = 00:00:00.250Z.
        #expect(try Timestamp.parse("2026-10-01T02:00:00.250+02:00") == october1 + 250)
    }

    @Test func leapDayExistsOnlyInLeapYears() throws {
        // 2024-02-29: 54 years 1970–2023 = 54 × 365 + 13 leap days = 19 723 days, + 31 + 28 = 19 782 days
        // × 86 400 000 = 1 709 164 800 000 ms.
        #expect(try Timestamp.parse("2024-02-29T00:00:00Z") == 1_709_164_800_000)
        #expect(throws: TimeParseError("date or time out of range: \"2026-02-29T00:00:00Z\"")) {
            try Timestamp.parse("2026-02-29T00:00:00Z")
        }
    }

    @Test func aDateTimeWithoutOffsetIsRejected() {
        #expect(throws: TimeParseError("timestamp has no UTC offset: \"2026-10-01T00:00:00\"")) {
            try Timestamp.parse("2026-10-01T00:00:00")
        }
        // The exact message STYLE.md shows for `exports/status.csv:42:17`.
        #expect(throws: TimeParseError("timestamp has no UTC offset: \"2026-10-01 00:00:00\"")) {
            try Timestamp.parse("2026-10-01 00:00:00")
        }
        #expect(throws: TimeParseError("timestamp has no UTC offset: \"2026-10-01T00:00:00.5\"")) {
            try Timestamp.parse("2026-10-01T00:00:00.5")
        }
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z",  // month 13
        "2026-00-10T00:00:00Z",  // month 0
        "2026-02-30T00:00:00Z",  // February 30
        "2026-04-31T00:00:00Z",  // April has 30 days
        "2026-10-00T00:00:00Z",  // day 0
        "2026-10-01T24:00:00Z",  // hour 24
        "2026-10-01T00:60:00Z",  // minute 60
        "2026-10-01T00:00:60Z",  // second 60 (leap seconds are not representable in Millis)
    ])
    func outOfRangeFields(text: String) {
        #expect(throws: TimeParseError("date or time out of range: \"\(text)\"")) {
            try Timestamp.parse(Substring(text))
        }
    }

    @Test(arguments: [
        "garbage",
        "2026-10-01",                    // a date is not a timestamp
        "2026-10-01X00:00:00Z",          // bad separator
        "2026-10-01T00:00:00.Z",         // a dot without digits
        "2026-10-01T00:00:00+0200",      // offset without colon
        "2026-10-01T00:00:00+02",        // offset without minutes
        "2026-10-01T00:00:00+24:00",     // offset hour out of range
        "2026-10-01T00:00:00Z junk",     // trailing text
        "2026-10-01T00:00:00 Z",         // space before the zone
        "2026-1O-01T00:00:00Z",          // letter O for zero
        "1790812800-",                   // epoch with a stray minus goes down the RFC path
    ])
    func malformedText(text: String) {
        #expect(throws: TimeParseError("not an RFC 3339 timestamp: \"\(text)\"")) {
            try Timestamp.parse(Substring(text))
        }
    }

    @Test func emptyText() {
        #expect(throws: TimeParseError("empty timestamp")) { try Timestamp.parse("") }
    }

    @Test func messageIsTheDescription() {
        // Report prints `String(describing:)` after `file:line:column: error: `.
        #expect(TimeParseError("timestamp has no UTC offset: \"x\"").description == "timestamp has no UTC offset: \"x\"")
    }
}

@Suite("Timestamp.parse: Unix epoch seconds")
struct TimestampEpochTests {
    @Test func integerSeconds() throws {
        #expect(try Timestamp.parse("1790812800") == october1)
        #expect(try Timestamp.parse("0") == 0)
        // Leading zeros are digits like any other (at most 12 digits in all).
        #expect(try Timestamp.parse("000000000001") == 1_000)
    }

    @Test func decimalSecondsTruncateToTheMillisecond() throws {
        #expect(try Timestamp.parse("1790812800.5") == october1 + 500)
        #expect(try Timestamp.parse("1790812800.05") == october1 + 50)
        #expect(try Timestamp.parse("1790812800.123") == october1 + 123)
        // 0.1239 s → 123 ms, not 124.
        #expect(try Timestamp.parse("1790812800.1239") == october1 + 123)
    }

    @Test func negativeEpochBeforeNineteenSeventy() throws {
        // −1.5 s = −1 500 ms, exactly representable.
        #expect(try Timestamp.parse("-1.5") == -1_500)
        #expect(try Timestamp.parse("-86400") == -oneDay)
    }

    @Test(arguments: ["1790812800.", ".5", ".", "-", "-.5", "1.2.3", "17908128001234"])
    func malformedEpoch(text: String) {
        // "17908128001234" has 14 integer digits; more than 12 (year 33 658) is refused.
        #expect(throws: TimeParseError("not a timestamp: \"\(text)\"")) {
            try Timestamp.parse(Substring(text))
        }
    }

    @Test func negativeSubMillisecondFractionTruncatesTowardTheEarlierMillisecond() throws {
        // Sub-millisecond digits go toward the earlier millisecond on both paths:
        // 1969-12-31T23:59:59.9995Z is −0.5 ms after the epoch → floor → −1 ms, and so is −0.0005 s.
        #expect(try Timestamp.parse("1969-12-31T23:59:59.9995Z") == -1)
        #expect(try Timestamp.parse("-0.0005") == -1)
        #expect(try Timestamp.parse("-0.0010") == -1)
    }

    @Test func hugeFractionIsAnErrorNotACrash() throws {
        // Only the first three fraction digits are used, so a long fraction is fine and never overflows.
        #expect(try Timestamp.parse("1790812800.9999999999999999999") == 1_790_812_800_999)
        // 20 integer digits exceed the 12-digit limit: an error, not an overflow trap.
        #expect(throws: TimeParseError("not a timestamp: \"99999999999999999999\"")) {
            try Timestamp.parse("99999999999999999999")
        }
    }
}

@Suite("Timestamp.format")
struct TimestampFormatTests {
    @Test func wholeSecondsHaveNoFraction() {
        #expect(Timestamp.format(october1) == "2026-10-01T00:00:00Z")
        #expect(Timestamp.format(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(october1 + 49_530_000) == "2026-10-01T13:45:30Z")
    }

    @Test func millisecondsOnlyWhenNeeded() {
        #expect(Timestamp.format(october1 + 500) == "2026-10-01T00:00:00.500Z")
        #expect(Timestamp.format(october1 + 1) == "2026-10-01T00:00:00.001Z")
        #expect(Timestamp.format(october1 + 1_000) == "2026-10-01T00:00:01Z")
    }

    /// Years 0…9999 are written straight into a fixed-width buffer; the general path joins the parts. They
    /// must agree on every field's padding, with and without milliseconds.
    @Test func fixedWidthTextEqualsTheGeneralPath() {
        var instants: [Millis] = [0, -1, utc(1, 1, 1), utc(9999, 12, 31, 23, 59, 59, ms: 999), utc(2026, 3, 29, 1, 0, 0, ms: 7)]
        var t = utc(1969, 12, 30)
        while t < utc(2031, 1, 1) {
            instants.append(t)
            t += 37 * oneDay + 5 * oneHour + 7 * oneMinute + 11 * oneSecond + 13   // every field, drifting
        }
        for instant in instants {
            let days = Int(floorDiv(instant, oneDay))
            let reference = Timestamp.formatByParts(date: CivilDate(daysSinceEpoch: days),
                                                    msOfDay: Int(instant - Int64(days) * oneDay))
            #expect(Timestamp.format(instant) == reference)
        }
        #expect(Timestamp.format(utc(9, 3, 4, 5, 6, 7, ms: 80)) == "0009-03-04T05:06:07.080Z")
    }

    @Test func beforeTheEpochFloorsToThePreviousDay() {
        // −1 ms is the last millisecond of 1969, not "1970-01-01T00:00:00.-01".
        #expect(Timestamp.format(-1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.format(-oneDay) == "1969-12-31T00:00:00Z")
    }

    @Test(arguments: [
        october1, october1 + 1, october1 + 999, october1 + 500, 0, -1, -oneDay - 1,
        1_709_164_800_000 + oneDay - 1,  // 2024-02-29T23:59:59.999Z
        utc(2040, 7, 1, 12, 34, 56, ms: 789),
    ] as [Millis])
    func roundTrip(instant: Millis) throws {
        let text = Timestamp.format(instant)
        #expect(try Timestamp.parse(Substring(text)) == instant, "\(text)")
    }

    @Test func parseThenFormatNormalisesToUTC() throws {
        #expect(Timestamp.format(try Timestamp.parse("2026-10-01T00:00:00+02:00")) == "2026-09-30T22:00:00Z")
        #expect(Timestamp.format(try Timestamp.parse("2026-10-01T00:00:00.120-05:30")) == "2026-10-01T05:30:00.120Z")
        #expect(Timestamp.format(try Timestamp.parse("1790812800.5")) == "2026-10-01T00:00:00.500Z")
    }
}

@Suite("Timestamp.parseDuration")
struct ParseDurationTests {
    @Test(arguments: [
        ("5m", 5 * 60_000),                       // 300 000
        ("90s", 90 * 1_000),                      // 90 000
        ("1h30m", 3_600_000 + 30 * 60_000),       // 5 400 000
        ("250ms", 250),
        ("24h", 24 * 3_600_000),                  // 86 400 000
        ("2d", 2 * 86_400_000),                   // 172 800 000
        ("1w", 7 * 86_400_000),                   // 604 800 000
        ("1d2h3m4s5ms", 86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000 + 5),  // 93 784 005
        ("0m", 0),
    ] as [(String, Millis)])
    func valid(text: String, expected: Millis) throws {
        #expect(try Timestamp.parseDuration(Substring(text)) == expected)
    }

    @Test(arguments: ["5", "5x", "5M", "5 m", "1.5h", "5mins", "1h30"])
    func unknownOrMissingUnit(text: String) {
        // "1.5h": "1" then the unit "." — decimals are not supported, the unit list says what is.
        #expect(throws: TimeParseError("not a duration: \"\(text)\" (units: ms, s, m, h, d, w)")) {
            try Timestamp.parseDuration(Substring(text))
        }
    }

    @Test(arguments: ["m", "-5m", " 5m", "1234567890123s"])
    func missingNumber(text: String) {
        // "1234567890123s" has 13 digits; more than 12 is refused before any arithmetic.
        #expect(throws: TimeParseError("not a duration: \"\(text)\" (expected e.g. 5m, 1h30m, 24h, 250ms)")) {
            try Timestamp.parseDuration(Substring(text))
        }
    }

    @Test func emptyDuration() {
        #expect(throws: TimeParseError("empty duration")) { try Timestamp.parseDuration("") }
    }

    @Test func hugeDurationIsAnErrorNotACrash() {
        // 999 999 999 999 × 604 800 000 ms ≈ 6.0e20 exceeds Int64.max ≈ 9.22e18: refused, not a trap.
        #expect(throws: TimeParseError("not a duration: \"999999999999w\" (too large)")) {
            try Timestamp.parseDuration("999999999999w")
        }
    }
}
