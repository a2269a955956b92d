import Foundation
import Testing
@testable import Calc

// Dates of 2026 used below, by hand: 2026-01-01 is a Thursday, so 2026-03-01 (59 days later,
// 59 = 8 × 7 + 3) is a Sunday. Hence March Sundays are 1, 8, 15, 22, 29: the second is Mar 8 (US, Cuba),
// the last is Mar 29 (EU, Lebanon). 2026-10-01 is a Thursday (214 days after Mar 1, 214 = 30 × 7 + 4),
// so October Sundays are 4, 11, 18, 25 and 2026-11-01 is a Sunday.

@Suite("Zone from TZif")
struct ZoneTests {
    /// `startOfDay(d+1) − startOfDay(d)`: how long local day `d` is.
    func dayLength(_ zone: Zone, _ day: CivilDate) -> Millis {
        zone.startOfDay(day.adding(days: 1)) - zone.startOfDay(day)
    }

    @Test func utcFileIsTheIdentity() throws {
        let zone = try systemZone("UTC")
        #expect(zone.startOfDay(date(2026, 10, 1)) == utc(2026, 10, 1))
        #expect(zone.localDate(at: utc(2026, 10, 1) - 1) == date(2026, 9, 30))
        #expect(zone.localDate(at: utc(2026, 10, 1)) == date(2026, 10, 1))
        #expect(dayLength(zone, date(2026, 3, 29)) == 24 * oneHour)
        // 2040 is past the last transition; the footer `UTC0` keeps the offset at 0.
        #expect(zone.startOfDay(date(2040, 7, 1)) == utc(2040, 7, 1))
    }

    /// The abbreviation names the offset (§10.8's `2026-10-25 02:40 CEST`). Berlin leaves summer time on
    /// 2026-10-25 at 01:00 UTC: 00:40Z is 02:40 CEST, 01:40Z is 02:40 CET, the same wall clock twice. 2040 is past
    /// the last transition, where the footer `CET-1CEST,M3.5.0,M10.5.0/3` names the times.
    @Test func abbreviationsNameTheOffset() throws {
        let berlin = try systemZone("Europe/Berlin")
        #expect(berlin.abbreviation(at: utc(2026, 10, 25) + 40 * oneMinute) == "CEST")
        #expect(berlin.offsetMillis(at: utc(2026, 10, 25) + 40 * oneMinute) == 2 * oneHour)
        #expect(berlin.abbreviation(at: utc(2026, 10, 25, 1) + 40 * oneMinute) == "CET")
        #expect(berlin.abbreviation(at: utc(2040, 7, 1)) == "CEST")
        #expect(berlin.abbreviation(at: utc(2040, 1, 1)) == "CET")
        // A zone without letters uses its number, in the data (`+04`) and in the footer `<+04>-4`.
        let dubai = try systemZone("Asia/Dubai")
        #expect(dubai.abbreviation(at: utc(2026, 10, 1)) == "+04")
        #expect(dubai.abbreviation(at: utc(2040, 1, 1)) == "+04")
        #expect(try systemZone("UTC").abbreviation(at: utc(2026, 10, 1)) == "UTC")
        #expect(Zone.fixed("UTC-5", offsetSeconds: -5 * 3600).abbreviation(at: 0) == "-05:00")
    }

    @Test func fixedOffsetZone() {
        let zone = Zone.fixed("UTC-5", offsetSeconds: -5 * 3600)
        // Local midnight at UTC−5 is 05:00 UTC.
        #expect(zone.startOfDay(date(2026, 10, 1)) == utc(2026, 10, 1, 5))
        #expect(zone.localDate(at: utc(2026, 10, 1, 4, 59, 59, ms: 999)) == date(2026, 9, 30))
        #expect(zone.localDate(at: utc(2026, 10, 1, 5)) == date(2026, 10, 1))
    }

    @Test func berlinStandardAndSummerTime() throws {
        let berlin = try systemZone("Europe/Berlin")
        // January: CET = UTC+1, so local midnight is 23:00 UTC the day before.
        #expect(berlin.startOfDay(date(2026, 1, 15)) == utc(2026, 1, 14, 23))
        // July: CEST = UTC+2 → 22:00 UTC the day before.
        #expect(berlin.startOfDay(date(2026, 7, 15)) == utc(2026, 7, 14, 22))
        #expect(berlin.offset(atSecond: utc(2026, 1, 15) / 1000) == 3600)
        #expect(berlin.offset(atSecond: utc(2026, 7, 15) / 1000) == 7200)
    }

    @Test func berlinSpringForwardDayHas23Hours() throws {
        let berlin = try systemZone("Europe/Berlin")
        // 2026-03-29 (last Sunday of March) starts in CET: 00:00+01:00 = 2026-03-28T23:00Z.
        #expect(berlin.startOfDay(date(2026, 3, 29)) == utc(2026, 3, 28, 23))
        // At 02:00 CET (01:00Z) clocks jump to 03:00 CEST; the next midnight is 00:00+02:00 = 22:00Z.
        #expect(berlin.startOfDay(date(2026, 3, 30)) == utc(2026, 3, 29, 22))
        // 23:00Z → 22:00Z next day = 23 h = 82 800 000 ms.
        #expect(dayLength(berlin, date(2026, 3, 29)) == 23 * oneHour)
        // The instant of the jump: 00:59:59.999Z is still CET (+1), 01:00Z is CEST (+2).
        #expect(berlin.offset(atSecond: utc(2026, 3, 29, 0, 59, 59) / 1000) == 3600)
        #expect(berlin.offset(atSecond: utc(2026, 3, 29, 1) / 1000) == 7200)
    }

    @Test func berlinFallBackDayHas25Hours() throws {
        let berlin = try systemZone("Europe/Berlin")
        // 2026-10-25 starts in CEST: 00:00+02:00 = 2026-10-24T22:00Z.
        #expect(berlin.startOfDay(date(2026, 10, 25)) == utc(2026, 10, 24, 22))
        // 03:00 CEST (01:00Z) becomes 02:00 CET; next midnight is 00:00+01:00 = 2026-10-25T23:00Z.
        #expect(berlin.startOfDay(date(2026, 10, 26)) == utc(2026, 10, 25, 23))
        // 22:00Z → 23:00Z next day = 25 h = 90 000 000 ms.
        #expect(dayLength(berlin, date(2026, 10, 25)) == 25 * oneHour)
    }

    @Test func berlinLocalDateAroundMidnights() throws {
        let berlin = try systemZone("Europe/Berlin")
        // Summer time: local midnight of Oct 25 is 22:00Z on Oct 24.
        #expect(berlin.localDate(at: utc(2026, 10, 24, 21, 59, 59, ms: 999)) == date(2026, 10, 24))
        #expect(berlin.localDate(at: utc(2026, 10, 24, 22)) == date(2026, 10, 25))
        // After the fall-back, midnight of Oct 26 is 23:00Z on Oct 25.
        #expect(berlin.localDate(at: utc(2026, 10, 25, 22, 59, 59, ms: 999)) == date(2026, 10, 25))
        #expect(berlin.localDate(at: utc(2026, 10, 25, 23)) == date(2026, 10, 26))
        // 2026-12-31T23:30Z is already New Year in Berlin (00:30 CET).
        #expect(berlin.localDate(at: utc(2026, 12, 31, 23, 30)) == date(2027, 1, 1))
    }

    @Test func berlinPast2037UsesThePosixFooter() throws {
        let berlin = try systemZone("Europe/Berlin")
        // The "fat" Debian TZif lists transitions only up to 2037-10-25T01:00Z (03:00 CEST → 02:00 CET);
        // anything later must come from the footer `CET-1CEST,M3.5.0,M10.5.0/3`.
        #expect(berlin.transitions.last == utc(2037, 10, 25, 1) / 1000)
        #expect(berlin.rule == (try PosixRule("CET-1CEST,M3.5.0,M10.5.0/3")))
        // 2040-07-01 is summer: UTC+2 → 2040-06-30T22:00Z.
        #expect(berlin.startOfDay(date(2040, 7, 1)) == utc(2040, 6, 30, 22))
        // 2040-01-15 is winter: UTC+1 → 2040-01-14T23:00Z.
        #expect(berlin.startOfDay(date(2040, 1, 15)) == utc(2040, 1, 14, 23))
        // 2040-03-01 is a Thursday: 2026-01-01 is a Thursday; the 14 years 2026–2039 have 3 leap days
        // (2028, 2032, 2036) → 14 × 365 + 3 = 5 113 days ≡ 3 (mod 7) → 2040-01-01 is a Sunday; then
        // Jan + Feb 2040 = 31 + 29 = 60 days ≡ 4 → Thursday,
        // so March 2040 Sundays are 4, 11, 18, 25: the switch day is Mar 25, 23 h long.
        #expect(berlin.startOfDay(date(2040, 3, 25)) == utc(2040, 3, 24, 23))
        #expect(dayLength(berlin, date(2040, 3, 25)) == 23 * oneHour)
    }

    @Test func posixFooterAgreesWithEveryListedTransitionFrom2030() throws {
        // The footer must reproduce the explicit table where both exist, so 2038+ is trustworthy.
        let berlin = try systemZone("Europe/Berlin")
        let rule = try #require(berlin.rule)
        let from2030 = berlin.transitions.indices.filter { berlin.transitions[$0] >= utc(2030, 1, 1) / 1000 }
        #expect(from2030.count == 16)  // two switches a year, 2030…2037
        for i in from2030 {
            let t = berlin.transitions[i]
            #expect(rule.offset(atUTCSecond: t - 1) == berlin.offsets[i], "before \(Timestamp.format(t * 1000))")
            #expect(rule.offset(atUTCSecond: t) == berlin.offsets[i + 1], "at \(Timestamp.format(t * 1000))")
        }
    }

    @Test func newYorkDaysOf23And25Hours() throws {
        let newYork = try systemZone("America/New_York")
        // 2026-03-08 (second Sunday of March) starts in EST (−5): 05:00Z; Mar 9 starts in EDT (−4): 04:00Z.
        #expect(newYork.startOfDay(date(2026, 3, 8)) == utc(2026, 3, 8, 5))
        #expect(dayLength(newYork, date(2026, 3, 8)) == 23 * oneHour)
        // 2026-11-01 (first Sunday of November) starts in EDT: 04:00Z; Nov 2 in EST: 05:00Z → 25 h.
        #expect(newYork.startOfDay(date(2026, 11, 1)) == utc(2026, 11, 1, 4))
        #expect(dayLength(newYork, date(2026, 11, 1)) == 25 * oneHour)
    }

    @Test func lordHoweHasHalfHourDaylightSaving() throws {
        let lordHowe = try systemZone("Australia/Lord_Howe")
        // Southern winter: +10:30 → midnight is 13:30Z the day before.
        #expect(lordHowe.startOfDay(date(2026, 7, 15)) == utc(2026, 7, 14, 13, 30))
        // Southern summer: +11:00 → 13:00Z the day before.
        #expect(lordHowe.startOfDay(date(2026, 1, 15)) == utc(2026, 1, 14, 13))
        // 2026-10-04 (first Sunday of October): 02:00 → 02:30, a 23.5 h day = 84 600 000 ms.
        #expect(dayLength(lordHowe, date(2026, 10, 4)) == 23 * oneHour + 30 * oneMinute)
        // 2026-04-05 (first Sunday of April; Apr 1 is a Wednesday): 02:00 → 01:30, 24.5 h = 88 200 000 ms.
        #expect(dayLength(lordHowe, date(2026, 4, 5)) == 24 * oneHour + 30 * oneMinute)
        // 2040 from the footer `<+1030>-10:30<+11>-11,M10.1.0,M4.1.0`: July is winter, +10:30.
        #expect(lordHowe.startOfDay(date(2040, 7, 1)) == utc(2040, 6, 30, 13, 30))
        #expect(lordHowe.startOfDay(date(2040, 1, 15)) == utc(2040, 1, 14, 13))
    }

    @Test func kolkataIsAHalfHourZoneWithoutDaylightSaving() throws {
        let kolkata = try systemZone("Asia/Kolkata")
        // IST = +05:30: midnight is 18:30Z the day before, every day, also from the footer `IST-5:30`.
        #expect(kolkata.startOfDay(date(2026, 10, 1)) == utc(2026, 9, 30, 18, 30))
        #expect(kolkata.startOfDay(date(2040, 7, 1)) == utc(2040, 6, 30, 18, 30))
        #expect(dayLength(kolkata, date(2026, 3, 29)) == 24 * oneHour)
        #expect(kolkata.localDate(at: utc(2026, 9, 30, 18, 29, 59, ms: 999)) == date(2026, 9, 30))
        #expect(kolkata.localDate(at: utc(2026, 9, 30, 18, 30)) == date(2026, 10, 1))
    }

    // MARK: midnight in a gap, midnight twice

    @Test func havanaMidnightInTheSpringGapStartsTheDayAtOneAM() throws {
        let havana = try systemZone("America/Havana")
        // Cuba springs forward at 00:00 CST (−5) on the second Sunday of March (`M3.2.0/0`):
        // 2026-03-08 00:00 local does not exist; the day starts at the jump, 00:00 CST = 05:00Z,
        // which the clocks show as 01:00 CDT.
        #expect(havana.startOfDay(date(2026, 3, 8)) == utc(2026, 3, 8, 5))
        #expect(havana.localDate(at: utc(2026, 3, 8, 4, 59, 59, ms: 999)) == date(2026, 3, 7))
        #expect(havana.localDate(at: utc(2026, 3, 8, 5)) == date(2026, 3, 8))
        // Mar 9 starts at 00:00 CDT (−4) = 04:00Z → Mar 8 lasts 23 h.
        #expect(dayLength(havana, date(2026, 3, 8)) == 23 * oneHour)
        // Mar 7 ends at the jump: 00:00 CST Mar 7 = 05:00Z → 05:00Z Mar 8 = a full 24 h.
        #expect(dayLength(havana, date(2026, 3, 7)) == 24 * oneHour)
    }

    @Test func havanaMidnightTwiceTakesTheEarlierOne() throws {
        let havana = try systemZone("America/Havana")
        // Cuba falls back at 01:00 CDT (`M11.1.0/1`) to 00:00 CST on 2026-11-01, so local midnight
        // happens at 00:00 CDT = 04:00Z and again at 00:00 CST = 05:00Z; the day starts at the first.
        #expect(havana.startOfDay(date(2026, 11, 1)) == utc(2026, 11, 1, 4))
        // Nov 2 starts at 00:00 CST = 05:00Z → Nov 1 lasts 25 h.
        #expect(dayLength(havana, date(2026, 11, 1)) == 25 * oneHour)
    }

    @Test func havanaGapPast2037FromTheFooter() throws {
        let havana = try systemZone("America/Havana")
        // Footer `CST5CDT,M3.2.0/0,M11.1.0/1`. 2040-03-01 is a Thursday (see the Berlin test), so
        // March 2040 Sundays are 4, 11, …: the gap swallows midnight of Mar 11 → 00:00 CST = 05:00Z.
        #expect(havana.startOfDay(date(2040, 3, 11)) == utc(2040, 3, 11, 5))
        #expect(dayLength(havana, date(2040, 3, 11)) == 23 * oneHour)
    }

    @Test func beirutMidnightInTheSpringGap() throws {
        let beirut = try systemZone("Asia/Beirut")
        // Lebanon springs forward at 00:00 EET (+2) on the last Sunday of March (`M3.5.0/0`):
        // 2026-03-29 starts at the jump, 00:00 EET = 2026-03-28T22:00Z (shown as 01:00 EEST).
        #expect(beirut.startOfDay(date(2026, 3, 29)) == utc(2026, 3, 28, 22))
        // Mar 30 starts at 00:00 EEST (+3) = 21:00Z Mar 29 → 23 h.
        #expect(dayLength(beirut, date(2026, 3, 29)) == 23 * oneHour)
    }

    @Test func santiagoMidnightInTheSpringGap() throws {
        let santiago = try systemZone("America/Santiago")
        // Chile springs forward at Saturday 24:00 −04 after the first Saturday of September
        // (`M9.1.6/24`). 2026-09-01 is a Tuesday (Oct 1 is a Thursday, 30 days = 4 weeks + 2 earlier),
        // so Saturday is Sep 5 and Sunday 2026-09-06 begins at 00:00 −04 = 04:00Z (shown as 01:00 −03).
        #expect(santiago.startOfDay(date(2026, 9, 6)) == utc(2026, 9, 6, 4))
        // Sep 7 starts at 00:00 −03 = 03:00Z → 23 h.
        #expect(dayLength(santiago, date(2026, 9, 6)) == 23 * oneHour)
        // In April it falls back at Saturday 24:00 −03 (first Saturday: Apr 4, 2026), so the Saturday
        // is the 25 h day: 00:00 −03 = 03:00Z Apr 4 → 00:00 −04 = 04:00Z Apr 5.
        #expect(santiago.startOfDay(date(2026, 4, 4)) == utc(2026, 4, 4, 3))
        #expect(dayLength(santiago, date(2026, 4, 4)) == 25 * oneHour)
        // 2040 from the footer `<-04>4<-03>,M9.1.6/24,M4.1.6/24`: 2040-09-01 is a Saturday
        // (Mar 1 Thursday + 184 days, 184 = 26 × 7 + 2), so the gap day is Sunday Sep 2.
        #expect(santiago.startOfDay(date(2040, 9, 2)) == utc(2040, 9, 2, 4))
        #expect(dayLength(santiago, date(2040, 9, 2)) == 23 * oneHour)
    }

    // MARK: TZif and footer parsing

    @Test func posixRuleFields() throws {
        let berlin = try PosixRule("CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(berlin.standardOffset == 3600)
        let dst = try #require(berlin.daylight)
        #expect(dst.offset == 7200)  // no explicit DST offset: standard + 1 h
        #expect(dst.start == .init(month: 3, week: 5, weekday: 0))
        #expect(dst.startTime == 7200)  // default 02:00
        #expect(dst.end == .init(month: 10, week: 5, weekday: 0))
        #expect(dst.endTime == 10800)  // /3

        let lordHowe = try PosixRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
        #expect(lordHowe.standardOffset == 37_800)  // 10 × 3 600 + 30 × 60
        #expect(lordHowe.daylight?.offset == 39_600)

        let santiago = try PosixRule("<-04>4<-03>,M9.1.6/24,M4.1.6/24")
        #expect(santiago.standardOffset == -14_400)
        #expect(santiago.daylight?.offset == -10_800)
        #expect(santiago.daylight?.startTime == 86_400)  // 24:00

        let nuuk = try PosixRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
        #expect(nuuk.daylight?.startTime == -3_600)  // −1:00, the evening before

        let kolkata = try PosixRule("IST-5:30")
        #expect(kolkata.standardOffset == 19_800)
        #expect(kolkata.daylight == nil)
    }

    @Test func posixRuleRejectsUnsupportedForms() {
        #expect(throws: TimeParseError("unsupported TZ rule EST5EDT,J60,J300")) { try PosixRule("EST5EDT,J60,J300") }
        #expect(throws: TimeParseError("bad TZ rule X5")) { try PosixRule("X5") }
        #expect(throws: TimeParseError("bad TZ rule CET-1CEST,M3.5.0")) { try PosixRule("CET-1CEST,M3.5.0") }
    }

    @Test func dayRuleDates() {
        // Last Sunday of March / October 2026, second Sunday of March, first Saturday of September.
        #expect(PosixRule.DayRule(month: 3, week: 5, weekday: 0).date(in: 2026) == date(2026, 3, 29))
        #expect(PosixRule.DayRule(month: 10, week: 5, weekday: 0).date(in: 2026) == date(2026, 10, 25))
        #expect(PosixRule.DayRule(month: 3, week: 2, weekday: 0).date(in: 2026) == date(2026, 3, 8))
        #expect(PosixRule.DayRule(month: 9, week: 1, weekday: 6).date(in: 2026) == date(2026, 9, 5))
        // Week 1 on the 1st itself: 2026-03-01 is a Sunday.
        #expect(PosixRule.DayRule(month: 3, week: 1, weekday: 0).date(in: 2026) == date(2026, 3, 1))
    }

    @Test func rejectsDataThatIsNotTZif() throws {
        #expect(throws: TimeParseError("not TZif data")) {
            try Zone(identifier: "X", tzif: Array("definitely not a zone file, but long enough to pass".utf8))
        }
        #expect(throws: TimeParseError("not TZif data")) { try Zone(identifier: "X", tzif: []) }
        // A version-1 file: "TZif", version byte 0, 15 reserved bytes, six zero counts.
        let v1 = Array("TZif".utf8) + [UInt8](repeating: 0, count: 40)
        #expect(throws: TimeParseError("TZif version 1 is not supported")) { try Zone(identifier: "X", tzif: v1) }
        // Berlin cut in the middle of its 64-bit transition table.
        let berlin = Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Berlin")))
        #expect(throws: TimeParseError("truncated TZif data")) {
            try Zone(identifier: "Europe/Berlin", tzif: Array(berlin.prefix(berlin.count - 900)))
        }
    }
}
