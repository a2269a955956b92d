import Testing
@testable import Calc

/// The windows `ObjectiveWindows.cut` made before it shared one list of midnights: each day's midnight asked
/// of the zone afresh. The reference for the shared-midnights version.
private func referenceCut(_ period: Period, window: Millis?, zone: Zone) -> [Interval] {
    guard let window else { return [period.interval] }
    var out: [Interval] = []
    var day = period.firstDay
    let end = period.lastDay.adding(days: 1)
    if window % Duration.day == 0 {
        let days = Int(window / Duration.day)
        while day < end {
            let next = min(day.adding(days: days), end)
            out.append(Interval(start: zone.startOfDay(day), end: zone.startOfDay(next)))
            day = next
        }
    } else {
        while day < end {
            let midnight = zone.startOfDay(day), nextMidnight = zone.startOfDay(day.adding(days: 1))
            var t = midnight
            while t < nextMidnight {
                out.append(Interval(start: t, end: min(t + window, nextMidnight)))
                t += window
            }
            day = day.adding(days: 1)
        }
    }
    return out
}

/// The worst burn rate the way `ErrorBudget.uptime` found it before: a `Ratio` bad fraction per window (from
/// `referenceFigures`), divided by the slack, the first strictly greater one kept.
private func referenceWorst(_ timeline: Timeline, windows: [Interval], policy: StatusPolicy, slack: Ratio) throws -> (Ratio, Interval)? {
    var worst: (Ratio, Interval)?
    for window in windows {
        let (eligible, good) = try referenceFigures(timeline, window, policy)
        guard eligible > 0 else { continue }
        let rate = try (Ratio(eligible) - good) / Ratio(eligible) / slack
        if worst == nil || rate > worst!.0 { worst = (rate, window) }
    }
    return worst
}

private func berlin() throws -> Zone { try systemZone("Europe/Berlin") }

private func policy(_ missingData: StatusPolicy.MissingData, weight: Ratio = Ratio(1)) -> StatusPolicy {
    var p = StatusPolicy()
    p.missingData = missingData
    p.degradedWeight = weight
    return p
}

@Suite("Burn-rate windows and the worst window")
struct BurnRateWindowsTests {
    /// The shared midnights give the same windows as asking the zone per day, across both DST changes.
    @Test func sharedMidnightsCutTheSameWindows() throws {
        let zone = try berlin()
        let periods = [
            PeriodSpec.month(date(2026, 3, 1), zone: zone),                 // 29 March: a 23 h day
            PeriodSpec.month(date(2026, 10, 1), zone: zone),                // 25 October: a 25 h day
            PeriodSpec.custom(first: date(2026, 10, 24), last: date(2026, 10, 26))
                .resolve(zone: zone, fiscalYearStartMonth: 1, now: 0),
            PeriodSpec.custom(first: date(2026, 10, 25), last: date(2026, 10, 25))
                .resolve(zone: zone, fiscalYearStartMonth: 1, now: 0),
        ]
        let lengths: [Millis?] = [nil, 5 * oneHour, oneHour, 6 * oneHour, 7 * oneHour, oneDay, 2 * oneDay, 7 * oneDay]
        for period in periods {
            let all = ObjectiveWindows.cut(period, windows: lengths, zone: zone)
            for (length, windows) in zip(lengths, all) {
                #expect(windows == referenceCut(period, window: length, zone: zone), "\(period.label) \(String(describing: length))")
                #expect(ObjectiveWindows.cut(period, window: length, zone: zone) == windows)
            }
        }
    }

    /// 25 October 2026 in Berlin is 25 h long: local midnight is 24 Oct 22:00Z, the next 25 Oct 23:00Z. Its
    /// 6 h windows start 22:00Z, 04:00Z, 10:00Z, 16:00Z and 22:00Z, the last clipped to one hour.
    /// Down 30 min at [25 Oct 22:30Z, 23:00Z), the day's last half hour; target 99 → slack 1/100.
    @Test func dstDayByHand() throws {
        let zone = try berlin()
        let period = PeriodSpec.custom(first: date(2026, 10, 25), last: date(2026, 10, 25))
            .resolve(zone: zone, fiscalYearStartMonth: 1, now: 0)
        #expect(period.interval == Interval(start: utc(2026, 10, 24, 22), end: utc(2026, 10, 25, 23)))
        let windows = BurnRate.windows(of: period, zone: zone)
        #expect(windows.map(\.count) == [25, 5, 1])
        #expect(windows[1].last == Interval(start: utc(2026, 10, 25, 22), end: utc(2026, 10, 25, 23)))

        let timeline = Timeline(range: period.interval, segments: [
            segment(utc(2026, 10, 24, 22), utc(2026, 10, 25, 22, 30), .up),
            segment(utc(2026, 10, 25, 22, 30), utc(2026, 10, 25, 23), .down),
        ])
        let objective = Objective(id: "uptime", metric: .uptime, target: Ratio(99), window: nil)
        let budget = try ErrorBudget.uptime(objective: objective, timeline: timeline, period: period, zone: zone,
                                            policy: StatusPolicy())
        // 1 h: the last hour is half down: 0.5 / 0.01 = 50.
        #expect(budget.burnRates[0].worst == Ratio(50))
        #expect(budget.burnRates[0].worstWindow == Interval(start: utc(2026, 10, 25, 22), end: utc(2026, 10, 25, 23)))
        // 6 h: the clipped one-hour window is the same half hour in one hour: 50 too.
        #expect(budget.burnRates[1].worst == Ratio(50))
        #expect(budget.burnRates[1].worstWindow == windows[1].last)
        // 24 h (the 25 h local day): 0.5 / 25 = 1/50 → 2.
        #expect(budget.burnRates[2].worst == Ratio(2))
        #expect(budget.burnRates[2].worstWindow == period.interval)
    }

    /// Two hours equally bad: the first one is reported.
    @Test func firstOfEqualWindowsWins() throws {
        let period = PeriodSpec.custom(first: date(2026, 10, 1), last: date(2026, 10, 1))
            .resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        let timeline = Timeline(range: period.interval, segments: [
            segment(utc(2026, 10, 1, 0), utc(2026, 10, 1, 2, 30), .up),
            segment(utc(2026, 10, 1, 2, 30), utc(2026, 10, 1, 3), .down),        // hour 2: 30 min down
            segment(utc(2026, 10, 1, 3), utc(2026, 10, 1, 20), .up),
            segment(utc(2026, 10, 1, 20), utc(2026, 10, 1, 20, 15), .down),      // hour 20: 15 min down
            segment(utc(2026, 10, 1, 20, 15), utc(2026, 10, 1, 20, 30), .unknown),  // … of 45 min eligible
            segment(utc(2026, 10, 1, 20, 30), utc(2026, 10, 1, 20, 45), .down),     // … another 15 min: 30 of 45
            segment(utc(2026, 10, 1, 20, 45), utc(2026, 10, 1, 21), .up),
            segment(utc(2026, 10, 1, 21), utc(2026, 10, 1, 21, 30), .maintenance),  // hour 21: 30 min down of 30
            segment(utc(2026, 10, 1, 21, 30), utc(2026, 10, 1, 22), .down),
            segment(utc(2026, 10, 1, 22), utc(2026, 10, 2), .up),
        ])
        let objective = Objective(id: "uptime", metric: .uptime, target: Ratio(99), window: nil)
        let budget = try ErrorBudget.uptime(objective: objective, timeline: timeline, period: period, zone: .utc,
                                            policy: StatusPolicy())
        // Hour 2: 1/2 → 50; hour 20: 30/45 = 2/3 → 200/3; hour 21: 30/30 = 1 → 100, the worst.
        #expect(budget.burnRates[0].worst == Ratio(100))
        #expect(budget.burnRates[0].worstWindow == Interval(start: utc(2026, 10, 1, 21), end: utc(2026, 10, 1, 22)))

        // Hour 2 as before (30 of 60 min down) and hour 20 with 15 of its 30 eligible minutes down: the same
        // fraction, 1/2, in different terms. They tie and hour 2, the first, wins.
        let tied = Timeline(range: period.interval, segments: [
            segment(utc(2026, 10, 1, 0), utc(2026, 10, 1, 2, 30), .up),
            segment(utc(2026, 10, 1, 2, 30), utc(2026, 10, 1, 3), .down),
            segment(utc(2026, 10, 1, 3), utc(2026, 10, 1, 20), .up),
            segment(utc(2026, 10, 1, 20), utc(2026, 10, 1, 20, 30), .unknown),
            segment(utc(2026, 10, 1, 20, 30), utc(2026, 10, 1, 20, 45), .down),
            segment(utc(2026, 10, 1, 20, 45), utc(2026, 10, 2), .up),
        ])
        let tie = try ErrorBudget.uptime(objective: objective, timeline: tied, period: period, zone: .utc,
                                         policy: StatusPolicy())
        #expect(tie.burnRates[0].worst == Ratio(50))
        #expect(tie.burnRates[0].worstWindow == Interval(start: utc(2026, 10, 1, 2), end: utc(2026, 10, 1, 3)))
    }

    /// October 2026 in Berlin with down, degraded, unknown and maintenance stretches (some across the 25 h
    /// day and across window edges): the integer ranking picks the same worst window and rate as dividing
    /// `Ratio`s per window, for every `missing_data` mode and several degraded weights.
    @Test(arguments: StatusPolicy.MissingData.allCases)
    func agreesWithThePerWindowRatioReference(missingData: StatusPolicy.MissingData) throws {
        let zone = try berlin()
        let period = PeriodSpec.month(date(2026, 10, 1), zone: zone)
        let start = period.interval.start
        // A deterministic pattern of stretches: lengths of 7–97 minutes cycling through the five states.
        var segments: [Segment] = []
        var t = start
        var k: Int64 = 0
        let states: [ServiceState] = [.up, .degraded, .up, .down, .unknown, .up, .maintenance, .up]
        while t < period.interval.end {
            let length = min((7 + (k * 37) % 91) * oneMinute + (k % 5) * 250, period.interval.end - t)
            segments.append(segment(t, t + length, states[Int(k % Int64(states.count))]))
            t += length
            k += 1
        }
        let timeline = Timeline(range: period.interval, segments: Timeline.merged(segments))
        let windows = BurnRate.windows(of: period, zone: zone)
        for weight in [Ratio(1), Ratio(0), Ratio(1, 2), Ratio(1, 3)] {
            let p = policy(missingData, weight: weight)
            for target in [Ratio(99), Ratio(999, 10), Ratio(9999, 100)] {
                let slack = try (Ratio.hundred - target) / Ratio.hundred
                let objective = Objective(id: "uptime", metric: .uptime, target: target, window: nil)
                let budget = try ErrorBudget.uptime(objective: objective, timeline: timeline, period: period, zone: zone, policy: p)
                for (rate, windows) in zip(budget.burnRates, windows) {
                    let reference = try referenceWorst(timeline, windows: windows, policy: p, slack: slack)
                    #expect(rate.worst == reference?.0)
                    #expect(rate.worstWindow == reference?.1)
                }
                let whole = try referenceFigures(timeline, period.interval, p)
                #expect(budget.base == Ratio(whole.eligible))
                #expect(try budget.consumed == Ratio(whole.eligible) - whole.good)
            }
        }
    }

    /// missing_data: exclude and a day with nothing known: every window of that day is skipped, not counted as 0.
    @Test func windowsWithNothingEligibleAreSkipped() throws {
        let period = PeriodSpec.custom(first: date(2026, 10, 1), last: date(2026, 10, 2))
            .resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        let timeline = Timeline(range: period.interval, segments: [
            segment(utc(2026, 10, 1), utc(2026, 10, 2), .unknown),
            segment(utc(2026, 10, 2), utc(2026, 10, 3), .up),
        ])
        let objective = Objective(id: "uptime", metric: .uptime, target: Ratio(99), window: nil)
        let budget = try ErrorBudget.uptime(objective: objective, timeline: timeline, period: period, zone: .utc,
                                            policy: StatusPolicy())
        // Only day 2 has data, all good: the worst is 0, first found at 2 Oct 00:00 (not in the unknown day 1).
        #expect(budget.burnRates[0].worst == .zero)
        #expect(budget.burnRates[0].worstWindow == Interval(start: utc(2026, 10, 2), end: utc(2026, 10, 2, 1)))
        #expect(budget.burnRates[2].worstWindow == Interval(start: utc(2026, 10, 2), end: utc(2026, 10, 3)))
    }
}
