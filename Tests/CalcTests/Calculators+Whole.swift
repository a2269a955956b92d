@testable import Calc

// Whole-estate entry points for tests: the product computes a report one service at a time
// (`ComplianceReportBuilder`), and these feed it from dictionaries so a test can state an estate in one place.

extension ComplianceCalculator {
    /// Each service's timeline over `period.wholeMonths`, keyed by service id.
    static func timelines(estate: Estate, period: Period, status: [String: [StatusSeries]]) -> [String: Timeline] {
        var out: [String: Timeline] = [:]
        for service in estate.services {
            out[service.id] = timeline(of: service.id, estate: estate, period: period, series: status[service.id] ?? [])
        }
        return out
    }

    static func report(estate: Estate, period: Period, generatedAt: Millis,
                       status: [String: [StatusSeries]]) throws(ArithmeticOverflowError) -> ComplianceReport {
        try report(estate: estate, period: period, generatedAt: generatedAt,
                   timelines: timelines(estate: estate, period: period, status: status))
    }

    static func report(estate: Estate, period: Period, generatedAt: Millis, timelines: [String: Timeline],
                       metrics: [String: ServiceMetrics] = [:],
                       previousFreeze: [String: Bool] = [:]) throws(ArithmeticOverflowError) -> ComplianceReport {
        var builder = ComplianceReportBuilder(estate: estate, period: period, generatedAt: generatedAt,
                                              previousFreeze: previousFreeze)
        for id in builder.serviceIDs {
            try builder.add(service: id, timeline: timelines[id], metrics: metrics[id])
        }
        return try builder.report()
    }
}

extension CreditCalculator {
    /// Every lease's lines, sorted by lease.
    static func credits(estate: Estate, period: Period, timelines: [String: Timeline],
                        metrics: [String: ServiceMetrics] = [:]) throws(ArithmeticOverflowError) -> [CreditLine] {
        let providers = Dictionary(estate.services.map { ($0.id, $0.provider) }, uniquingKeysWith: { a, _ in a })
        var lines: [CreditLine] = []
        for lease in estate.leases.sorted(by: { $0.id < $1.id }) {
            let data = timelines[lease.service].map { ServiceData(timeline: $0, metrics: metrics[lease.service]) }
            lines += try credits(of: lease, provider: providers[lease.service] ?? "", data: data, estate: estate, period: period)
        }
        return lines
    }
}

extension Timeline {
    /// The segments that overlap `window`, clipped to it.
    func segments(in window: Interval) -> [Segment] {
        var out: [Segment] = []
        forEachSegment(in: window) { out.append($0) }
        return out
    }
}

extension ServiceBudgets {
    /// Every service's budgets for the period, sorted by service, objective, target. `previousFreeze` is each
    /// service's flag in the previous period (hysteresis: on below 20 % remaining, off only above 50 %).
    static func budgets(estate: Estate, period: Period, data: [String: ServiceData],
                               previousFreeze: [String: Bool]) throws(ArithmeticOverflowError) -> [ServiceBudget] {
        let plan = Plan(estate: estate, period: period)
        var out: [ServiceBudget] = []
        for service in estate.services.sorted(by: { $0.id < $1.id }) {
            guard let serviceData = data[service.id] else { continue }
            out += try plan.budgets(service: service.id, data: serviceData, previousFreeze: previousFreeze[service.id])
        }
        return out
    }
}

extension ViolationFinder {
    /// Violations of every lease, within its active time and under the tier in force, sorted by lease,
    /// objective, window start. Windows without data (nothing eligible, no requests, no metric selectors)
    /// produce no rows.
    static func violations(estate: Estate, period: Period, timelines: [String: Timeline],
                                  metrics: [String: ServiceMetrics] = [:]) throws(ArithmeticOverflowError) -> [Violation] {
        let providers = Dictionary(estate.services.map { ($0.id, $0.provider) }, uniquingKeysWith: { a, _ in a })
        var windows = Windows(period: period, zone: estate.timezone)
        var out: [Violation] = []
        for lease in estate.leases.sorted(by: { $0.id < $1.id }) {
            guard let timeline = timelines[lease.service] else { continue }
            out += try violations(of: lease, provider: providers[lease.service] ?? "",
                                  data: ServiceData(timeline: timeline, metrics: metrics[lease.service]),
                                  estate: estate, windows: &windows)
        }
        return sorted(out)
    }
}
