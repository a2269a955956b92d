import Testing
@testable import Calc

/// 2026-10-01T00:00:00Z plus hours and minutes.
private func at(_ hours: Int64, _ minutes: Int64 = 0) -> Millis { utc(2026, 10, 1) + hours * oneHour + minutes * oneMinute }

/// One day: up 0–18, degraded 18–20, down 20–21, unknown 21–22, maintenance 22–24 (as in `UptimeStatsTests`).
private let day = Timeline(range: Interval(start: at(0), end: at(24)), segments: [
    segment(at(0), at(18), .up), segment(at(18), at(20), .degraded), segment(at(20), at(21), .down),
    segment(at(21), at(22), .unknown), segment(at(22), at(24), .maintenance),
])

private func policy(_ missingData: StatusPolicy.MissingData, weight: Ratio = Ratio(1)) -> StatusPolicy {
    var p = StatusPolicy()
    p.missingData = missingData
    p.degradedWeight = weight
    return p
}

/// Eligible and good time of a window the way `UptimeStats` computed them before `StateTally` existed: walk
/// the clipped segments and add `Ratio`s. An independent reference for the integer arithmetic.
func referenceFigures(_ timeline: Timeline, _ window: Interval, _ policy: StatusPolicy) throws -> (eligible: Millis, good: Ratio) {
    var up: Millis = 0, degraded: Millis = 0, down: Millis = 0, unknown: Millis = 0, maintenance: Millis = 0
    for s in timeline.segments(in: window) {
        let d = s.end - s.start
        switch s.state {
        case .up: up += d
        case .degraded: degraded += d
        case .down: down += d
        case .unknown: unknown += d
        case .maintenance: maintenance += d
        }
    }
    unknown += window.duration - (up + degraded + down + unknown + maintenance)
    let eligible = window.duration - maintenance - (policy.missingData == .exclude ? unknown : 0)
    let good = try Ratio(up) + policy.degradedWeight * Ratio(degraded) + (policy.missingData == .up ? Ratio(unknown) : .zero)
    return (eligible, good)
}

@Suite("StateTally (integer uptime sums per window)")
struct StateTallyTests {
    @Test func sumsEachStateAndFillsUncoveredTimeWithUnknown() throws {
        let t = StateTally(timeline: day, window: day.range)
        #expect([t.upMs, t.degradedMs, t.downMs, t.unknownMs, t.maintenanceMs]
            == [18 * oneHour, 2 * oneHour, oneHour, oneHour, 2 * oneHour])
        // [23:00, +2 h) reaches an hour past the timeline: 1 h maintenance, then 1 h not covered → unknown.
        let past = StateTally(timeline: day, window: Interval(start: at(23), end: at(25)))
        #expect(past.maintenanceMs == oneHour && past.unknownMs == oneHour && past.totalMs == 2 * oneHour)
        // A window inside one segment: [17:30, 18:30) is 30 min up, 30 min degraded.
        let inside = StateTally(timeline: day, window: Interval(start: at(17, 30), end: at(18, 30)))
        #expect(inside.upMs == 30 * oneMinute && inside.degradedMs == 30 * oneMinute && inside.totalMs == oneHour)
    }

    /// Whole day, partial:0.5: scaled good = 2 · (18 h up) + 1 · (2 h degraded) = 38 h over a scale of 2 → 19 h.
    @Test func halfWeightIsExactInScaledMilliseconds() throws {
        let t = StateTally(timeline: day, window: day.range)
        let half = policy(.exclude, weight: Ratio(1, 2))
        #expect(StateTally.goodScale(policy: half) == 2)
        #expect(t.scaledGoodMs(policy: half) == Int128(38 * oneHour))
        #expect(t.goodMs(policy: half) == Ratio(Int64(19 * oneHour)))
        // eligible 21 h (24 − 2 maintenance − 1 unknown); bad = 21 − 19 = 2 h, scaled 4 h.
        #expect(t.eligibleMs(policy: half) == 21 * oneHour)
        #expect(t.scaledBadMs(policy: half) == Int128(4 * oneHour))
        // 100 · 19 / 21 = 1900/21.
        #expect(try t.uptimePercent(policy: half) == Ratio(1_900, 21))

        // 1 ms degraded, 2 ms up at partial:0.5: good = 2.5 ms, which only the scaled figure holds exactly (5 / 2).
        let tiny = Timeline(range: Interval(start: 0, end: 3), segments: [segment(0, 2, .up), segment(2, 3, .degraded)])
        let tinyTally = StateTally(timeline: tiny, window: tiny.range)
        #expect(tinyTally.scaledGoodMs(policy: half) == 5)
        #expect(tinyTally.goodMs(policy: half) == Ratio(5, 2))
        #expect(try tinyTally.uptimePercent(policy: half) == Ratio(500, 6))   // 100 · 2.5 / 3 = 250/3
    }

    @Test func missingDataModes() throws {
        let t = StateTally(timeline: day, window: day.range)
        // exclude: eligible 21 h, good 20 h; up: eligible 22 h, good 21 h; down: eligible 22 h, good 20 h.
        #expect(t.eligibleMs(policy: policy(.exclude)) == 21 * oneHour)
        #expect(t.goodMs(policy: policy(.exclude)) == Ratio(Int64(20 * oneHour)))
        #expect(t.eligibleMs(policy: policy(.up)) == 22 * oneHour)
        #expect(t.goodMs(policy: policy(.up)) == Ratio(Int64(21 * oneHour)))
        #expect(t.eligibleMs(policy: policy(.down)) == 22 * oneHour)
        #expect(t.goodMs(policy: policy(.down)) == Ratio(Int64(20 * oneHour)))
        // A window of only maintenance has nothing eligible: no data.
        let maintenance = StateTally(timeline: day, window: Interval(start: at(22), end: at(24)))
        #expect(try maintenance.uptimePercent(policy: policy(.up)) == nil)
    }

    /// Every window of every length, under every policy, agrees with the `Ratio` reference.
    @Test(arguments: StatusPolicy.MissingData.allCases)
    func agreesWithTheRatioReference(missingData: StatusPolicy.MissingData) throws {
        for weight in [Ratio(0), Ratio(1), Ratio(1, 2), Ratio(1, 3), Ratio(7, 10)] {
            let p = policy(missingData, weight: weight)
            for length in [7 * oneMinute, 25 * oneMinute, oneHour, 5 * oneHour, oneDay + oneHour] {
                var start = at(0) - oneHour   // from before the timeline, so uncovered time is tested too
                while start < at(25) {
                    let window = Interval(start: start, end: start + length)
                    let tally = StateTally(timeline: day, window: window)
                    let reference = try referenceFigures(day, window, p)
                    #expect(tally.eligibleMs(policy: p) == reference.eligible)
                    #expect(tally.goodMs(policy: p) == reference.good)
                    #expect(try tally.uptimePercent(policy: p)
                        == (reference.eligible > 0 ? Ratio.hundred * reference.good / Ratio(reference.eligible) : nil))
                    start += length
                }
            }
        }
    }

    @Test func uptimeStatsKeepsItsFiguresAndIncidents() throws {
        let stats = try UptimeStats(timeline: day, window: Interval(start: at(19), end: at(23)), policy: policy(.exclude),
                                service: "api")
        // [19, 23): degraded 1 h, down 1 h, unknown 1 h, maintenance 1 h; eligible 4 − 1 − 1 = 2 h, good 1 h.
        #expect(stats.degradedMs == oneHour && stats.downMs == oneHour && stats.unknownMs == oneHour)
        #expect(stats.maintenanceMs == oneHour && stats.eligibleMs == 2 * oneHour && stats.goodMs == Ratio(Int64(oneHour)))
        #expect(stats.outages == [Incident(service: "api", state: .down, start: at(20), end: at(21))])
        #expect(stats.degradations == [Incident(service: "api", state: .degraded, start: at(19), end: at(20))])
    }
}

@Suite("UnreducedFraction")
struct UnreducedFractionTests {
    @Test func comparesByCrossMultiplying() throws {
        #expect(UnreducedFraction(1, 3) < UnreducedFraction(1, 2))
        #expect(UnreducedFraction(2, 4) == UnreducedFraction(1, 2))       // equal value, different terms
        #expect(!(UnreducedFraction(2, 4) < UnreducedFraction(1, 2)))
        #expect(UnreducedFraction(-1, 2) < UnreducedFraction(0, 5))
        #expect(UnreducedFraction(-1, 2) < UnreducedFraction(-1, 3))      // −0.5 < −0.333…
        #expect(UnreducedFraction(6, 4).ratio == Ratio(3, 2))
    }

    /// Products beyond 128 bits: (2^100 + 1) / 2^100 against 1 / 1 needs 2^100 · 1 vs (2^100 + 1) · 1, fine, but
    /// (2^100 + 1)/2^101 against (2^100)/(2^101 − 1) multiplies two ~2^100 numbers.
    @Test func neverOverflows() throws {
        let p100 = Int128(1) << 100
        let a = UnreducedFraction(p100 + 1, p100 * 2)       // just over ½
        let b = UnreducedFraction(p100, p100 * 2 - 1)       // also just over ½, by about 2^-102
        // a − ½ = 1 / 2^101; b − ½ = 1 / (2 · (2^101 − 1)), slightly more than 1 / 2^102: so b < a.
        #expect(b < a)
        #expect(!(a < b))
        #expect(UnreducedFraction(-p100, 1) < UnreducedFraction(p100, 3))
    }
}
