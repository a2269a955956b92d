import Testing
@testable import Calc

/// 2026-10-01T00:00:00Z plus `minutes`.
private func m(_ minutes: Int64) -> Millis { utc(2026, 10, 1) + minutes * oneMinute }

/// The first `minutes` minutes of 2026-10-01 (UTC).
private func firstMinutes(_ minutes: Int64) -> Interval { Interval(start: m(0), end: m(minutes)) }

private func timeline(_ series: [StatusSeries], range: Interval, maintenance: [Interval] = [],
                      policy: StatusPolicy = StatusPolicy(), monthStarts: [Millis] = []) -> Timeline {
    let t = Timeline(range: range, series: series, scheduledMaintenance: maintenance, policy: policy, monthStarts: monthStarts)
    expectWellFormed(t)
    return t
}

private func policy(gap: Millis = 5 * oneMinute, regions: StatusPolicy.RegionRule = .any,
                    pending: StatusPolicy.PendingRule = .down, cap: Millis? = nil) -> StatusPolicy {
    var p = StatusPolicy()
    p.maxSampleGap = gap
    p.regions = regions
    p.pending = pending
    p.maxExcludedMaintenance = cap
    return p
}

@Suite("Timeline: one series (§5.1.1)")
struct TimelineSampleTests {
    @Test func defaultPolicyIsTheDocumentedOne() throws {
        // status_defaults in SPEC §3: 5m, exclude, degraded up, any, pending down; no cap unless configured.
        let p = StatusPolicy()
        #expect(p.maxSampleGap == 300_000)
        #expect(p.missingData == .exclude)
        #expect(p.degradedWeight == Ratio(1))
        #expect(p.regions == .any)
        #expect(p.pending == .down)
        #expect(p.maxExcludedMaintenance == nil)
    }

    @Test func aSampleHoldsForMaxSampleGapThenUnknown() throws {
        // up at 0 holds [0, 0 + 5m); the rest of the 10 minutes is unknown.
        let t = timeline([series([(m(0), .up)])], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(5), .up), segment(m(5), m(10), .unknown)])
    }

    @Test func theNextSampleEndsTheHold() throws {
        // up [0, 3) cut by the down at 3, which holds [3, 3 + 5) = [3, 8); unknown [8, 10).
        let t = timeline([series([(m(0), .up), (m(3), .down)])], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(3), .up), segment(m(3), m(8), .down), segment(m(8), m(10), .unknown)])
    }

    @Test func aGapLongerThanMaxSampleGapIsUnknown() throws {
        // Samples 20 min apart with a 5 min gap: up [0, 5), unknown [5, 20), up [20, 25), unknown [25, 30).
        let t = timeline([series([(m(0), .up), (m(20), .up)])], range: firstMinutes(30))
        #expect(t.segments == [
            segment(m(0), m(5), .up), segment(m(5), m(20), .unknown),
            segment(m(20), m(25), .up), segment(m(25), m(30), .unknown),
        ])
    }

    @Test func aGapOfExactlyMaxSampleGapLeavesNoUnknownSliver() throws {
        // [0, min(5, 0 + 5)) = [0, 5) meets the next sample exactly.
        let t = timeline([series([(m(0), .up), (m(5), .down)])], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(5), .up), segment(m(5), m(10), .down)])
        // One millisecond more and a 1 ms unknown appears between them.
        let late = timeline([series([(m(0), .up), (m(5) + 1, .down)])], range: firstMinutes(10))
        #expect(late.segments[1] == segment(m(5), m(5) + 1, .unknown))
    }

    @Test func consecutiveSamplesInTheSameStateMerge() throws {
        // up at 0, 1, 2 → one up segment [0, 2 + 5) = [0, 7).
        let t = timeline([series([(m(0), .up), (m(1), .up), (m(2), .up)])], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(7), .up), segment(m(7), m(10), .unknown)])
    }

    @Test func aSampleBeforeTheRangeHoldsIntoIt() throws {
        // down at −2 holds [−2, 3); inside the range that is [0, 3).
        let t = timeline([series([(m(-2), .down)])], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(3), .down), segment(m(3), m(10), .unknown)])
        // A sample 5 min before holds [−5, 0): nothing of it reaches the half-open range.
        let expired = timeline([series([(m(-5), .down)])], range: firstMinutes(10))
        #expect(expired.segments == [segment(m(0), m(10), .unknown)])
    }

    @Test func timeBeforeTheFirstSampleAndSamplesAfterTheRange() throws {
        // unknown [0, 4), up [4, 9), unknown [9, 10); the sample at 12 is outside.
        let t = timeline([series([(m(4), .up), (m(12), .down)])], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(4), .unknown), segment(m(4), m(9), .up), segment(m(9), m(10), .unknown)])
    }

    @Test func noSeriesAtAllIsUnknown() throws {
        let t = timeline([], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(10), .unknown)])
    }

    @Test func pendingCountsAsDownByDefaultOrAsUnknown() throws {
        let samples = [series([(m(0), .pending), (m(5), .up)])]
        // Uptime Kuma's own view: pending is down.
        let asDown = timeline(samples, range: firstMinutes(10), policy: policy(pending: .down))
        #expect(asDown.segments == [segment(m(0), m(5), .down), segment(m(5), m(10), .up)])
        let asUnknown = timeline(samples, range: firstMinutes(10), policy: policy(pending: .unknown))
        #expect(asUnknown.segments == [segment(m(0), m(5), .unknown), segment(m(5), m(10), .up)])
    }

    @Test func explicitStatuses() throws {
        // degraded, maintenance and unknown samples map onto the same-named states.
        let t = timeline([series([(m(0), .degraded), (m(5), .maintenance), (m(10), .unknown), (m(15), .up)])],
                         range: firstMinutes(20))
        #expect(t.segments.map(\.state) == [.degraded, .maintenance, .unknown, .up])
    }
}

@Suite("Timeline: regions (§5.1.2)")
struct TimelineRegionTests {
    /// eu goes down at 20, us at 40, ap never; samples hold the whole hour.
    let eu = series("eu", [(m(0), .up), (m(20), .down)])
    let us = series("us", [(m(0), .up), (m(40), .down)])
    let ap = series("ap", [(m(0), .up)])
    let hourly = policy(gap: 60 * oneMinute)

    @Test func twoRegions() throws {
        func run(_ rule: StatusPolicy.RegionRule) -> [Segment] {
            var p = hourly
            p.regions = rule
            return timeline([eu, us], range: firstMinutes(60), policy: p).segments
        }
        // any: up while one region is up → until us goes down at 40.
        #expect(run(.any) == [segment(m(0), m(40), .up), segment(m(40), m(60), .down)])
        // all: down as soon as one region is down → from 20.
        #expect(run(.all) == [segment(m(0), m(20), .up), segment(m(20), m(60), .down)])
        // majority: from 20 only 1 of 2 regions is up, which is not more than half → down.
        #expect(run(.majority) == [segment(m(0), m(20), .up), segment(m(20), m(60), .down)])
    }

    @Test func threeRegions() throws {
        func run(_ rule: StatusPolicy.RegionRule) -> [Segment] {
            var p = hourly
            p.regions = rule
            return timeline([eu, us, ap], range: firstMinutes(60), policy: p).segments
        }
        #expect(run(.any) == [segment(m(0), m(60), .up)])
        #expect(run(.all) == [segment(m(0), m(20), .up), segment(m(20), m(60), .down)])
        // majority: [20, 40) has 2 of 3 up (> 1.5) → up; [40, 60) has 1 of 3 → down.
        #expect(run(.majority) == [segment(m(0), m(40), .up), segment(m(40), m(60), .down)])
    }

    @Test(arguments: [
        // (region states, any, all, majority)
        ([.up, .down], .up, .down, .down),                            // 1 of 2 up is not a majority
        ([.up, .degraded], .up, .degraded, .degraded),                // 2 of 2 up-or-degraded
        ([.up, .up, .down], .up, .down, .up),                         // 2 of 3 up
        ([.up, .degraded, .down], .up, .down, .degraded),             // 1 of 3 up; 2 of 3 up-or-degraded
        ([.degraded, .down, .down], .degraded, .down, .down),         // 1 of 3 up-or-degraded
        ([.up, .up, .down, .down], .up, .down, .down),                // 2 of 4 is exactly half, not more
        ([.maintenance, .up], .up, .up, .up),                         // maintenance region ignored, even by `all`
        ([.maintenance, .down], .down, .down, .down),
        ([.maintenance, .unknown, .up], .up, .up, .up),               // majority of the one counted region
        ([.unknown, .down, .up], .up, .down, .down),                  // unknown ignored: 1 of 2 up
        ([.maintenance, .maintenance], .maintenance, .maintenance, .maintenance),
        ([.maintenance, .unknown], .maintenance, .maintenance, .maintenance),
        ([.unknown, .unknown], .unknown, .unknown, .unknown),
    ] as [([ServiceState], ServiceState, ServiceState, ServiceState)])
    func combinedState(states: [ServiceState], any: ServiceState, all: ServiceState, majority: ServiceState) {
        #expect(Timeline.combinedState(states, rule: .any) == any)
        #expect(Timeline.combinedState(states, rule: .all) == all)
        #expect(Timeline.combinedState(states, rule: .majority) == majority)
    }

    @Test func aRegionInMaintenanceIsIgnored() throws {
        // eu reports maintenance for the whole hour; us is up then down. Under `all`, eu does not drag
        // the service into maintenance or down: the result is us alone.
        let euMaintenance = series("eu", [(m(0), .maintenance)])
        var p = hourly
        p.regions = .all
        let t = timeline([euMaintenance, us], range: firstMinutes(60), policy: p)
        #expect(t.segments == [segment(m(0), m(40), .up), segment(m(40), m(60), .down)])
    }

    @Test func allRegionsInMaintenanceIsMaintenance() throws {
        let a = series("eu", [(m(0), .maintenance)])
        let b = series("us", [(m(10), .maintenance)])
        // [0, 10): eu maintenance, us unknown (no sample yet) → maintenance; [10, 60): both → maintenance.
        let t = timeline([a, b], range: firstMinutes(60), policy: hourly)
        #expect(t.segments == [segment(m(0), m(60), .maintenance)])
    }

    @Test func regionsWithDifferentSampleTimesSplitTheTimeline() throws {
        // 5 min gap: eu covers [0, 5), us covers [3, 8); any → up [0, 8), unknown after.
        let a = series("eu", [(m(0), .up)])
        let b = series("us", [(m(3), .up)])
        let t = timeline([a, b], range: firstMinutes(10))
        #expect(t.segments == [segment(m(0), m(8), .up), segment(m(8), m(10), .unknown)])
        // all: [0, 3) only eu known → up; [3, 5) both up; [5, 8) only us → up. Same answer.
        let all = timeline([a, b], range: firstMinutes(10), policy: policy(regions: .all))
        #expect(all.segments == t.segments)
    }

    @Test func pendingAsUnknownIsIgnoredAcrossRegions() throws {
        // eu pending → unknown, us down: `any` over the known regions alone gives down.
        let a = series("eu", [(m(0), .pending)])
        let b = series("us", [(m(0), .down)])
        let t = timeline([a, b], range: firstMinutes(5), policy: policy(pending: .unknown))
        #expect(t.segments == [segment(m(0), m(5), .down)])
    }
}

@Suite("Timeline: maintenance (§5.1.3)")
struct TimelineMaintenanceTests {
    @Test func scheduledMaintenanceOverridesObservedDown() throws {
        // Observed down for the whole hour; maintenance [10, 20) replaces it.
        let t = timeline([series([(m(0), .down)])], range: firstMinutes(60),
                         maintenance: [Interval(start: m(10), end: m(20))], policy: policy(gap: 60 * oneMinute))
        #expect(t.segments == [segment(m(0), m(10), .down), segment(m(10), m(20), .maintenance), segment(m(20), m(60), .down)])
    }

    @Test func overlappingWindowsCountOnceAndAreClippedToTheRange() throws {
        // [−10, 5) is clipped to [0, 5); [10, 20) ∪ [15, 30) = [10, 30); [50, 90) is clipped to [50, 60).
        let windows = [
            Interval(start: m(50), end: m(90)), Interval(start: m(15), end: m(30)),
            Interval(start: m(-10), end: m(5)), Interval(start: m(10), end: m(20)),
        ]
        let t = timeline([series([(m(0), .down)])], range: firstMinutes(60), maintenance: windows,
                         policy: policy(gap: 60 * oneMinute))
        #expect(t.segments == [
            segment(m(0), m(5), .maintenance), segment(m(5), m(10), .down), segment(m(10), m(30), .maintenance),
            segment(m(30), m(50), .down), segment(m(50), m(60), .maintenance),
        ])
        // 5 + 20 + 10 = 35 min of maintenance, not 5 + 10 + 15 + 10 = 40.
        let stats = try UptimeStats(timeline: t, window: firstMinutes(60), policy: StatusPolicy(), service: "api")
        #expect(stats.maintenanceMs == 35 * oneMinute)
    }

    @Test func maintenanceSampleAndScheduledWindowMergeIntoOneSegment() throws {
        // A maintenance sample holds [0, 5); the scheduled window [5, 10) continues it.
        let t = timeline([series([(m(0), .maintenance)])], range: firstMinutes(10),
                         maintenance: [Interval(start: m(5), end: m(10))])
        #expect(t.segments == [segment(m(0), m(10), .maintenance)])
    }

    @Test func monthlyCapTurnsTheExcessIntoDownJoinedWithAnAdjacentOutage() throws {
        // UTC, October and November 2026, cap 4 h. The service is observed up, except down 07:00–08:00
        // on Oct 10. Scheduled: 5 h on Oct 10 02:00–07:00, 1 h on Oct 20, 3 h on Nov 5.
        let range = Interval(start: utc(2026, 10, 1), end: utc(2026, 12, 1))
        let samples = series([(utc(2026, 10, 1), .up), (utc(2026, 10, 10, 7), .down), (utc(2026, 10, 10, 8), .up)])
        let windows = [
            Interval(start: utc(2026, 10, 10, 2), end: utc(2026, 10, 10, 7)),
            Interval(start: utc(2026, 10, 20), end: utc(2026, 10, 20, 1)),
            Interval(start: utc(2026, 11, 5, 10), end: utc(2026, 11, 5, 13)),
        ]
        let t = timeline([samples], range: range, maintenance: windows,
                         policy: policy(gap: 62 * oneDay, cap: 4 * oneHour),
                         monthStarts: [utc(2026, 10, 1), utc(2026, 11, 1), utc(2026, 12, 1)])
        #expect(t.segments == [
            segment(utc(2026, 10, 1), utc(2026, 10, 10, 2), .up),
            // The first 4 h of the 5 h window stay excluded: 02:00–06:00.
            segment(utc(2026, 10, 10, 2), utc(2026, 10, 10, 6), .maintenance),
            // The 5th hour (06:00–07:00) is down and runs straight into the observed outage (07:00–08:00).
            segment(utc(2026, 10, 10, 6), utc(2026, 10, 10, 8), .down),
            segment(utc(2026, 10, 10, 8), utc(2026, 10, 20), .up),
            // October's 4 h are used up: the whole hour on Oct 20 is down.
            segment(utc(2026, 10, 20), utc(2026, 10, 20, 1), .down),
            segment(utc(2026, 10, 20, 1), utc(2026, 11, 5, 10), .up),
            // November starts afresh: all 3 h are excluded.
            segment(utc(2026, 11, 5, 10), utc(2026, 11, 5, 13), .maintenance),
            segment(utc(2026, 11, 5, 13), utc(2026, 12, 1), .up),
        ])

        let october = try UptimeStats(timeline: t, window: Interval(start: utc(2026, 10, 1), end: utc(2026, 11, 1)),
                                  policy: StatusPolicy(), service: "api")
        #expect(october.maintenanceMs == 4 * oneHour)
        // 1 h excess + 1 h observed + 1 h on Oct 20 = 3 h down, in two incidents, the first one 2 h long.
        #expect(october.downMs == 3 * oneHour)
        #expect(october.outages.map(\.durationMs) == [2 * oneHour, oneHour])
        #expect(october.outages.first?.start == utc(2026, 10, 10, 6))
    }

    @Test func monthlyCapResetsAtLocalNotUTCMidnight() throws {
        // Berlin: November 2026 starts at 2026-10-31T23:00Z. Cap 1 h, spent on Oct 5. A window from
        // 22:30Z to 23:30Z on Oct 31 is half in local October (→ down) and half in local November
        // (→ excluded). Cutting months at UTC midnight would make the whole hour down.
        let berlin = try systemZone("Europe/Berlin")
        let period = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: berlin, fiscalYearStartMonth: 1, now: 0)
        let monthStarts = period.months.map(\.monthInterval.start)
        #expect(monthStarts == [utc(2026, 9, 30, 22), utc(2026, 10, 31, 23), utc(2026, 11, 30, 23)])
        let windows = [
            Interval(start: utc(2026, 10, 5, 10), end: utc(2026, 10, 5, 11)),
            Interval(start: utc(2026, 10, 31, 22, 30), end: utc(2026, 10, 31, 23, 30)),
        ]
        let t = timeline([series([(period.interval.start, .up)])], range: period.wholeMonths, maintenance: windows,
                         policy: policy(gap: 100 * oneDay, cap: oneHour), monthStarts: monthStarts)
        #expect(t.segments(in: Interval(start: utc(2026, 10, 31, 22), end: utc(2026, 11, 1))) == [
            segment(utc(2026, 10, 31, 22), utc(2026, 10, 31, 22, 30), .up),
            segment(utc(2026, 10, 31, 22, 30), utc(2026, 10, 31, 23), .down),
            segment(utc(2026, 10, 31, 23), utc(2026, 10, 31, 23, 30), .maintenance),
            segment(utc(2026, 10, 31, 23, 30), utc(2026, 11, 1), .up),
        ])
    }

    @Test func withoutACapAllMaintenanceIsExcluded() throws {
        let t = timeline([series([(m(0), .up)])], range: firstMinutes(600),
                         maintenance: [Interval(start: m(60), end: m(360))], policy: policy(gap: oneDay))
        #expect(t.segments == [segment(m(0), m(60), .up), segment(m(60), m(360), .maintenance), segment(m(360), m(600), .up)])
    }
}

@Suite("Timeline: helpers")
struct TimelineHelperTests {
    @Test func mergedJoinsOnlyAdjacentEqualStatesAndDropsEmptySegments() throws {
        let input = [
            segment(0, 5, .up), segment(5, 5, .down), segment(5, 10, .up),  // empty down vanishes, ups join
            segment(10, 15, .down), segment(16, 20, .down),                 // not adjacent: kept apart
        ]
        #expect(Timeline.merged(input) == [segment(0, 10, .up), segment(10, 15, .down), segment(16, 20, .down)])
    }

    @Test func segmentsInAWindowAreClipped() throws {
        let t = Timeline(range: Interval(start: 0, end: 30),
                         segments: [segment(0, 10, .up), segment(10, 20, .down), segment(20, 30, .up)])
        #expect(t.segments(in: Interval(start: 5, end: 15)) == [segment(5, 10, .up), segment(10, 15, .down)])
        // A segment that ends where the window starts is not in it, nor one that starts where it ends.
        #expect(t.segments(in: Interval(start: 10, end: 20)) == [segment(10, 20, .down)])
        #expect(t.segments(in: Interval(start: 30, end: 40)) == [])
        #expect(t.segments(in: Interval(start: 12, end: 12)) == [])
    }

    @Test func intervalClipping() throws {
        let a = Interval(start: 10, end: 20)
        #expect(a.clipped(to: Interval(start: 15, end: 30)) == Interval(start: 15, end: 20))
        #expect(a.clipped(to: Interval(start: 0, end: 100)) == a)
        // Disjoint: an empty interval, never a negative duration.
        let disjoint = a.clipped(to: Interval(start: 25, end: 30))
        #expect(disjoint.isEmpty)
        #expect(disjoint.duration == 0)
        #expect(Interval(start: utc(2026, 10, 1), end: utc(2026, 10, 1, 0, 0, 0, ms: 500)).description
                == "[2026-10-01T00:00:00Z, 2026-10-01T00:00:00.500Z)")
    }
}
