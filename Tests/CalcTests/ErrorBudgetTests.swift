import Testing
@testable import Calc

/// 2026-10-01 (UTC) as a one-day period: 86 400 000 ms.
private let day = PeriodSpec.custom(first: date(2026, 10, 1), last: date(2026, 10, 1))
    .resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)

/// 2026-10-01T00:00:00Z plus hours, minutes, seconds and milliseconds.
private func at(_ hours: Int64, _ minutes: Int64 = 0, _ seconds: Int64 = 0, ms: Int64 = 0) -> Millis {
    utc(2026, 10, 1) + hours * oneHour + minutes * oneMinute + seconds * oneSecond + ms
}

private func uptimeObjective(_ target: String) -> Objective {
    Objective(id: "uptime", metric: .uptime, target: metricDecimal(target), window: nil)
}

/// Up all day except `down` from 10:00.
private func dayDownAtTen(for down: Millis) -> Timeline {
    Timeline(range: day.interval, segments: [
        segment(at(0), at(10), .up), segment(at(10), at(10) + down, .down), segment(at(10) + down, at(24), .up),
    ])
}

private func uptimeBudget(_ timeline: Timeline, target: String = "99.9", policy: StatusPolicy = StatusPolicy()) throws -> ErrorBudget {
    try ErrorBudget.uptime(objective: uptimeObjective(target), timeline: timeline, period: day, zone: .utc, policy: policy)
}

@Suite("ErrorBudget status thresholds")
struct ErrorBudgetStatusTests {
    /// `healthy` ≥ 50, `warning` ≥ 20, `critical` > 0, else `exhausted`: each boundary goes to the better status.
    @Test(arguments: [
        ("100", ErrorBudget.Status.healthy), ("50", .healthy), ("49.9999", .warning), ("20", .warning),
        ("19.9999", .critical), ("0.0001", .critical), ("0", .exhausted), ("-150", .exhausted),
    ])
    func status(remaining: String, expected: ErrorBudget.Status) {
        #expect(ErrorBudget.status(remainingPercent: metricDecimal(remaining)) == expected)
    }
}

@Suite("Burn rate classes")
struct BurnRateTests {
    /// `normal` < 1 ≤ `elevated` < 6 ≤ `fast` < 14.4 ≤ `critical`.
    @Test(arguments: [
        ("0", BurnRate.Level.normal), ("0.9999", .normal), ("1", .elevated), ("5.9999", .elevated),
        ("6", .fast), ("14.3999", .fast), ("14.4", .critical), ("1000", .critical),
    ])
    func level(rate: String, expected: BurnRate.Level) {
        #expect(BurnRate.level(of: metricDecimal(rate)) == expected)
    }

    @Test func windowLengths() {
        #expect(BurnRate.windowLengths == [oneHour, 6 * oneHour, oneDay])
    }
}

@Suite("ErrorBudget for uptime (from a timeline)")
struct ErrorBudgetUptimeTests {
    /// 99.9 % of a 24 h day: the budget is 0.1 % of 86 400 000 ms = 86 400 ms. 43 200 ms down uses half.
    @Test func halfTheBudgetUsed() throws {
        let budget = try uptimeBudget(dayDownAtTen(for: 43_200))
        #expect(budget.unit == .milliseconds)
        #expect(budget.base == Ratio(86_400_000))
        #expect(budget.budget == Ratio(86_400))
        #expect(budget.consumed == Ratio(43_200))
        // 100 · (86 400 − 43 200) / 86 400 = 50: exactly on the healthy boundary.
        #expect(budget.remainingPercent == Ratio(50))
        #expect(budget.status == .healthy)
    }

    /// Burn rate = bad fraction ÷ 0.001, per window from local midnight.
    @Test func worstBurnRatesPerWindowLength() throws {
        let budget = try uptimeBudget(dayDownAtTen(for: 43_200))
        #expect(budget.burnRates.map(\.windowLength) == [oneHour, 6 * oneHour, oneDay])
        // 1 h [10:00, 11:00): 43 200 / 3 600 000 = 0.012 → 12.
        #expect(budget.burnRates[0].worst == Ratio(12))
        #expect(budget.burnRates[0].worstWindow == Interval(start: at(10), end: at(11)))
        #expect(budget.burnRates[0].level == .fast)
        // 6 h [06:00, 12:00): 43 200 / 21 600 000 = 0.002 → 2.
        #expect(budget.burnRates[1].worst == Ratio(2))
        #expect(budget.burnRates[1].worstWindow == Interval(start: at(6), end: at(12)))
        #expect(budget.burnRates[1].level == .elevated)
        // 24 h: 43 200 / 86 400 000 = 0.0005 → 0.5.
        #expect(budget.burnRates[2].worst == Ratio(1, 2))
        #expect(budget.burnRates[2].level == .normal)
    }

    /// 216 000 ms down is 2.5 budgets: remaining 100 · (86 400 − 216 000) / 86 400 = −150, shown as is.
    @Test func overspentGoesNegative() throws {
        let budget = try uptimeBudget(dayDownAtTen(for: 216_000))
        #expect(budget.remainingPercent == Ratio(-150))
        #expect(budget.remainingPercent!.formatted(places: 4) == "-150.0000")
        #expect(budget.status == .exhausted)
        // 1 h: 216 000 / 3 600 000 = 0.06 → 60.
        #expect(budget.burnRates[0].worst == Ratio(60))
        #expect(budget.burnRates[0].level == .critical)
    }

    /// Up, except: unknown 01:00–02:00, degraded 02:00–02:01 at weight 0.5.
    private let mixed = Timeline(range: day.interval, segments: [
        segment(at(0), at(1), .up), segment(at(1), at(2), .unknown), segment(at(2), at(2, 1), .degraded),
        segment(at(2, 1), at(24), .up),
    ])

    @Test func badTimeFollowsTheUptimePolicy() throws {
        var policy = StatusPolicy()
        policy.degradedWeight = Ratio(1, 2)
        policy.missingData = .exclude
        let budget = try uptimeBudget(mixed, policy: policy)
        // eligible = 24 h − 1 h unknown = 82 800 000; bad = half of 60 000 degraded = 30 000.
        #expect(budget.base == Ratio(82_800_000))
        #expect(budget.budget == Ratio(82_800))
        #expect(budget.consumed == Ratio(30_000))
        // 100 · 52 800 / 82 800 = 4400/69 ≈ 63.7681.
        #expect(budget.remainingPercent == Ratio(4400, 69))
        #expect(budget.status == .healthy)
        // 1 h: [01:00, 02:00) has nothing eligible and is skipped; [02:00, 03:00): 30 000 / 3 600 000 → 25/3.
        #expect(budget.burnRates[0].worst == Ratio(25, 3))
        #expect(budget.burnRates[0].worstWindow == Interval(start: at(2), end: at(3)))
        // 6 h [00:00, 06:00): 30 000 of 5 h eligible = 1/600 → 5/3.
        #expect(budget.burnRates[1].worst == Ratio(5, 3))
        // 24 h: 30 000 / 82 800 000 → 25/69.
        #expect(budget.burnRates[2].worst == Ratio(25, 69))

        // With missing_data: down the unknown hour is bad time: that hour burns 1 / 0.001 = 1000.
        policy.missingData = .down
        let strict = try uptimeBudget(mixed, policy: policy)
        #expect(strict.consumed == Ratio(3_630_000))
        #expect(strict.burnRates[0].worst == Ratio(1000))
        #expect(strict.burnRates[0].worstWindow == Interval(start: at(1), end: at(2)))
        #expect(strict.status == .exhausted)
    }

    @Test func noEligibleTimeIsNoData() throws {
        let unknownDay = Timeline(range: day.interval, segments: [segment(at(0), at(24), .unknown)])
        let budget = try uptimeBudget(unknownDay)
        #expect(budget.base == .zero && budget.budget == .zero && budget.consumed == .zero)
        #expect(budget.remainingPercent == nil)
        #expect(budget.status == nil)
        #expect(budget.burnRates.allSatisfy { $0.worst == nil && $0.level == nil && $0.worstWindow == nil })
        #expect(budget.freezeRemainingPercent == nil)
    }

    /// A 100 % target allows no bad time: a zero budget, no percentage, no burn rate.
    @Test func zeroBudget() throws {
        let spent = try uptimeBudget(dayDownAtTen(for: 43_200), target: "100")
        #expect(spent.budget == .zero)
        #expect(spent.remainingPercent == nil)
        #expect(spent.status == .exhausted)
        #expect(spent.burnRates.allSatisfy { $0.worst == nil })
        #expect(spent.freezeRemainingPercent == .zero)

        let clean = try uptimeBudget(dayDownAtTen(for: 0), target: "100")
        #expect(clean.status == .healthy)
        #expect(clean.freezeRemainingPercent == Ratio(100))
    }
}

@Suite("ErrorBudget for error rate (from counters)")
struct ErrorBudgetErrorRateTests {
    /// Requests: 10 000 an hour, sampled on the hour 00:00 … 24:00. The pairs ending 01:00 … 23:00 fall in
    /// the day (the one ending 24:00 is the next day's): 23 × 10 000 = 230 000 requests.
    /// Errors: 0 until 04:00, 115 from 05:00: all 115 in the pair ending 05:00.
    let metrics = ServiceMetrics(
        requests: [metricCounter("http_requests_total", [:], (0...24).map { (at($0), 10_000 * $0) })],
        errors: [metricCounter("http_requests_total", ["code": "500"], (0...24).map { (at($0), $0 >= 5 ? 115 : 0) })],
        latency: [])
    let objective = Objective(id: "errors", metric: .errorRate, target: metricDecimal("0.1"), window: oneDay)

    @Test func budgetIsTargetPercentOfRequests() throws {
        let budget = try ErrorBudget.errorRate(objective: objective, metrics: metrics, period: day, zone: .utc)
        #expect(budget.unit == .requests)
        #expect(budget.base == Ratio(230_000))
        #expect(budget.budget == Ratio(230))           // 0.1 % of 230 000
        #expect(budget.consumed == Ratio(115))
        #expect(budget.remainingPercent == Ratio(50))  // 100 · (230 − 115) / 230
        #expect(budget.status == .healthy)
    }

    /// Burn rate = (errors / requests) ÷ 0.001.
    @Test func burnRates() throws {
        let budget = try ErrorBudget.errorRate(objective: objective, metrics: metrics, period: day, zone: .utc)
        // 1 h [05:00, 06:00) holds the pair ending 05:00: 115 / 10 000 = 0.0115 → 11.5.
        #expect(budget.burnRates[0].worst == Ratio(23, 2))
        #expect(budget.burnRates[0].worstWindow == Interval(start: at(5), end: at(6)))
        #expect(budget.burnRates[0].level == .fast)
        // 6 h [00:00, 06:00): pairs ending 01:00 … 05:00, 50 000 requests: 115 / 50 000 = 0.0023 → 2.3.
        #expect(budget.burnRates[1].worst == Ratio(23, 10))
        #expect(budget.burnRates[1].level == .elevated)
        // 24 h: 115 / 230 000 = 0.0005 → 0.5.
        #expect(budget.burnRates[2].worst == Ratio(1, 2))
        #expect(budget.burnRates[2].level == .normal)
    }

    /// One sample is no increase (an increase needs a pair), so no window has requests: no data, as with none.
    @Test func aSingleRequestsSampleIsNoData() throws {
        let single = ServiceMetrics(requests: [metricCounter("http_requests_total", [:], [(at(3), 500)])],
                                    errors: [], latency: [])
        let budget = try ErrorBudget.errorRate(objective: objective, metrics: single, period: day, zone: .utc)
        #expect(budget.base == .zero && budget.status == nil)
        #expect(budget.burnRates.map(\.windowLength) == BurnRate.windowLengths)
        #expect(budget.burnRates.allSatisfy { $0.worst == nil && $0.worstWindow == nil })
    }

    @Test func noRequestsIsNoData() throws {
        let empty = ServiceMetrics(requests: [], errors: [], latency: [])
        let budget = try ErrorBudget.errorRate(objective: objective, metrics: empty, period: day, zone: .utc)
        #expect(budget.status == nil && budget.remainingPercent == nil)
        #expect(budget.burnRates.allSatisfy { $0.worst == nil })
    }
}

@Suite("ErrorBudget freeze (hysteresis)")
struct ErrorBudgetFreezeTests {
    /// Freeze below 20 % remaining; thaw only above 50 %.
    @Test func sequence() {
        var previous: Bool? = nil
        var flags: [Bool] = []
        for remaining in ["60", "15", "35", "55"] {
            let flag = ErrorBudget.freeze(remainingPercent: metricDecimal(remaining), previousFreeze: previous)
            flags.append(flag)
            previous = flag
        }
        #expect(flags == [false, true, true, false])
    }

    @Test func boundaries() {
        #expect(ErrorBudget.freeze(remainingPercent: Ratio(20), previousFreeze: false) == false)   // not below 20
        #expect(ErrorBudget.freeze(remainingPercent: metricDecimal("19.9999"), previousFreeze: false) == true)
        #expect(ErrorBudget.freeze(remainingPercent: Ratio(50), previousFreeze: true) == true)     // not above 50
        #expect(ErrorBudget.freeze(remainingPercent: metricDecimal("50.0001"), previousFreeze: true) == false)
        #expect(ErrorBudget.freeze(remainingPercent: Ratio(35), previousFreeze: false) == false)
        #expect(ErrorBudget.freeze(remainingPercent: Ratio(-150), previousFreeze: nil) == true)
    }

    @Test func noDataKeepsThePreviousFlag() {
        #expect(ErrorBudget.freeze(remainingPercent: nil, previousFreeze: true) == true)
        #expect(ErrorBudget.freeze(remainingPercent: nil, previousFreeze: false) == false)
        #expect(ErrorBudget.freeze(remainingPercent: nil, previousFreeze: nil) == false)
    }

    private func budget(remaining: String?) -> ErrorBudget {
        let percent = remaining.map(metricDecimal)
        return ErrorBudget(objective: Objective(id: "uptime", metric: .uptime, target: Ratio(99), window: nil),
                           unit: .milliseconds, base: Ratio(1000), budget: Ratio(10), consumed: .zero,
                           remainingPercent: percent, status: percent.map { ErrorBudget.status(remainingPercent: $0) },
                           burnRates: [])
    }

    /// A service counts as its least remaining budget.
    @Test func serviceFlagFromAllItsBudgets() {
        #expect(ErrorBudget.freeze(service: [budget(remaining: "60"), budget(remaining: "15")], previousFreeze: nil) == true)
        #expect(ErrorBudget.freeze(service: [budget(remaining: "55"), budget(remaining: "51")], previousFreeze: true) == false)
        #expect(ErrorBudget.freeze(service: [budget(remaining: "55"), budget(remaining: "45")], previousFreeze: true) == true)
        #expect(ErrorBudget.freeze(service: [budget(remaining: "55"), budget(remaining: nil)], previousFreeze: true) == false)
        #expect(ErrorBudget.freeze(service: [budget(remaining: nil)], previousFreeze: true) == true)
        #expect(ErrorBudget.freeze(service: [], previousFreeze: nil) == false)
    }
}
