import Testing
@testable import Calc

/// The builder computes a report service by service. It must give what the estate-wide functions give from
/// dictionaries of all timelines, in the report's order, whatever order the services are added in.
///
/// Q4 2026 in UTC, built-in tiers (gold 99.9 %, silver 99.5 %, bronze 99.0 % uptime over the period). Each
/// sample holds 100 days (no unknown time), so "up, down d at t" is exactly d of down time.
@Suite("ComplianceReportBuilder")
struct ComplianceReportBuilderTests {
    let q4 = PeriodSpec.quarter(fiscalYear: 2026, quarter: 4).resolve(zone: .utc, fiscalYearStartMonth: 1, now: 0)

    var estate: Estate {
        var policy = StatusPolicy()
        policy.maxSampleGap = 100 * oneDay
        let services = ["api", "db", "web", "idle"].map {
            Service(id: $0, name: $0.uppercased(), provider: $0 == "web" ? "p2" : "p1", statusSeries: $0, metrics: [:])
        }
        func lease(_ id: String, _ service: String, _ tiers: [(String, Millis)], start: Millis = utc(2026, 1, 1)) -> Lease {
            Lease(id: id, customer: "c", service: service, monthlyFee: Ratio(1_000), active: Interval(start: start, end: .max),
                  tiers: tiers.map { TierSpan(tier: $0.0, from: $0.1) })
        }
        return Estate(timezone: .utc, currency: Currency(code: "USD"), moneyRounding: .halfEven, fiscalYearStartMonth: 1,
                      statusPolicy: policy, maintenance: [], tiers: Tier.builtIn,
                      providers: [Provider(id: "p1", name: "One", escrowBalance: Ratio(500)),
                                  Provider(id: "p2", name: "Two", escrowBalance: Ratio(10))],
                      customers: [Customer(id: "c", name: "C")], services: services,
                      leases: [
                          lease("L-3", "web", [("bronze", utc(2026, 1, 1))]),
                          lease("L-1", "api", [("gold", utc(2026, 1, 1)), ("silver", utc(2026, 11, 15))]),
                          lease("L-2", "db", [("silver", utc(2026, 1, 1))], start: utc(2026, 10, 20)),
                          lease("L-4", "api", [("platinum", utc(2026, 1, 1))]),
                          lease("L-5", "idle", [("gold", utc(2026, 1, 1))]),
                      ])
    }

    /// api: 3 h down on Oct 3 and 30 min on Nov 20; db: 12 h down on Dec 1; web: 90 min degraded on Oct 9.
    /// "idle" has no timeline at all.
    var timelines: [String: Timeline] {
        func timeline(_ service: String, _ changes: [(Millis, ObservedStatus)]) -> Timeline {
            ComplianceCalculator.timeline(of: service, estate: estate, period: q4,
                                          series: [series([(q4.wholeMonths.start, .up)] + changes)])
        }
        return [
            "api": timeline("api", [(utc(2026, 10, 3, 10), .down), (utc(2026, 10, 3, 13), .up),
                                    (utc(2026, 11, 20, 8), .down), (utc(2026, 11, 20, 8, 30), .up)]),
            "db": timeline("db", [(utc(2026, 12, 1), .down), (utc(2026, 12, 1, 12), .up)]),
            "web": timeline("web", [(utc(2026, 10, 9, 1), .degraded), (utc(2026, 10, 9, 2, 30), .up)]),
        ]
    }

    @Test func serviceByServiceEqualsTheEstateWideFunctions() throws {
        let estate = estate, timelines = timelines
        let previousFreeze = ["db": true]
        var builder = ComplianceReportBuilder(estate: estate, period: q4, generatedAt: 0, previousFreeze: previousFreeze)
        // Reverse order, and "idle" is never added: `report()` treats it as having no timeline.
        for id in ["web", "db", "api"] {
            try builder.add(service: id, timeline: timelines[id], metrics: nil)
        }
        let report = try builder.report()

        #expect(report.services.map(\.id) == ["api", "db", "idle", "web"])
        for service in report.services {
            let timeline = timelines[service.id]
                ?? ComplianceCalculator.timeline(of: service.id, estate: estate, period: q4, series: [])
            #expect(try service.stats == UptimeStats(timeline: timeline, window: q4.interval, policy: estate.statusPolicy,
                                                 service: service.id))
            #expect(service.months.count == 3)
        }
        // 3 h + 30 min on api, 12 h on db: three outages; web's degraded run is the fourth incident.
        #expect(report.incidents.map(\.service) == ["api", "api", "db", "web"])
        #expect(report.estate.downMs == 3 * oneHour + 30 * oneMinute + 12 * oneHour)

        let credits = try CreditCalculator.credits(estate: estate, period: q4, timelines: timelines)
        #expect(report.credits == credits)
        // L-1: Oct, Nov gold, Nov silver, Dec = 4 lines; L-2, L-3, L-4, L-5: 3 months each = 12.
        #expect(report.credits.count == 16)
        #expect(report.credits.map(\.lease) == ["L-1", "L-1", "L-1", "L-1", "L-2", "L-2", "L-2",
                                                 "L-3", "L-3", "L-3", "L-4", "L-4", "L-4", "L-5", "L-5", "L-5"])
        #expect(try report.escrow == CreditCalculator.escrow(estate: estate, lines: credits))
        #expect(report.violations == (try ViolationFinder.violations(estate: estate, period: q4, timelines: timelines)))
        var data: [String: ServiceData] = [:]
        for service in estate.services {
            data[service.id] = ServiceData(
                timeline: timelines[service.id] ?? ComplianceCalculator.timeline(of: service.id, estate: estate, period: q4, series: []),
                metrics: nil)
        }
        #expect(report.budgets == (try ServiceBudgets.budgets(estate: estate, period: q4, data: data,
                                                               previousFreeze: previousFreeze)))
    }

    @Test func theOrderServicesArriveInDoesNotShow() throws {
        let timelines = timelines
        var forward = ComplianceReportBuilder(estate: estate, period: q4, generatedAt: 0)
        var backward = ComplianceReportBuilder(estate: estate, period: q4, generatedAt: 0)
        for id in forward.serviceIDs { try forward.add(service: id, timeline: timelines[id], metrics: nil) }
        for id in backward.serviceIDs.reversed() { try backward.add(service: id, timeline: timelines[id], metrics: nil) }
        let a = try forward.report(), b = try backward.report()
        #expect(a.services.map(\.stats) == b.services.map(\.stats))
        #expect(a.incidents == b.incidents)
        #expect(a.credits == b.credits)
        #expect(a.violations == b.violations)
        #expect(a.budgets == b.budgets)
        #expect(a.escrow == b.escrow)
    }

    /// A service without a timeline: its leases earn no credit (no data), but the service is still listed,
    /// over an empty timeline (all unknown: no uptime figure under missing_data exclude).
    @Test func aServiceWithoutTimelineHasNoData() throws {
        var builder = ComplianceReportBuilder(estate: estate, period: q4, generatedAt: 0)
        try builder.add(service: "idle", timeline: nil, metrics: nil)
        let report = try builder.report()
        let idle = try #require(report.services.first { $0.id == "idle" })
        #expect(idle.stats.eligibleMs == 0 && idle.stats.uptimePercent == nil)
        let lines = report.credits.filter { $0.lease == "L-5" }
        #expect(lines.count == 3 && lines.allSatisfy { $0.achieved == nil && $0.creditPercent == .zero })
        #expect(!report.violations.contains { $0.lease == "L-5" })
    }
}
