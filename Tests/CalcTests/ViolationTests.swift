import Testing
@testable import Calc

private func decimal(_ text: String) -> Ratio { DecimalText.parse(Substring(text))! }

private func objective(_ metric: MetricKind, _ target: String, window: Millis? = nil) -> Objective {
    Objective(id: metric.rawValue, metric: metric, target: decimal(target), window: window)
}

@Suite("ObjectiveWindows")
struct ObjectiveWindowsTests {
    let october = PeriodSpec.month(year: 2026, month: 10)

    @Test func noWindowIsThePeriod() throws {
        let period = october.resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        #expect(ObjectiveWindows.cut(period, window: nil, zone: .utc) == [period.interval])
    }

    /// 24h windows are local days: Berlin's October has 31, and Oct 25 is 25 h long (clocks go back).
    @Test func dayWindowsFollowLocalDays() throws {
        let berlin = try systemZone("Europe/Berlin")
        let period = october.resolve(zone: berlin, fiscalYearStartMonth: 1, now: 0)
        let windows = ObjectiveWindows.cut(period, window: oneDay, zone: berlin)
        #expect(windows.count == 31)
        #expect(windows[24].duration == 25 * oneHour)
        #expect(windows.filter { $0.duration == oneDay }.count == 30)
        #expect(windows.first!.start == period.interval.start && windows.last!.end == period.interval.end)
    }

    /// 48h windows over 31 days: 15 two-day windows and a last one-day window clipped at the period end.
    @Test func multiDayWindowsClipAtThePeriodEnd() throws {
        let period = october.resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        let windows = ObjectiveWindows.cut(period, window: 2 * oneDay, zone: .utc)
        #expect(windows.count == 16)
        #expect(windows.last! == Interval(start: utc(2026, 10, 31), end: utc(2026, 11, 1)))
    }

    /// 1h windows step from each local midnight: 745 in Berlin's October, 25 of them on Oct 25.
    @Test func hourWindowsInADSTMonth() throws {
        let berlin = try systemZone("Europe/Berlin")
        let period = october.resolve(zone: berlin, fiscalYearStartMonth: 1, now: 0)
        let windows = ObjectiveWindows.cut(period, window: oneHour, zone: berlin)
        #expect(windows.count == 745)
        let oct25 = Interval(start: berlin.startOfDay(date(2026, 10, 25)), end: berlin.startOfDay(date(2026, 10, 26)))
        #expect(windows.filter { $0.start >= oct25.start && $0.end <= oct25.end }.count == 25)
    }

    /// 7h windows in a 24h day: 00–07, 07–14, 14–21, 21–24 (the last clipped at midnight).
    @Test func shortWindowsClipAtMidnight() throws {
        let day = PeriodSpec.custom(first: date(2026, 10, 1), last: date(2026, 10, 1)).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        let windows = ObjectiveWindows.cut(day, window: 7 * oneHour, zone: .utc)
        #expect(windows.map(\.duration) == [7 * oneHour, 7 * oneHour, 7 * oneHour, 3 * oneHour])
    }
}

@Suite("Violation status")
struct ViolationStatusTests {
    /// Uptime 99.9: the slack is 0.1 points; at risk once 95 % of it (0.095) is used, i.e. at or below 99.905.
    @Test(arguments: [
        ("99.9051", nil), ("99.905", Violation.Status.atRisk), ("99.9", .atRisk), ("99.89999", .breached),
    ] as [(String, Violation.Status?)])
    func uptime(actual: String, expected: Violation.Status?) throws {
        #expect(try ViolationFinder.status(actual: decimal(actual), objective: objective(.uptime, "99.9"),
                                       warningBuffer: Ratio(5)) == expected)
    }

    /// Latency 200 ms: at risk at or above 95 % of the target (190 ms); breached above 200.
    @Test(arguments: [
        ("189.999", nil), ("190", Violation.Status.atRisk), ("200", .atRisk), ("200.001", .breached),
    ] as [(String, Violation.Status?)])
    func latency(actual: String, expected: Violation.Status?) throws {
        #expect(try ViolationFinder.status(actual: decimal(actual), objective: objective(.latencyP99, "200"),
                                       warningBuffer: Ratio(5)) == expected)
    }

    /// Throughput 100 req/s (gte): at risk at or below 105 % of the target; breached below 100.
    @Test(arguments: [
        ("105.001", nil), ("105", Violation.Status.atRisk), ("100", .atRisk), ("99.999", .breached),
    ] as [(String, Violation.Status?)])
    func throughput(actual: String, expected: Violation.Status?) throws {
        #expect(try ViolationFinder.status(actual: decimal(actual), objective: objective(.throughput, "100"),
                                       warningBuffer: Ratio(5)) == expected)
    }

    /// Error rate 0.1 %: the slack is the target itself; at risk from 0.095 %, breached above 0.1 %.
    @Test(arguments: [
        ("0.0949", nil), ("0.095", Violation.Status.atRisk), ("0.1", .atRisk), ("0.1001", .breached),
    ] as [(String, Violation.Status?)])
    func errorRate(actual: String, expected: Violation.Status?) throws {
        #expect(try ViolationFinder.status(actual: decimal(actual), objective: objective(.errorRate, "0.1"),
                                       warningBuffer: Ratio(5)) == expected)
    }

    @Test func aHundredPercentTargetHasNoSlackToBeAtRiskOf() throws {
        #expect(try ViolationFinder.status(actual: Ratio(100), objective: objective(.uptime, "100"), warningBuffer: Ratio(5)) == nil)
    }
}

@Suite("ViolationFinder")
struct ViolationFinderTests {
    // UTC October 2026; a daily uptime objective of 99.9 % allows 0.1 % of 86 400 000 ms = 86 400 ms down a day.
    let period = PeriodSpec.month(year: 2026, month: 10).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)

    func estate(leases: [Lease]) -> Estate {
        var policy = StatusPolicy()
        policy.maxSampleGap = 100 * oneDay
        let daily = Tier(name: "daily", objectives: [objective(.uptime, "99.9", window: oneDay)], warningBuffer: Ratio(5),
                         credits: [], creditCombine: .max, maxCredit: Ratio(100))
        let lenient = Tier(name: "lenient", objectives: [objective(.uptime, "99", window: oneDay)], warningBuffer: Ratio(5),
                           credits: [], creditCombine: .max, maxCredit: Ratio(100))
        return Estate(timezone: .utc, currency: Currency(code: "USD"), moneyRounding: .halfEven, fiscalYearStartMonth: 1,
                      statusPolicy: policy, maintenance: [], tiers: ["daily": daily, "lenient": lenient],
                      providers: [Provider(id: "p", name: "P", escrowBalance: .zero)],
                      customers: [Customer(id: "c", name: "C")],
                      services: [Service(id: "api", name: "API", provider: "p", statusSeries: "api", metrics: [:])],
                      leases: leases)
    }

    /// Up all month except: 2 h down on Oct 3, 1 h on Oct 4, 3 min on Oct 10, 83 s on Oct 20.
    var timelines: [String: Timeline] {
        var samples: [(Millis, ObservedStatus)] = [(period.interval.start, .up)]
        for (start, length) in [(utc(2026, 10, 3, 10), 2 * oneHour), (utc(2026, 10, 4, 10), oneHour),
                                (utc(2026, 10, 10, 10), 3 * oneMinute), (utc(2026, 10, 20, 10), 83 * oneSecond)] {
            samples += [(start, .down), (start + length, .up)]
        }
        let e = estate(leases: [])
        return ComplianceCalculator.timelines(estate: e, period: period, status: ["api": [series(samples)]])
    }

    func lease(start: Millis, tiers: [(String, Millis)]) -> Lease {
        Lease(id: "L-1", customer: "c", service: "api", monthlyFee: Ratio(100), active: Interval(start: start, end: .max),
              tiers: tiers.map { TierSpan(tier: $0.0, from: $0.1) })
    }

    @Test func consecutiveBreachedDaysMergeAndAtRiskDaysStandAlone() throws {
        let e = estate(leases: [lease(start: utc(2026, 1, 1), tiers: [("daily", utc(2026, 1, 1))])])
        let rows = try ViolationFinder.violations(estate: e, period: period, timelines: timelines)
        #expect(rows.map(\.status) == [.breached, .breached, .atRisk])
        // Oct 3–4 merge: worst is Oct 3, (86 400 000 − 7 200 000) / 86 400 000 = 91.6666… %.
        #expect(rows[0].window == Interval(start: utc(2026, 10, 3), end: utc(2026, 10, 5)))
        #expect(rows[0].windows == 2)
        #expect(try rows[0].actual == Ratio(100) * Ratio(86_400_000 - 7_200_000) / Ratio(86_400_000))
        // Oct 10: 180 000 ms > 86 400 ms allowed → 99.7916… %, breached on its own.
        #expect(rows[1].window == Interval(start: utc(2026, 10, 10), end: utc(2026, 10, 11)))
        // Oct 20: 83 000 / 86 400 = 96 % of the slack used (≥ 95 %): at risk, 99.9039… %.
        #expect(rows[2].window == Interval(start: utc(2026, 10, 20), end: utc(2026, 10, 21)))
        #expect(rows[2].actual.formatted(places: 4) == "99.9039")
        #expect(rows[2].status.severity == "warning" && rows[0].status.severity == "critical")
    }

    /// A lease starting Oct 15 sees only Oct 20; under a 99 % target before Oct 15 nothing before would count either.
    @Test func leaseActiveTimeAndTierLimitItsViolations() throws {
        let late = estate(leases: [lease(start: utc(2026, 10, 15), tiers: [("daily", utc(2026, 10, 15))])])
        #expect(try ViolationFinder.violations(estate: late, period: period, timelines: timelines).map(\.window.start)
                == [utc(2026, 10, 20)])
        // Lenient (99 %, so 864 000 ms a day) until Oct 4, daily after: Oct 3 (7 200 000 ms) breaches lenient,
        // Oct 4–… falls under daily: Oct 4 and Oct 10 breach, Oct 20 at risk.
        let changed = estate(leases: [lease(start: utc(2026, 1, 1),
                                            tiers: [("lenient", utc(2026, 1, 1)), ("daily", utc(2026, 10, 4))])])
        let rows = try ViolationFinder.violations(estate: changed, period: period, timelines: timelines)
        #expect(rows.map(\.target) == [Ratio(99), decimal("99.9"), decimal("99.9"), decimal("99.9")])
        #expect(rows.map(\.window.start) == [utc(2026, 10, 3), utc(2026, 10, 4), utc(2026, 10, 10), utc(2026, 10, 20)])
    }
}
