import Testing
@testable import Calc

@Suite("PeriodSpec parsing")
struct PeriodSpecParseTests {
    @Test func eachForm() throws {
        #expect(try PeriodSpec("2026-10") == .month(year: 2026, month: 10))
        #expect(try PeriodSpec("2026-01") == .month(year: 2026, month: 1))
        #expect(try PeriodSpec("2026-Q4") == .quarter(fiscalYear: 2026, quarter: 4))
        #expect(try PeriodSpec("2026-Q1") == .quarter(fiscalYear: 2026, quarter: 1))
        #expect(try PeriodSpec("2026-10-01..2026-10-15") == .custom(first: date(2026, 10, 1), last: date(2026, 10, 15)))
        // A one-day custom period is allowed: both dates are inclusive.
        #expect(try PeriodSpec("2026-10-01..2026-10-01") == .custom(first: date(2026, 10, 1), last: date(2026, 10, 1)))
        #expect(try PeriodSpec("last-month") == .lastMonth)
        #expect(try PeriodSpec("last-quarter") == .lastQuarter)
    }

    @Test(arguments: [
        "", "2026", "2026-13", "2026-00", "2026-1", "26-10", "2026/10", "october",
        "2026-Q0", "2026-Q5", "2026-q4", "2026-Q", "2026-Q10",
        "2026-10-01..2026-10-32", "2026-02-30..2026-03-01", "2026-10-01...2026-10-15", "2026-10-01..",
        "2026-10-01-2026-10-15", "Last-Month", "last_month", "lastquarter", " 2026-10",
    ])
    func badForms(text: String) {
        let usage = "not a period: \"\(text)\" (expected YYYY-MM, YYYY-Qn, YYYY-MM-DD..YYYY-MM-DD, last-month or last-quarter)"
        #expect(throws: TimeParseError(usage)) { try PeriodSpec(text) }
    }

    /// A period outside 1970–2100 names time no monitoring data can cover; `0001-01-01..9999-12-31` built 2.2 GB
    /// of empty timelines before it was refused.
    @Test func periodsOutsideTheDataYearsAreRefused() throws {
        #expect(throws: TimeParseError("period \"0001-01-01..9999-12-31\" is outside the years 1970 to 2100, where no monitoring data can be")) {
            try PeriodSpec("0001-01-01..9999-12-31")
        }
        #expect(throws: TimeParseError("period \"1969-Q4\" is outside the years 1970 to 2100, where no monitoring data can be")) {
            try PeriodSpec("1969-Q4")
        }
        #expect(throws: TimeParseError("period \"2101-01\" is outside the years 1970 to 2100, where no monitoring data can be")) {
            try PeriodSpec("2101-01")
        }
        #expect(try PeriodSpec("1970-01-01..2100-12-31") == .custom(first: CivilDate(year: 1970, month: 1, day: 1),
                                                                     last: CivilDate(year: 2100, month: 12, day: 31)))
    }

    @Test func customPeriodBackwards() {
        #expect(throws: TimeParseError("period \"2026-10-15..2026-10-01\" ends before it starts")) {
            try PeriodSpec("2026-10-15..2026-10-01")
        }
    }
}

@Suite("PeriodSpec.resolve")
struct PeriodResolveTests {
    /// An arbitrary "now" for the absolute forms, which must ignore it.
    let anyNow = utc(2031, 5, 17, 12)

    @Test func octoberInBerlinHas745Hours() throws {
        let berlin = try systemZone("Europe/Berlin")
        let p = try PeriodSpec("2026-10").resolve(zone: berlin, fiscalYearStartMonth: 1, now: anyNow)
        #expect(p.kind == .month)
        #expect(p.label == "2026-10")
        #expect(p.firstDay == date(2026, 10, 1))
        #expect(p.lastDay == date(2026, 10, 31))
        // Starts at 00:00 CEST (+2) = Sep 30 22:00Z, ends at Nov 1 00:00 CET (+1) = Oct 31 23:00Z.
        #expect(p.interval == Interval(start: utc(2026, 9, 30, 22), end: utc(2026, 10, 31, 23)))
        // 745 h: 31 days and an extra hour on Oct 25 → 745 × 3 600 000 = 2 682 000 000 ms.
        #expect(p.interval.duration == 2_682_000_000)
        #expect(p.months.count == 1)
        #expect(p.months[0].label == "2026-10")
        #expect(p.months[0].interval == p.interval)
        #expect(p.months[0].monthInterval == p.interval)
        #expect(p.wholeMonths == p.interval)
    }

    @Test func octoberInUTCHas744Hours() {
        let p = PeriodSpec.month(year: 2026, month: 10).resolve(zone: .utc, fiscalYearStartMonth: 1, now: anyNow)
        // 31 × 24 = 744 h = 2 678 400 000 ms.
        #expect(p.interval == Interval(start: utc(2026, 10, 1), end: utc(2026, 11, 1)))
        #expect(p.interval.duration == 2_678_400_000)
    }

    @Test func marchInBerlinHas743Hours() throws {
        let berlin = try systemZone("Europe/Berlin")
        let p = PeriodSpec.month(year: 2026, month: 3).resolve(zone: berlin, fiscalYearStartMonth: 1, now: anyNow)
        // 31 days less the hour lost on Mar 29: 743 h = 2 674 800 000 ms.
        // Mar 1 00:00 CET = Feb 28 23:00Z; Apr 1 00:00 CEST = Mar 31 22:00Z.
        #expect(p.interval == Interval(start: utc(2026, 2, 28, 23), end: utc(2026, 3, 31, 22)))
        #expect(p.interval.duration == 743 * oneHour)
    }

    @Test func calendarQuarter() throws {
        let p = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: .utc, fiscalYearStartMonth: 1, now: anyNow)
        #expect(p.kind == .quarter)
        #expect(p.label == "2026-Q4")
        #expect(p.firstDay == date(2026, 10, 1))
        #expect(p.lastDay == date(2026, 12, 31))
        // 31 + 30 + 31 = 92 days = 2 208 h.
        #expect(p.interval == Interval(start: utc(2026, 10, 1), end: utc(2027, 1, 1)))
        #expect(p.interval.duration == 92 * oneDay)
        #expect(p.months.map(\.label) == ["2026-10", "2026-11", "2026-12"])
        #expect(p.months.map(\.interval.duration) == [31 * oneDay, 30 * oneDay, 31 * oneDay])
        // A quarter's slices are its whole months.
        #expect(p.months.allSatisfy { $0.interval == $0.monthInterval })
        // …and tile the quarter without gaps.
        #expect(p.months[0].interval.end == p.months[1].interval.start)
        #expect(p.months[1].interval.end == p.months[2].interval.start)
    }

    @Test func calendarQuarterInBerlinGainsAnHour() throws {
        let berlin = try systemZone("Europe/Berlin")
        let p = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: berlin, fiscalYearStartMonth: 1, now: anyNow)
        // Oct 1 00:00 CEST = Sep 30 22:00Z → Jan 1 00:00 CET = Dec 31 23:00Z: 92 days + 1 h = 2 209 h.
        #expect(p.interval == Interval(start: utc(2026, 9, 30, 22), end: utc(2026, 12, 31, 23)))
        #expect(p.interval.duration == 2_209 * oneHour)
        // October carries the extra hour: 745 h, 720 h, 744 h.
        #expect(p.months.map(\.interval.duration) == [745 * oneHour, 720 * oneHour, 744 * oneHour])
    }

    @Test func fiscalYearStartingInApril() {
        // Fiscal year 2026 runs 2026-04-01 … 2027-03-31, named by the year it starts in.
        let q1 = PeriodSpec.quarter(fiscalYear: 2026, quarter: 1).resolve(zone: .utc, fiscalYearStartMonth: 4, now: anyNow)
        #expect((q1.firstDay, q1.lastDay) == (date(2026, 4, 1), date(2026, 6, 30)))
        let q3 = PeriodSpec.quarter(fiscalYear: 2026, quarter: 3).resolve(zone: .utc, fiscalYearStartMonth: 4, now: anyNow)
        #expect((q3.firstDay, q3.lastDay) == (date(2026, 10, 1), date(2026, 12, 31)))
        #expect(q3.label == "2026-Q3")
        #expect(q3.months.map(\.label) == ["2026-10", "2026-11", "2026-12"])
        let q4 = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: .utc, fiscalYearStartMonth: 4, now: anyNow)
        #expect((q4.firstDay, q4.lastDay) == (date(2027, 1, 1), date(2027, 3, 31)))
        #expect(q4.label == "2026-Q4")
        #expect(q4.months.map(\.label) == ["2027-01", "2027-02", "2027-03"])
        // 31 + 28 + 31 = 90 days (2027 is not a leap year).
        #expect(q4.interval.duration == 90 * oneDay)
    }

    @Test func customPeriodIsWholeDaysBothInclusive() throws {
        let berlin = try systemZone("Europe/Berlin")
        let p = try PeriodSpec("2026-10-01..2026-10-15").resolve(zone: berlin, fiscalYearStartMonth: 1, now: anyNow)
        #expect(p.kind == .custom)
        #expect(p.label == "2026-10-01..2026-10-15")
        // Oct 1 00:00 CEST = Sep 30 22:00Z up to Oct 16 00:00 CEST = Oct 15 22:00Z:
        // 15 days, no DST change (that is Oct 25) → 360 h = 1 296 000 000 ms.
        #expect(p.interval == Interval(start: utc(2026, 9, 30, 22), end: utc(2026, 10, 15, 22)))
        #expect(p.interval.duration == 15 * oneDay)
        // Its one month slice is the part of October inside it; the month itself is the whole 745 h.
        #expect(p.months.count == 1)
        #expect(p.months[0].interval == p.interval)
        #expect(p.months[0].monthInterval.duration == 745 * oneHour)
        #expect(p.wholeMonths == p.months[0].monthInterval)
    }

    @Test func customPeriodOverTheFallBack() throws {
        let berlin = try systemZone("Europe/Berlin")
        let p = try PeriodSpec("2026-10-20..2026-10-31").resolve(zone: berlin, fiscalYearStartMonth: 1, now: anyNow)
        // 12 days including Oct 25 (25 h) → 12 × 24 + 1 = 289 h.
        #expect(p.interval.duration == 289 * oneHour)
    }

    @Test func customPeriodCrossingAMonthBoundaryIsSliced() throws {
        let berlin = try systemZone("Europe/Berlin")
        let p = try PeriodSpec("2026-10-25..2026-11-05").resolve(zone: berlin, fiscalYearStartMonth: 1, now: anyNow)
        #expect(p.months.map(\.label) == ["2026-10", "2026-11"])
        // October part: Oct 25 00:00 CEST (Oct 24 22:00Z) → Nov 1 00:00 CET (Oct 31 23:00Z):
        // 7 days (25…31) + the fall-back hour = 169 h.
        #expect(p.months[0].interval == Interval(start: utc(2026, 10, 24, 22), end: utc(2026, 10, 31, 23)))
        #expect(p.months[0].interval.duration == 169 * oneHour)
        // November part: Nov 1 00:00 CET (Oct 31 23:00Z) → Nov 6 00:00 CET (Nov 5 23:00Z): 5 days = 120 h.
        #expect(p.months[1].interval == Interval(start: utc(2026, 10, 31, 23), end: utc(2026, 11, 5, 23)))
        #expect(p.months[1].interval.duration == 120 * oneHour)
        // The slices add up to the period: 169 + 120 = 289 h.
        #expect(p.interval.duration == 289 * oneHour)
        // The whole months are October (745 h) and November (720 h, Nov 30 23:00Z).
        #expect(p.months[0].monthInterval == Interval(start: utc(2026, 9, 30, 22), end: utc(2026, 10, 31, 23)))
        #expect(p.months[1].monthInterval == Interval(start: utc(2026, 10, 31, 23), end: utc(2026, 11, 30, 23)))
        #expect(p.wholeMonths == Interval(start: utc(2026, 9, 30, 22), end: utc(2026, 11, 30, 23)))
    }

    // MARK: relative forms

    @Test func lastMonth() {
        let p = PeriodSpec.lastMonth.resolve(zone: .utc, fiscalYearStartMonth: 1, now: utc(2026, 11, 15, 12))
        #expect(p.label == "2026-10")
        #expect(p.kind == .month)
        #expect(p.interval == Interval(start: utc(2026, 10, 1), end: utc(2026, 11, 1)))
    }

    @Test func lastMonthInJanuaryIsThePreviousDecember() {
        let p = PeriodSpec.lastMonth.resolve(zone: .utc, fiscalYearStartMonth: 1, now: utc(2027, 1, 10))
        #expect(p.label == "2026-12")
        #expect((p.firstDay, p.lastDay) == (date(2026, 12, 1), date(2026, 12, 31)))
    }

    @Test func lastMonthIsJudgedInTheConfiguredZone() throws {
        let berlin = try systemZone("Europe/Berlin")
        // 2026-12-31T23:00Z is 2027-01-01 00:00 CET: in Berlin it is January, last month is December…
        #expect(PeriodSpec.lastMonth.resolve(zone: berlin, fiscalYearStartMonth: 1, now: utc(2026, 12, 31, 23)).label == "2026-12")
        // …one millisecond earlier it is still 2026-12-31 in Berlin, so last month is November.
        #expect(PeriodSpec.lastMonth.resolve(zone: berlin, fiscalYearStartMonth: 1,
                                             now: utc(2026, 12, 31, 22, 59, 59, ms: 999)).label == "2026-11")
        // In UTC the 23:00Z instant is still December 31 → November.
        #expect(PeriodSpec.lastMonth.resolve(zone: .utc, fiscalYearStartMonth: 1, now: utc(2026, 12, 31, 23)).label == "2026-11")
    }

    @Test(arguments: [
        // (fiscal start, now, expected label, first day, last day)
        // Calendar quarters: January is in Q1 2027, so the previous one is Q4 2026.
        (1, utc(2027, 1, 10), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        // May is in Q2 → Q1.
        (1, utc(2026, 5, 10), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        // Q2 starts Apr 1; on Apr 1 itself the last complete quarter is Q1.
        (1, utc(2026, 4, 1), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        // April fiscal start: May 2026 is FY2026 Q1 → FY2025 Q4 = Jan–Mar 2026.
        (4, utc(2026, 5, 10), "2025-Q4", date(2026, 1, 1), date(2026, 3, 31)),
        // January 2027 is FY2026 Q4 (Jan–Mar 2027) → FY2026 Q3 = Oct–Dec 2026.
        (4, utc(2027, 1, 10), "2026-Q3", date(2026, 10, 1), date(2026, 12, 31)),
        // March 31 is the last day of FY2025 Q4 → FY2025 Q3 = Oct–Dec 2025.
        (4, utc(2026, 3, 31, 23, 59), "2025-Q3", date(2025, 10, 1), date(2025, 12, 31)),
        // October fiscal start (US federal): Nov 2026 is FY2026 Q1 (Oct–Dec 2026) → FY2025 Q4 = Jul–Sep 2026.
        (10, utc(2026, 11, 1), "2025-Q4", date(2026, 7, 1), date(2026, 9, 30)),
    ] as [(Int, Millis, String, CivilDate, CivilDate)])
    func lastQuarter(fiscalStart: Int, now: Millis, label: String, first: CivilDate, last: CivilDate) {
        let p = PeriodSpec.lastQuarter.resolve(zone: .utc, fiscalYearStartMonth: fiscalStart, now: now)
        #expect(p.kind == .quarter)
        #expect(p.label == label)
        #expect(p.firstDay == first)
        #expect(p.lastDay == last)
    }

    @Test func lastQuarterIsJudgedInTheConfiguredZone() throws {
        let berlin = try systemZone("Europe/Berlin")
        // 2026-12-31T23:30Z is 00:30 on New Year's Day in Berlin → Q1 2027 → last quarter Q4 2026;
        // in UTC it is still Q4 → last quarter Q3.
        #expect(PeriodSpec.lastQuarter.resolve(zone: berlin, fiscalYearStartMonth: 1, now: utc(2026, 12, 31, 23, 30)).label == "2026-Q4")
        #expect(PeriodSpec.lastQuarter.resolve(zone: .utc, fiscalYearStartMonth: 1, now: utc(2026, 12, 31, 23, 30)).label == "2026-Q3")
    }
}

@Suite("Period.previous")
struct PeriodPreviousTests {
    @Test func previousMonthAndQuarter() {
        let jan = PeriodSpec.month(year: 2027, month: 1).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        #expect(jan.previous(zone: .utc, fiscalYearStartMonth: 1)?.label == "2026-12")
        // Fiscal years from April: 2027-Q1 is Apr–Jun 2027, so the quarter before is 2026-Q4 (Jan–Mar 2027).
        let q1 = PeriodSpec.quarter(fiscalYear: 2027, quarter: 1).resolve(zone: .utc, fiscalYearStartMonth: 4, now: 0)
        let q4 = q1.previous(zone: .utc, fiscalYearStartMonth: 4)
        #expect(q4?.label == "2026-Q4")
        #expect(q4?.firstDay == CivilDate(year: 2027, month: 1, day: 1))
        let custom = PeriodSpec.custom(first: CivilDate(year: 2026, month: 10, day: 1), last: CivilDate(year: 2026, month: 10, day: 2))
            .resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        #expect(custom.previous(zone: .utc, fiscalYearStartMonth: 1) == nil)
    }
}
