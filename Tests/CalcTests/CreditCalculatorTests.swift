import Foundation
import Testing
@testable import Calc

// Figures used throughout, by hand:
// - October and December 2026 in UTC: 31 days = 744 h = 2 678 400 000 ms; November: 30 days = 720 h.
//   0.1 % of October is 2 678 400 ms, 0.5 % is 13 392 000 ms, 1 % is 26 784 000 ms, 2 % is 53 568 000 ms.
// - October 2026 in Europe/Berlin runs from Oct 1 00:00 CEST (Sep 30 22:00Z) to Nov 1 00:00 CET
//   (Oct 31 23:00Z): 745 h = 2 682 000 000 ms, the extra hour on Sunday Oct 25.
// - Built-in gold: below 99.9 → 10 %, below 98.9 → 25 %, below 94.9 → 100 %;
//   silver: below 99.5 → 10 %, below 98.5 → 25 %, below 94.5 → 100 %. Both `max`, capped at 100.
// Timelines are built with a sample gap longer than the quarter, so each sample holds until the next:
// "up from the start, down for d ms at t" gives exactly d ms of down time and no unknown time.

private enum CreditFixture {
    static let usd = Currency(code: "USD")
    static let hour: Millis = 3_600_000
    static let day: Millis = 86_400_000

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int64 = 0) -> Millis {
        Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch) * CreditFixture.day + hour * CreditFixture.hour
    }

    static func decimal(_ text: String) -> Ratio { DecimalText.parse(Substring(text))! }

    static var policy: StatusPolicy {
        var policy = StatusPolicy()
        policy.maxSampleGap = 100 * day
        return policy
    }

    static func month(_ year: Int, _ month: Int, zone: Zone = .utc) -> Period {
        PeriodSpec.month(year: year, month: month).resolve(zone: zone, fiscalYearStartMonth: 1, now: 0)
    }

    static let q4: Period = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)

    /// Up from the start of `period.wholeMonths`, down for each `(start, duration)`, up again after.
    static func timeline(_ period: Period, outages: [(Millis, Millis)]) -> Timeline {
        var samples = [StatusSample(time: period.wholeMonths.start, status: .up)]
        for (start, duration) in outages {
            samples.append(StatusSample(time: start, status: .down))
            samples.append(StatusSample(time: start + duration, status: .up))
        }
        let monthStarts = period.months.map(\.monthInterval.start) + [period.wholeMonths.end]
        return Timeline(range: period.wholeMonths, series: [StatusSeries(region: "eu", samples: samples)],
                        scheduledMaintenance: [], policy: policy, monthStarts: monthStarts)
    }

    static func lease(_ id: String, service: String = "api", fee: String, start: Millis, end: Millis = .max,
                      tiers: [(String, Millis)]) -> Lease {
        Lease(id: id, customer: "cust-1", service: service, monthlyFee: decimal(fee),
              active: Interval(start: start, end: end), tiers: tiers.map { TierSpan(tier: $0.0, from: $0.1) })
    }

    static func estate(zone: Zone = .utc, rounding: Rounding = .halfEven, tiers: [String: Tier] = Tier.builtIn,
                       providers: [Provider] = [Provider(id: "prov-a", name: "Acme", escrowBalance: decimal("50000.00"))],
                       services: [Service] = [Service(id: "api", name: "API", provider: "prov-a", statusSeries: "api", metrics: [:])],
                       leases: [Lease]) -> Estate {
        Estate(timezone: zone, currency: usd, moneyRounding: rounding, fiscalYearStartMonth: 1, statusPolicy: policy,
               maintenance: [], tiers: tiers, providers: providers, customers: [Customer(id: "cust-1", name: "Globex")],
               services: services, leases: leases)
    }

    /// A tier whose only objectives are uptime-like, with the given credit policies.
    static func tier(_ name: String, policies: [CreditPolicy], combine: Tier.Combine, maxCredit: Ratio = Ratio(100)) -> Tier {
        Tier(name: name,
             objectives: [Objective(id: "uptime", metric: .uptime, target: decimal("99.9"), window: nil),
                          Objective(id: "availability", metric: .availability, target: decimal("99.5"), window: nil)],
             warningBuffer: Ratio(5), credits: policies, creditCombine: combine, maxCredit: maxCredit)
    }

    static func brackets(_ pairs: [(String, Int64)]) -> [CreditBracket] {
        pairs.map { CreditBracket(below: decimal($0.0), creditPercent: Ratio($0.1)) }
    }
}

@Suite("CreditCalculator")
struct CreditCalculatorTests {
    private typealias F = CreditFixture
    let october = CreditFixture.month(2026, 10)

    /// One gold lease on `api` over all of October 2026 (UTC), with the given outages.
    func octoberLine(fee: String, outages: [(Millis, Millis)], rounding: Rounding = .halfEven,
                     tiers: [String: Tier] = Tier.builtIn, tier: String = "gold") throws -> CreditLine {
        let estate = F.estate(rounding: rounding, tiers: tiers,
                              leases: [F.lease("L-1", fee: fee, start: F.utc(2026, 1, 1), tiers: [(tier, F.utc(2026, 1, 1))])])
        let lines = try CreditCalculator.credits(estate: estate, period: october,
                                             timelines: ["api": F.timeline(october, outages: outages)])
        #expect(lines.count == 1)
        return lines[0]
    }

    @Test func halfEvenVersusHalfUpOnAHalfCent() throws {
        // 13 392 000 ms down = 0.5 % of October → achieved exactly 99.5: below 99.9, not below 98.9 → 10 %.
        // The whole month is one segment, so prorated = 123.45 and the credit is exactly 12.345.
        let outage = [(F.utc(2026, 10, 10), Millis(13_392_000))]
        let even = try octoberLine(fee: "123.45", outages: outage, rounding: .halfEven)
        #expect(even.achieved == Ratio(995, 10))
        #expect(even.creditPercent == Ratio(10))
        #expect(even.proratedFee == F.decimal("123.45"))
        #expect(even.creditExact == F.decimal("12.345"))
        #expect(even.creditAmount.formatted == "12.34")
        let up = try octoberLine(fee: "123.45", outages: outage, rounding: .halfUp)
        #expect(up.creditExact == F.decimal("12.345"))
        #expect(up.creditAmount.formatted == "12.35")
    }

    @Test func bracketsCompareExactlyAndStrictly() throws {
        let gold = Tier.builtIn["gold"]!.credits[0].brackets
        func percent(_ achieved: String?) -> Ratio {
            CreditCalculator.creditPercent(brackets: gold, achieved: achieved.map(F.decimal))
        }
        #expect(percent("100") == .zero)
        #expect(percent("99.9") == .zero)          // exactly at the target: not below 99.9
        #expect(percent("99.89999") == Ratio(10))
        #expect(percent("98.9") == Ratio(10))      // not below 98.9 yet
        #expect(percent("98.89999") == Ratio(25))
        #expect(percent("94.9") == Ratio(25))
        #expect(percent("94.89999") == Ratio(100))
        #expect(percent("0") == Ratio(100))
        #expect(percent(nil) == .zero)             // no data, no credit
        #expect(CreditCalculator.creditPercent(brackets: [], achieved: Ratio(50)) == .zero)
    }

    @Test func achievedAtTheTargetEarnsNothingOneMillisecondLessEarns() throws {
        // 2 678 400 ms down = 0.1 % → achieved = 100 · 2 675 721 600 / 2 678 400 000 = 99.9 exactly → 0 %.
        let atTarget = try octoberLine(fee: "1000.00", outages: [(F.utc(2026, 10, 10), 2_678_400)])
        #expect(atTarget.achieved == F.decimal("99.9"))
        #expect(atTarget.creditPercent == .zero)
        #expect(atTarget.creditAmount.formatted == "0.00")
        // One more millisecond: 100 · 2 675 721 599 / 2 678 400 000 = 99.89999996… < 99.9 → 10 % of 1000.00.
        let justBelow = try octoberLine(fee: "1000.00", outages: [(F.utc(2026, 10, 10), 2_678_401)])
        #expect(justBelow.achieved == Ratio(267_572_159_900, 2_678_400_000))
        #expect(justBelow.achieved! < F.decimal("99.9"))
        #expect(justBelow.creditPercent == Ratio(10))
        #expect(justBelow.creditAmount.formatted == "100.00")
    }

    @Test func lowestMatchingBracketWinsWhateverTheListOrder() throws {
        let scrambled = F.brackets([("95.0", 100), ("99.9", 10), ("99.0", 25)])
        func percent(_ achieved: String) -> Ratio {
            CreditCalculator.creditPercent(brackets: scrambled, achieved: F.decimal(achieved))
        }
        #expect(percent("98.5") == Ratio(25))   // below 99.9 and 99.0; 99.0 is the lowest
        #expect(percent("99.5") == Ratio(10))   // only below 99.9
        #expect(percent("90") == Ratio(100))    // below all three; 95.0 is the lowest
        // "Lowest" means the lowest `below`, not the largest credit: 98 is below both, 99.0 gives 5.
        let odd = F.brackets([("99.9", 10), ("99.0", 5)])
        #expect(CreditCalculator.creditPercent(brackets: odd, achieved: Ratio(98)) == Ratio(5))
        // End to end, with the built-in gold brackets: 2 % down → 98 → below 99.9 and 98.9 → 25 % of 1000.00.
        let line = try octoberLine(fee: "1000.00", outages: [(F.utc(2026, 10, 10), 53_568_000)])
        #expect(line.achieved == Ratio(98))
        #expect(line.creditAmount.formatted == "250.00")
    }

    @Test func maxVersusSumCombine() throws {
        // Two policies on two uptime-like objectives; 1 % down → both achieve 99.0:
        // uptime: below 99.9 → 10 %; availability: below 99.5 → 15 %.
        let policies = [CreditPolicy(objective: "uptime", brackets: F.brackets([("99.9", 10)])),
                        CreditPolicy(objective: "availability", brackets: F.brackets([("99.5", 15)]))]
        let tiers = ["t-max": F.tier("t-max", policies: policies, combine: .max),
                     "t-sum": F.tier("t-sum", policies: policies, combine: .sum)]
        let outage = [(F.utc(2026, 10, 10), Millis(26_784_000))]
        let maxLine = try octoberLine(fee: "1000.00", outages: outage, tiers: tiers, tier: "t-max")
        // The helper's timeline knows the whole month (up but for the outage): coverage 100 %.
        #expect(maxLine.policies == [PolicyCredit(objective: "uptime", metric: .uptime, achieved: Ratio(99), creditPercent: Ratio(10), coverage: .hundred),
                                     PolicyCredit(objective: "availability", metric: .availability, achieved: Ratio(99), creditPercent: Ratio(15), coverage: .hundred)])
        #expect(maxLine.creditPercent == Ratio(15))
        #expect(maxLine.creditAmount.formatted == "150.00")   // 15 % of 1000.00
        let sumLine = try octoberLine(fee: "1000.00", outages: outage, tiers: tiers, tier: "t-sum")
        #expect(sumLine.creditPercent == Ratio(25))
        #expect(sumLine.creditAmount.formatted == "250.00")   // (10 + 15) % of 1000.00
    }

    @Test func creditIsCappedAtMaxCredit() throws {
        // 1 % down → 99.0: the uptime policy gives 60 %, the availability policy 70 %.
        let policies = [CreditPolicy(objective: "uptime", brackets: F.brackets([("99.9", 60)])),
                        CreditPolicy(objective: "availability", brackets: F.brackets([("99.5", 70)]))]
        let tiers = ["sum": F.tier("sum", policies: policies, combine: .sum),                      // 130 → cap 100
                     "max50": F.tier("max50", policies: policies, combine: .max, maxCredit: Ratio(50))]  // 70 → cap 50
        let outage = [(F.utc(2026, 10, 10), Millis(26_784_000))]
        let summed = try octoberLine(fee: "1000.00", outages: outage, tiers: tiers, tier: "sum")
        #expect(summed.creditPercent == Ratio(100))
        #expect(summed.creditAmount.formatted == "1000.00")
        let capped = try octoberLine(fee: "1000.00", outages: outage, tiers: tiers, tier: "max50")
        #expect(capped.creditPercent == Ratio(50))
        #expect(capped.creditAmount.formatted == "500.00")
    }

    @Test func noDataAndUncomputedMetricsEarnNoCredit() throws {
        let lease = F.lease("L-1", fee: "1000.00", start: F.utc(2026, 1, 1), tiers: [("gold", F.utc(2026, 1, 1))])
        let estate = F.estate(leases: [lease])
        // No timeline for the service at all.
        let missing = try CreditCalculator.credits(estate: estate, period: october, timelines: [:])
        #expect(missing.count == 1)
        #expect(missing[0].achieved == nil)
        #expect(missing[0].creditAmount.formatted == "0.00")
        // A timeline with no samples: all unknown, excluded → nothing eligible → no data.
        let monthStarts = [october.wholeMonths.start, october.wholeMonths.end]
        let empty = Timeline(range: october.wholeMonths, series: [], scheduledMaintenance: [], policy: F.policy,
                             monthStarts: monthStarts)
        let unknown = try CreditCalculator.credits(estate: estate, period: october, timelines: ["api": empty])
        #expect(unknown[0].achieved == nil)
        #expect(unknown[0].creditPercent == .zero)
        // A policy on latency: not computable yet, so no data, even though the service was down all month.
        let latencyTier = Tier(name: "fast",
                               objectives: [Objective(id: "latency", metric: .latencyP99, target: Ratio(200), window: Duration.day)],
                               warningBuffer: Ratio(5),
                               credits: [CreditPolicy(objective: "latency", brackets: F.brackets([("1000000", 100)]))],
                               creditCombine: .max, maxCredit: Ratio(100))
        let allDown = try octoberLine(fee: "1000.00", outages: [(october.wholeMonths.start, 31 * F.day)],
                                  tiers: ["fast": latencyTier], tier: "fast")
        #expect(allDown.policies == [PolicyCredit(objective: "latency", metric: .latencyP99, achieved: nil, creditPercent: .zero)])
        #expect(allDown.creditAmount.formatted == "0.00")
    }

    @Test func leaseStartingMidMonthInADSTMonthIsProratedByMilliseconds() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Berlin"))
        let berlin = try Zone(identifier: "Europe/Berlin", tzif: Array(data))
        let period = F.month(2026, 10, zone: berlin)
        #expect(period.months[0].monthInterval.duration == 745 * F.hour)
        // The lease starts on Oct 15, local midnight CEST (+2) = Oct 14 22:00Z.
        let start = berlin.startOfDay(CivilDate(year: 2026, month: 10, day: 15))
        #expect(start == F.utc(2026, 10, 14, 22))
        // Segment: Oct 14 22:00Z → Oct 31 23:00Z = 17 days + 1 h = 409 h (17 local days, Oct 25 has 25 h).
        // prorated = 745.00 × 409 h / 745 h = 409.00.
        // Outages: 10 days before the lease (must not count) and 29 448 000 ms = 2 % of 409 h inside it
        // → achieved 98 → gold 25 % → 409.00 × 0.25 = 102.25.
        let timeline = F.timeline(period, outages: [(F.utc(2026, 10, 2), 10 * F.day), (F.utc(2026, 10, 20), 29_448_000)])
        let estate = F.estate(zone: berlin, leases: [F.lease("L-1002", fee: "745.00", start: start, tiers: [("gold", start)])])
        let lines = try CreditCalculator.credits(estate: estate, period: period, timelines: ["api": timeline])
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.month == "2026-10")
        #expect(line.monthMs == 2_682_000_000)
        #expect(line.segment == Interval(start: F.utc(2026, 10, 14, 22), end: F.utc(2026, 10, 31, 23)))
        #expect(line.segmentMs == 409 * F.hour)
        #expect(line.proratedFee == Ratio(409))
        #expect(line.proratedFeeAmount.formatted == "409.00")
        #expect(line.achieved == Ratio(98))
        #expect(line.creditPercent == Ratio(25))
        #expect(line.creditAmount.formatted == "102.25")
    }

    @Test func proratingOnAWholeUTCMonthWouldBeWrong() throws {
        // The same lease start measured against a 744 h month would give 745 × 409/744 = 409.55…;
        // pin that the month length comes from the zone: with fee 744.00 the Berlin proration is
        // 744 × 409/745 = 304 296/745, not a whole number of cents.
        let data = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Berlin"))
        let berlin = try Zone(identifier: "Europe/Berlin", tzif: Array(data))
        let period = F.month(2026, 10, zone: berlin)
        let start = F.utc(2026, 10, 14, 22)
        let estate = F.estate(zone: berlin, leases: [F.lease("L-1", fee: "744.00", start: start, tiers: [("gold", start)])])
        let line = try CreditCalculator.credits(estate: estate, period: period, timelines: ["api": F.timeline(period, outages: [])])[0]
        #expect(line.proratedFee == Ratio(304_296, 745))
        // 304 296 / 745 = 408.4510… → 408.45.
        #expect(line.proratedFeeAmount.formatted == "408.45")
        #expect(line.creditAmount.formatted == "0.00")   // no down time: 100 %
    }

    @Test func midMonthTierChangeGivesTwoLines() throws {
        // Silver from Oct 1, gold from Oct 16 00:00Z, gold again from Oct 20 (no change: merged).
        // Segment 1: [Oct 1, Oct 16) = 15 days = 360 h → 744.00 × 360/744 = 360.00.
        //   12 960 000 ms down (1 % of 360 h) → 99.0 → silver: below 99.5, not below 98.5 → 10 % → 36.00.
        // Segment 2: [Oct 16, Nov 1) = 16 days = 384 h → 384.00.
        //   20 736 000 ms down (1.5 % of 384 h) → 98.5 → gold: below 98.9 → 25 % → 96.00.
        //   (Under silver, 98.5 would only be 10 %: the tier really changed.)
        let lease = F.lease("L-1", fee: "744.00", start: F.utc(2026, 10, 1),
                            tiers: [("silver", F.utc(2026, 10, 1)), ("gold", F.utc(2026, 10, 16)), ("gold", F.utc(2026, 10, 20))])
        let timeline = F.timeline(october, outages: [(F.utc(2026, 10, 5), 12_960_000), (F.utc(2026, 10, 20), 20_736_000)])
        let lines = try CreditCalculator.credits(estate: F.estate(leases: [lease]), period: october, timelines: ["api": timeline])
        #expect(lines.map(\.tier) == ["silver", "gold"])
        #expect(lines.map(\.segment) == [Interval(start: F.utc(2026, 10, 1), end: F.utc(2026, 10, 16)),
                                        Interval(start: F.utc(2026, 10, 16), end: F.utc(2026, 11, 1))])
        #expect(lines.map(\.proratedFee) == [Ratio(360), Ratio(384)])
        #expect(lines.map(\.achieved) == [Ratio(99), F.decimal("98.5")])
        #expect(lines.map(\.creditPercent) == [Ratio(10), Ratio(25)])
        #expect(lines.map(\.creditAmount.formatted) == ["36.00", "96.00"])
        #expect(try Money.sum(lines.map(\.creditAmount), currency: F.usd).formatted == "132.00")
    }

    @Test func leaseEndDateStopsTheLine() throws {
        // `end: 2026-10-20` is the last day of service: active until Oct 21 00:00Z.
        // Segment [Oct 1, Oct 21) = 20 days = 480 h → 744.00 × 480/744 = 480.00.
        // 17 280 000 ms down (1 % of 480 h) → 99.0 → gold 10 % → 48.00. The two-day outage on Oct 25
        // falls after the end and must not count (it would push achieved far below 98.9).
        // Over Q4 the lease gives no November or December line.
        let lease = F.lease("L-1", fee: "744.00", start: F.utc(2026, 1, 1), end: F.utc(2026, 10, 21),
                            tiers: [("gold", F.utc(2026, 1, 1))])
        let timeline = F.timeline(F.q4, outages: [(F.utc(2026, 10, 10), 17_280_000), (F.utc(2026, 10, 25), 2 * F.day)])
        let lines = try CreditCalculator.credits(estate: F.estate(leases: [lease]), period: F.q4, timelines: ["api": timeline])
        #expect(lines.count == 1)
        #expect(lines.first?.month == "2026-10")
        #expect(lines.first?.segment == Interval(start: F.utc(2026, 10, 1), end: F.utc(2026, 10, 21)))
        #expect(lines.first?.proratedFee == Ratio(480))
        #expect(lines.first?.achieved == Ratio(99))
        #expect(lines.first?.creditAmount.formatted == "48.00")
    }

    @Test func customPeriodTakesOnlyItsPartOfTheMonth() throws {
        // 2026-10-01..2026-10-15: the slice is [Oct 1, Oct 16) = 360 h of a 744 h month → 360.00 of 744.00.
        // 12 960 000 ms down (1 % of 360 h) → 99.0 → 10 % → 36.00; the outage on Oct 20 is outside the period.
        let period = PeriodSpec.custom(first: CivilDate(year: 2026, month: 10, day: 1), last: CivilDate(year: 2026, month: 10, day: 15))
            .resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)
        let lease = F.lease("L-1", fee: "744.00", start: F.utc(2026, 1, 1), tiers: [("gold", F.utc(2026, 1, 1))])
        let timeline = F.timeline(period, outages: [(F.utc(2026, 10, 5), 12_960_000), (F.utc(2026, 10, 20), 5 * F.day)])
        let lines = try CreditCalculator.credits(estate: F.estate(leases: [lease]), period: period, timelines: ["api": timeline])
        #expect(lines.count == 1)
        #expect(lines.first?.monthMs == 744 * F.hour)
        #expect(lines.first?.segment == Interval(start: F.utc(2026, 10, 1), end: F.utc(2026, 10, 16)))
        #expect(lines.first?.proratedFee == Ratio(360))
        #expect(lines.first?.creditAmount.formatted == "36.00")
    }

    @Test func escrowShortfall() throws {
        // Both services are down 0.5 % of October → 99.5 → gold 10 %.
        // prov-a: L-A 1500.00 → 150.00 against 100.00 in escrow → closing -50.00, shortfall 50.00.
        // prov-b: L-B 360.00 → 36.00 against exactly 36.00 → closing 0.00, no shortfall.
        // prov-c: no leases → nothing credited, the balance stays.
        let services = [Service(id: "api", name: "API", provider: "prov-a", statusSeries: "api", metrics: [:]),
                        Service(id: "web", name: "Web", provider: "prov-b", statusSeries: "web", metrics: [:])]
        let providers = [Provider(id: "prov-c", name: "C", escrowBalance: F.decimal("10.00")),
                         Provider(id: "prov-a", name: "A", escrowBalance: F.decimal("100.00")),
                         Provider(id: "prov-b", name: "B", escrowBalance: F.decimal("36.00"))]
        let from = F.utc(2026, 1, 1)
        let estate = F.estate(providers: providers, services: services, leases: [
            F.lease("L-A", service: "api", fee: "1500.00", start: from, tiers: [("gold", from)]),
            F.lease("L-B", service: "web", fee: "360.00", start: from, tiers: [("gold", from)]),
        ])
        let timeline = F.timeline(october, outages: [(F.utc(2026, 10, 10), 13_392_000)])
        let lines = try CreditCalculator.credits(estate: estate, period: october, timelines: ["api": timeline, "web": timeline])
        #expect(lines.map(\.provider) == ["prov-a", "prov-b"])
        #expect(lines.map(\.creditAmount.formatted) == ["150.00", "36.00"])
        let escrow = try CreditCalculator.escrow(estate: estate, lines: lines)
        #expect(escrow.map(\.provider) == ["prov-a", "prov-b", "prov-c"])
        #expect(escrow.map(\.openingBalance.formatted) == ["100.00", "36.00", "10.00"])
        #expect(escrow.map(\.credits.formatted) == ["150.00", "36.00", "0.00"])
        #expect(escrow.map(\.closingBalance.formatted) == ["-50.00", "0.00", "10.00"])
        #expect(escrow.map(\.shortfall.formatted) == ["50.00", "0.00", "0.00"])
        #expect(escrow.allSatisfy { $0.currency == F.usd })
    }

    @Test func totalsAreSumsOfTheRoundedLines() throws {
        // Three leases, each 123.45 at 10 % → 12.345 exactly → 12.34 each (half-even).
        // Their total is 3 × 12.34 = 37.02, not the 37.035 → 37.04 a rounding of the exact sum would give.
        // Leases are listed out of order; lines come back sorted by lease id.
        let from = F.utc(2026, 1, 1)
        let estate = F.estate(leases: ["L-3", "L-1", "L-2"].map { F.lease($0, fee: "123.45", start: from, tiers: [("gold", from)]) })
        let timeline = F.timeline(october, outages: [(F.utc(2026, 10, 10), 13_392_000)])
        let lines = try CreditCalculator.credits(estate: estate, period: october, timelines: ["api": timeline])
        #expect(lines.map(\.lease) == ["L-1", "L-2", "L-3"])
        #expect(lines.map(\.creditAmount.formatted) == ["12.34", "12.34", "12.34"])
        let total = try Money.sum(lines.map(\.creditAmount), currency: F.usd)
        #expect(total.formatted == "37.02")
        let exactSum = try lines.reduce(Ratio.zero) { try $0 + $1.creditExact }
        #expect(exactSum == F.decimal("37.035"))
        #expect(try Money(rounding: exactSum, currency: F.usd, rounding: .halfEven).formatted == "37.04")
        #expect(try CreditCalculator.escrow(estate: estate, lines: lines)[0].credits == total)
    }

    @Test func quarterIsTheSumOfItsMonths() throws {
        // Gold lease, 1000.00 a month, all of Q4 2026 (UTC):
        // October: 13 392 000 ms down (0.5 % of 744 h) → 99.5 → 10 % → 100.00.
        // November: no down time → 100 → 0.00.
        // December: 53 568 000 ms down (2 % of 744 h) → 98 → 25 % → 250.00.
        // The quarter's lines are the three months' lines, and its total 350.00 their sum.
        let from = F.utc(2026, 1, 1)
        let estate = F.estate(leases: [F.lease("L-1", fee: "1000.00", start: from, tiers: [("gold", from)])])
        let outages: [(Millis, Millis)] = [(F.utc(2026, 10, 10), 13_392_000), (F.utc(2026, 12, 10), 53_568_000)]
        let quarter = try CreditCalculator.credits(estate: estate, period: F.q4, timelines: ["api": F.timeline(F.q4, outages: outages)])
        #expect(quarter.map(\.month) == ["2026-10", "2026-11", "2026-12"])
        #expect(quarter.map(\.creditAmount.formatted) == ["100.00", "0.00", "250.00"])
        var monthly: [CreditLine] = []
        for m in 10...12 {
            let period = F.month(2026, m)
            monthly += try CreditCalculator.credits(estate: estate, period: period,
                                                timelines: ["api": F.timeline(period, outages: outages)])
        }
        #expect(quarter == monthly)
        #expect(try Money.sum(quarter.map(\.creditAmount), currency: F.usd).formatted == "350.00")
        #expect(try Money.sum(quarter.map(\.creditAmount), currency: F.usd) == Money.sum(monthly.map(\.creditAmount), currency: F.usd))
    }

    @Test func creditsReadTheComplianceTimelines() throws {
        // The helper builds the timeline over the whole months, as ComplianceCalculator does: one sample
        // `down` at Oct 10 with the default 5-minute gap gives 5 minutes down and the rest unknown.
        let from = F.utc(2026, 1, 1)
        var estate = F.estate(leases: [F.lease("L-1", fee: "1000.00", start: from, tiers: [("gold", from)])])
        estate.statusPolicy = StatusPolicy()
        let status = ["api": [StatusSeries(region: "eu", samples: [StatusSample(time: F.utc(2026, 10, 10), status: .down)])]]
        let timelines = ComplianceCalculator.timelines(estate: estate, period: october, status: status)
        #expect(timelines["api"]?.range == october.wholeMonths)
        let stats = try UptimeStats(timeline: timelines["api"]!, window: october.interval, policy: estate.statusPolicy, service: "api")
        #expect(stats.downMs == 5 * 60_000)
        #expect(stats.uptimePercent == .zero)   // the only eligible time is down
        let line = try CreditCalculator.credits(estate: estate, period: october, timelines: timelines)[0]
        #expect(line.achieved == .zero)
        // §10.1: 5 known minutes of October's 44 640 are 0.0112 % coverage, far below the 90 % floor: a month of
        // unknown time earns no credit, though the uptime it shows (0 %) is below every bracket.
        #expect(line.coverage == Ratio(5 * 100, 44_640))
        #expect(line.creditStatus == .insufficientData)
        #expect(line.creditPercent == .zero)
        #expect(line.creditAmount.formatted == "0.00")
        // With the floor lowered to what was found, the same data owes the full credit (below 94.9 → 100 %).
        estate.statusPolicy.minCoverage = Ratio(5 * 100, 44_640)
        let floored = try CreditCalculator.credits(estate: estate, period: october, timelines: timelines)[0]
        #expect(floored.creditStatus == .ok)
        #expect(floored.creditAmount.formatted == "1000.00")
    }

    /// §10.1, by hand: October is 44 640 minutes; 90 % of it is 40 176 min = 27 d 21 h 36 min. Up from Oct 1, down
    /// for one day from Oct 10, unknown from Oct 28 21:36: known 40 176 min, coverage exactly 90 %, uptime
    /// (40 176 − 1 440) / 40 176 = 96.4 % → gold's 98.9 bracket → 25 % of 1000.00. One minute less data is
    /// 40 175 / 44 640 = 89.9978 % coverage: below the floor, so no credit and `insufficient_data`.
    @Test func theCoverageFloorDecidesWhetherACreditIsOwed() throws {
        func line(unknownFrom: Millis) throws -> CreditLine {
            let samples = [StatusSample(time: F.utc(2026, 10, 1), status: .up),
                           StatusSample(time: F.utc(2026, 10, 10), status: .down),
                           StatusSample(time: F.utc(2026, 10, 11), status: .up),
                           StatusSample(time: unknownFrom, status: .unknown)]
            let timeline = Timeline(range: october.wholeMonths, series: [StatusSeries(region: "eu", samples: samples)],
                                    scheduledMaintenance: [], policy: F.policy, monthStarts: [october.wholeMonths.start, october.wholeMonths.end])
            let estate = F.estate(leases: [F.lease("L-1", fee: "1000.00", start: F.utc(2026, 1, 1), tiers: [("gold", F.utc(2026, 1, 1))])])
            return try CreditCalculator.credits(estate: estate, period: october, timelines: ["api": timeline])[0]
        }
        let atFloor = try line(unknownFrom: F.utc(2026, 10, 28, 21) + 36 * 60_000)
        #expect(atFloor.coverage == Ratio(90))
        #expect(atFloor.achieved == Ratio((40_176 - 1_440) * 100, 40_176))
        #expect(atFloor.creditStatus == .ok)
        #expect(atFloor.creditAmount.formatted == "250.00")
        let below = try line(unknownFrom: F.utc(2026, 10, 28, 21) + 35 * 60_000)
        #expect(below.coverage == Ratio(40_175 * 100, 44_640))
        #expect(below.achieved! < Ratio(989, 10))   // the data alone would still say 25 % …
        #expect(below.creditStatus == .insufficientData)   // … but it covers too little of the month to say it
        #expect(below.creditPercent == .zero && below.creditAmount.formatted == "0.00")
        #expect(below.policies.map(\.creditPercent) == [.zero])
    }

    /// A month that is all scheduled maintenance has nothing eligible and no coverage: no credit, flagged.
    @Test func aSegmentWithNothingEligibleIsInsufficientData() throws {
        let timeline = Timeline(range: october.wholeMonths,
                                series: [StatusSeries(region: "eu", samples: [StatusSample(time: F.utc(2026, 10, 1), status: .maintenance)])],
                                scheduledMaintenance: [], policy: F.policy, monthStarts: [october.wholeMonths.start, october.wholeMonths.end])
        let estate = F.estate(leases: [F.lease("L-1", fee: "1000.00", start: F.utc(2026, 1, 1), tiers: [("gold", F.utc(2026, 1, 1))])])
        let line = try CreditCalculator.credits(estate: estate, period: october, timelines: ["api": timeline])[0]
        #expect(line.achieved == nil && line.coverage == nil)
        #expect(line.creditStatus == .insufficientData && line.creditAmount.formatted == "0.00")
    }
}
