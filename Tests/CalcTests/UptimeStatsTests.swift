import Testing
@testable import Calc

/// 2026-10-01T00:00:00Z plus `hours`.
private func h(_ hours: Int64) -> Millis { utc(2026, 10, 1) + hours * oneHour }

/// One day, hour by hour: up 0–18 (18 h), degraded 18–20 (2 h), down 20–21 (1 h), unknown 21–22 (1 h),
/// maintenance 22–24 (2 h). 18 + 2 + 1 + 1 + 2 = 24 h.
private let day = Timeline(range: Interval(start: h(0), end: h(24)), segments: [
    segment(h(0), h(18), .up), segment(h(18), h(20), .degraded), segment(h(20), h(21), .down),
    segment(h(21), h(22), .unknown), segment(h(22), h(24), .maintenance),
])

private func stats(_ timeline: Timeline, _ window: Interval? = nil, missingData: StatusPolicy.MissingData = .exclude,
                   degradedWeight: Ratio = Ratio(1)) throws -> UptimeStats {
    var policy = StatusPolicy()
    policy.missingData = missingData
    policy.degradedWeight = degradedWeight
    return try UptimeStats(timeline: timeline, window: window ?? timeline.range, policy: policy, service: "api")
}

@Suite("UptimeStats (§5.1.4)")
struct UptimeStatsTests {
    @Test func observedMillisecondsDoNotDependOnThePolicy() throws {
        for missing in StatusPolicy.MissingData.allCases {
            let s = try stats(day, missingData: missing)
            #expect(s.upMs == 18 * oneHour)
            #expect(s.degradedMs == 2 * oneHour)
            #expect(s.downMs == 1 * oneHour)
            #expect(s.unknownMs == 1 * oneHour)
            #expect(s.maintenanceMs == 2 * oneHour)
            #expect(s.totalMs == 24 * oneHour)
            #expect(s.knownMs == 21 * oneHour)
        }
    }

    @Test func missingDataExclude() throws {
        let s = try stats(day, missingData: .exclude)
        // eligible = 24 − 2 maintenance − 1 unknown = 21 h; good = 18 up + 1 × 2 degraded = 20 h.
        #expect(s.eligibleMs == 21 * oneHour)
        #expect(s.goodMs == Ratio(Int64(20 * oneHour)))
        // 100 × 20 / 21 = 2000/21 ≈ 95.2381 %.
        #expect(s.uptimePercent == Ratio(2_000, 21))
        #expect(s.uptimePercent?.formatted(places: 4) == "95.2381")
        // coverage = 100 × 21 known / (24 − 2) = 2100/22 = 1050/11 ≈ 95.4545 %.
        #expect(s.coveragePercent == Ratio(1_050, 11))
    }

    @Test func missingDataUp() throws {
        let s = try stats(day, missingData: .up)
        // eligible = 24 − 2 = 22 h; good = 18 + 2 + 1 unknown = 21 h → 2100/22 = 1050/11.
        #expect(s.eligibleMs == 22 * oneHour)
        #expect(s.goodMs == Ratio(Int64(21 * oneHour)))
        #expect(s.uptimePercent == Ratio(1_050, 11))
        // Coverage is what was observed, whatever missing_data says.
        #expect(s.coveragePercent == Ratio(1_050, 11))
    }

    @Test func missingDataDown() throws {
        let s = try stats(day, missingData: .down)
        // eligible = 22 h; good = 20 h (unknown is not good) → 2000/22 = 1000/11 ≈ 90.9091 %.
        #expect(s.eligibleMs == 22 * oneHour)
        #expect(s.uptimePercent == Ratio(1_000, 11))
        #expect(s.uptimePercent?.formatted(places: 4) == "90.9091")
    }

    @Test func degradedWeights() throws {
        // degraded: down → weight 0: good = 18 h of 21 → 1800/21 = 600/7 ≈ 85.7143 %.
        #expect(try stats(day, degradedWeight: .zero).uptimePercent == Ratio(600, 7))
        // partial:0.5 → good = 18 + ½ × 2 = 19 h → 1900/21.
        let half = try stats(day, degradedWeight: Ratio(1, 2))
        #expect(half.goodMs == Ratio(Int64(19 * oneHour)))
        #expect(half.uptimePercent == Ratio(1_900, 21))
    }

    @Test func partialWeightKeepsHalfMilliseconds() throws {
        // One second: up 999 ms, degraded 1 ms. With partial:0.5, good = 999 + ½ = 1999/2 ms exactly.
        let t = Timeline(range: Interval(start: 0, end: 1_000), segments: [segment(0, 999, .up), segment(999, 1_000, .degraded)])
        let s = try stats(t, degradedWeight: Ratio(1, 2))
        #expect(s.goodMs == Ratio(1_999, 2))
        // 100 × (1999/2) / 1000 = 1999/20 = 99.95 %, not 99.9 (floor) or 100 (round-up of the half).
        #expect(s.uptimePercent == Ratio(1_999, 20))
        #expect(s.uptimePercent?.formatted(places: 4) == "99.9500")
    }

    @Test func zeroEligibleTimeGivesNoUptime() throws {
        let allUnknown = Timeline(range: Interval(start: h(0), end: h(1)), segments: [segment(h(0), h(1), .unknown)])
        let excluded = try stats(allUnknown, missingData: .exclude)
        #expect(excluded.eligibleMs == 0)
        #expect(excluded.uptimePercent == nil)
        #expect(excluded.coveragePercent == .zero)  // 0 known of 1 h
        // The same hour counted as down is eligible and 0 % up.
        let asDown = try stats(allUnknown, missingData: .down)
        #expect(asDown.eligibleMs == oneHour)
        #expect(asDown.uptimePercent == .zero)

        let allMaintenance = Timeline(range: Interval(start: h(0), end: h(1)), segments: [segment(h(0), h(1), .maintenance)])
        let m = try stats(allMaintenance, missingData: .down)
        #expect(m.eligibleMs == 0)
        #expect(m.uptimePercent == nil)
        #expect(m.coveragePercent == nil)
    }

    @Test(arguments: [
        Interval(start: h(0), end: h(24)),
        Interval(start: h(17) + 59 * oneMinute + 59_999, end: h(22) + 1),  // odd millisecond edges
        Interval(start: h(20) + 1, end: h(20) + 2),                        // inside one segment
        Interval(start: h(5), end: h(5)),                                  // empty
    ])
    func stateMillisecondsAddUpToTheWindow(window: Interval) throws {
        let s = try stats(day, window)
        #expect(s.upMs + s.degradedMs + s.downMs + s.unknownMs + s.maintenanceMs == s.totalMs)
        #expect(s.totalMs == window.duration)
    }

    @Test func windowReachingPastTheTimelineCountsTheRestAsUnknown() throws {
        // The timeline covers [0 h, 1 h), all up. Asked about [−1 h, 1 h), §5.1.4 wants every instant of
        // the window to be one of the five states, so the hour nobody built must be unknown:
        // unknown 1 h, eligible 2 − 1 = 1 h, uptime 100 %.
        let t = Timeline(range: Interval(start: h(0), end: h(1)), segments: [segment(h(0), h(1), .up)])
        let s = try stats(t, Interval(start: h(-1), end: h(1)))
        #expect(s.upMs + s.degradedMs + s.downMs + s.unknownMs + s.maintenanceMs == s.totalMs)
        #expect(s.unknownMs == oneHour)
        #expect(s.uptimePercent == Ratio(100))
    }
}

@Suite("UptimeStats: incidents (§5.1.5)")
struct IncidentTests {
    @Test func countLongestAndFlooredMTTR() throws {
        // One hour: up 0–10 min, down 10–20 (10 min), up 20–30, degraded 30–35, down 35–55 (20 min),
        // up until 1 ms before the hour, down for the last 1 ms.
        let m = { (minutes: Int64) in h(0) + minutes * oneMinute }
        let t = Timeline(range: Interval(start: m(0), end: m(60)), segments: [
            segment(m(0), m(10), .up), segment(m(10), m(20), .down), segment(m(20), m(30), .up),
            segment(m(30), m(35), .degraded), segment(m(35), m(55), .down), segment(m(55), m(60) - 1, .up),
            segment(m(60) - 1, m(60), .down),
        ])
        let s = try stats(t)
        #expect(s.outages == [
            Incident(service: "api", state: .down, start: m(10), end: m(20)),
            Incident(service: "api", state: .down, start: m(35), end: m(55)),
            Incident(service: "api", state: .down, start: m(60) - 1, end: m(60)),
        ])
        #expect(s.incidentCount == 3)
        // Degraded runs are listed separately and do not count as incidents.
        #expect(s.degradations == [Incident(service: "api", state: .degraded, start: m(30), end: m(35))])
        #expect(s.longestOutageMs == 1_200_000)  // 20 min
        // MTTR = (600 000 + 1 200 000 + 1) / 3 = 1 800 001 / 3 = 600 000.33… → floor 600 000.
        #expect(s.mttrMs == 600_000)
    }

    @Test func noOutages() throws {
        let t = Timeline(range: Interval(start: h(0), end: h(1)), segments: [segment(h(0), h(1), .up)])
        let s = try stats(t)
        #expect(s.incidentCount == 0)
        #expect(s.longestOutageMs == 0)
        #expect(s.mttrMs == nil)
    }

    @Test func incidentsAreClippedToTheWindow() throws {
        // Timeline over three days: down from 23:00 the day before to 01:00 (2 h), and from 23:30 to 00:30
        // the day after (1 h). Reported for 2026-10-01 alone, they are 1 h and 30 min.
        let t = Timeline(range: Interval(start: h(-24), end: h(48)), segments: [
            segment(h(-24), h(-1), .up), segment(h(-1), h(1), .down), segment(h(1), h(24) - 30 * oneMinute, .up),
            segment(h(24) - 30 * oneMinute, h(24) + 30 * oneMinute, .down), segment(h(24) + 30 * oneMinute, h(48), .up),
        ])
        let s = try stats(t, Interval(start: h(0), end: h(24)))
        #expect(s.outages.map { [$0.start, $0.end] } == [[h(0), h(1)], [h(24) - 30 * oneMinute, h(24)]])
        #expect(s.downMs == 90 * oneMinute)
        #expect(s.longestOutageMs == oneHour)
        // (3 600 000 + 1 800 000) / 2 = 2 700 000.
        #expect(s.mttrMs == 2_700_000)
    }
}

@Suite("UptimeStats: a quarter is not the mean of its months (§5.1.6)")
struct QuarterUptimeTests {
    @Test func quarterIsRecomputedFromTheTimeline() throws {
        // Q4 2026 in UTC. Samples hold up to 100 days, so the states are exactly:
        //   October   up all 31 days                                   → 100 %
        //   November  unknown Nov 1–15 (14 d), down 12 h, up 12 h, unknown Nov 16–30 (15 d)
        //             → eligible 1 d, good ½ d                          →  50 %
        //   December  up all 31 days                                   → 100 %
        let period = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        var policy = StatusPolicy()
        policy.maxSampleGap = 100 * oneDay
        let samples = series([
            (utc(2026, 10, 1), .up), (utc(2026, 11, 1), .unknown), (utc(2026, 11, 15), .down),
            (utc(2026, 11, 15, 12), .up), (utc(2026, 11, 16), .unknown), (utc(2026, 12, 1), .up),
        ])
        let timeline = Timeline(range: period.wholeMonths, series: [samples], scheduledMaintenance: [], policy: policy,
                                monthStarts: period.months.map(\.monthInterval.start))
        let months = try period.months.map { try UptimeStats(timeline: timeline, window: $0.interval, policy: policy, service: "api") }
        let quarter = try UptimeStats(timeline: timeline, window: period.interval, policy: policy, service: "api")

        #expect(months.map(\.uptimePercent) == [Ratio(100), Ratio(50), Ratio(100)])
        #expect(months.map(\.eligibleMs) == [31 * oneDay, oneDay, 31 * oneDay])

        // The quarter: eligible 31 + 1 + 31 = 63 d, good 31 + ½ + 31 = 62.5 d →
        // 100 × 62.5 / 63 = 6250/63 ≈ 99.2063 %.
        #expect(quarter.eligibleMs == 63 * oneDay)
        #expect(quarter.goodMs == Ratio(Int128(125 * oneDay), 2))
        #expect(quarter.uptimePercent == Ratio(6_250, 63))
        #expect(quarter.uptimePercent?.formatted(places: 4) == "99.2063")
        // Months add up to the quarter millisecond for millisecond.
        #expect(months.map(\.eligibleMs).reduce(0, +) == quarter.eligibleMs)
        #expect(months.map(\.downMs).reduce(0, +) == quarter.downMs)

        // Averaging the months would give (100 + 50 + 100) / 3 = 250/3 ≈ 83.3333 %: the one day observed
        // in November would weigh as much as all of October. Against a bronze 99.0 target the real
        // quarter meets it; the average would miss it by 15 points and fall into the 100 % credit bracket.
        let mean = try months.compactMap(\.uptimePercent).reduce(Ratio.zero) { try $0 + $1 } / Ratio(3)
        #expect(mean == Ratio(250, 3))
        #expect(mean != quarter.uptimePercent)
        let bronze = Ratio(99)
        #expect(!(try #require(quarter.uptimePercent) < bronze))
        #expect(mean < Ratio(949, 10))
    }
}
