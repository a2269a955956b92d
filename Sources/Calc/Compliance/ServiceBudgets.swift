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

    /// What every service's budgets in one period share, worked out once: the ratio objectives in force per
    /// service (a walk over all leases) and the burn-rate windows. With it, one service's budgets need only
    /// that service's data, so callers can load and drop services one at a time.
    public struct Plan: Sendable {
        public let estate: Estate
        public let period: Period
        let objectives: [String: [Objective]]
        let windows: [[Interval]]

        public init(estate: Estate, period: Period) {
            self.estate = estate
            self.period = period
            objectives = ServiceBudgets.objectives(estate: estate, period: period)
            windows = BurnRate.windows(of: period, zone: estate.timezone)
        }

        /// One service's budgets, sorted by objective, then target; empty when no tier in force on its leases
        /// has a ratio objective. Every row carries the service's freeze flag, from these budgets and the
        /// previous period's flag.
        public func budgets(service: String, data: ServiceData,
                            previousFreeze: Bool?) throws(ArithmeticOverflowError) -> [ServiceBudget] {
            guard let list = objectives[service] else { return [] }
            var budgets: [ErrorBudget] = []
            for objective in list {
                if objective.metric == .errorRate {
                    let metrics = data.metrics ?? ServiceMetrics(requests: [], errors: [], latency: [])
                    budgets.append(try ErrorBudget.errorRate(objective: objective, metrics: metrics, period: period,
                                                             windows: windows))
                } else {
                    budgets.append(try ErrorBudget.uptime(objective: objective, timeline: data.timeline, period: period,
                                                          windows: windows, policy: estate.statusPolicy))
                }
            }
            let freeze = ErrorBudget.freeze(service: budgets, previousFreeze: previousFreeze)
            return budgets.map { ServiceBudget(service: service, budget: $0, freeze: freeze) }
        }
    }

}
