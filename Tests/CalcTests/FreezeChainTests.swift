import Testing
@testable import Calc

/// `ServiceBudgets.previousFreeze` replays the chain of earlier periods from the data alone, and
/// `ServiceMetrics.sampleRange` states the counter look-back.
///
/// One gold lease (uptime 99.9 %, a 0.1 % budget) on "api", UTC, months. Samples hold 40 days.
/// October: 31 d, budget 2 678 400 ms; 40 min = 2 400 000 ms down → 10.3943 % remaining < 20 % → frozen.
/// November: 30 d, budget 2 592 000 ms; 25 min = 1 500 000 ms down → 42.1296 %: between 20 and 50, so the flag is
/// October's. December is what is being reported, so November's flag is the answer.
@Suite("Freeze chain")
struct FreezeChainTests {
    let december = PeriodSpec.month(year: 2026, month: 12).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)

    var estate: Estate {
        var policy = StatusPolicy()
        policy.maxSampleGap = 40 * 86_400_000
        return Estate(timezone: .utc, currency: Currency(code: "USD"), moneyRounding: .halfEven, fiscalYearStartMonth: 1,
                      statusPolicy: policy, maintenance: [], tiers: Tier.builtIn,
                      providers: [Provider(id: "p", name: "P", escrowBalance: Ratio(0))],
                      customers: [Customer(id: "c", name: "C")],
                      services: [Service(id: "api", name: "API", provider: "p", statusSeries: "api", metrics: [:])],
                      leases: [Lease(id: "L-1", customer: "c", service: "api", monthlyFee: Ratio(100),
                                     active: Interval(start: utc(2026, 1, 1), end: .max),
                                     tiers: [TierSpan(tier: "gold", from: utc(2026, 1, 1))])])
    }

    /// The data of `service` in `period`: the samples below, on the timeline Calc builds for that period.
    func data(_ withOctober: Bool) -> (String, Period) -> ServiceData? {
        var samples: [(Millis, ObservedStatus)] = [(utc(2026, 11, 1), .up), (utc(2026, 11, 10), .down),
                                                   (utc(2026, 11, 10, 0, 25), .up), (utc(2026, 11, 30), .up)]
        if withOctober {
            samples = [(utc(2026, 10, 1), .up), (utc(2026, 10, 10), .down), (utc(2026, 10, 10, 0, 40), .up)] + samples
        }
        let estate = self.estate
        return { service, period in
            let timeline = ComplianceCalculator.timeline(of: service, estate: estate, period: period,
                                                         series: [series(samples.map { ($0.0, $0.1) })])
            return ServiceData(timeline: timeline, metrics: nil)
        }
    }

    @Test func aFrozenServiceStaysFrozenThroughAPeriodBetweenTheThresholds() throws {
        var asked: [String] = []
        let flags = try ServiceBudgets.previousFreeze(estate: estate, before: december, earliestSample: utc(2026, 10, 1)) {
            asked.append($1.label)
            return data(true)($0, $1)
        }
        #expect(flags == ["api": true])
        // The chain starts at the first period that ends after the earliest sample, oldest first.
        #expect(asked == ["2026-10", "2026-11"])
    }

    @Test func withoutTheEarlierPeriodTheSameBudgetIsNotFrozen() throws {
        let flags = try ServiceBudgets.previousFreeze(estate: estate, before: december, earliestSample: utc(2026, 11, 1),
                                                      data: data(false))
        #expect(flags == ["api": false])
    }

    @Test func noDataMeansNoFlagsAndAChainOfAtMostTwelvePeriods() throws {
        #expect(try ServiceBudgets.previousFreeze(estate: estate, before: december, earliestSample: nil) { _, _ in
            Issue.record("no period should be asked for"); return nil
        } == [:])
        var count = 0
        _ = try ServiceBudgets.previousFreeze(estate: estate, before: december, earliestSample: utc(2000, 1, 1)) { _, _ in
            count += 1; return nil
        }
        #expect(count == 12)
    }

    /// A counter's previous sample may lie before the period: one day is read before its whole months.
    @Test func metricSamplesAreReadFromOneDayBeforeTheMonths() {
        let october = PeriodSpec.month(year: 2026, month: 10).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        #expect(ServiceMetrics.sampleRange(period: october) == Interval(start: utc(2026, 9, 30), end: utc(2026, 11, 1)))
    }
}
