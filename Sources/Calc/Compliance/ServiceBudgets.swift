/// One error-budget row of `budgets.csv`: a service, one ratio objective (with the target of a tier in force on
/// one of its leases during the period), and the service's deploy-freeze recommendation.
public struct ServiceBudget: Equatable, Sendable {
    public var service: String
    public var budget: ErrorBudget
    /// The service's freeze flag (the same on every row of the service).
    public var freeze: Bool
}

public enum ServiceBudgets {
    /// The distinct ratio objectives (uptime, availability, error rate) of the tiers in force on each service's
    /// leases during the period, keyed by service; sorted by objective id, then target. Threshold objectives
    /// (latency, throughput) have no error budget (§5.4 "slack is the target itself") and are not listed.
    public static func objectives(estate: Estate, period: Period) -> [String: [Objective]] {
        var out: [String: [Objective]] = [:]
        for lease in estate.leases {
            for (tierName, _) in CreditCalculator.tierSegments(of: lease, within: period.interval) {
                for objective in estate.tiers[tierName]?.objectives ?? []
                where [.uptime, .availability, .errorRate].contains(objective.metric) {
                    if !(out[lease.service] ?? []).contains(where: {
                        $0.id == objective.id && $0.metric == objective.metric && $0.target == objective.target
                    }) {
                        out[lease.service, default: []].append(objective)
                    }
                }
            }
        }
        return out.mapValues { $0.sorted { ($0.id, $0.target) < ($1.id, $1.target) } }
    }

    /// Every service's budgets for the period, sorted by service, objective, target. `previousFreeze` is each
    /// service's flag in the previous period (hysteresis: on below 20 % remaining, off only above 50 %).
    public static func budgets(estate: Estate, period: Period, data: [String: ServiceData],
                               previousFreeze: [String: Bool]) throws(ArithmeticOverflowError) -> [ServiceBudget] {
        let objectives = objectives(estate: estate, period: period)
        // Every service's burn rates use the same windows: cut them once.
        let windows = BurnRate.windows(of: period, zone: estate.timezone)
        var out: [ServiceBudget] = []
        for service in estate.services.sorted(by: { $0.id < $1.id }) {
            guard let list = objectives[service.id], let serviceData = data[service.id] else { continue }
            var budgets: [ErrorBudget] = []
            for objective in list {
                if objective.metric == .errorRate {
                    let metrics = serviceData.metrics ?? ServiceMetrics(requests: [], errors: [], latency: [])
                    budgets.append(try ErrorBudget.errorRate(objective: objective, metrics: metrics, period: period,
                                                             windows: windows))
                } else {
                    budgets.append(try ErrorBudget.uptime(objective: objective, timeline: serviceData.timeline, period: period,
                                                          windows: windows, policy: estate.statusPolicy))
                }
            }
            let freeze = ErrorBudget.freeze(service: budgets, previousFreeze: previousFreeze[service.id])
            out += budgets.map { ServiceBudget(service: service.id, budget: $0, freeze: freeze) }
        }
        return out
    }

    /// Each service's freeze flag per budgets, for chaining periods (the previous period's flags feed the next).
    public static func freezeFlags(_ budgets: [ServiceBudget]) -> [String: Bool] {
        Dictionary(budgets.map { ($0.service, $0.freeze) }, uniquingKeysWith: { a, _ in a })
    }
}
