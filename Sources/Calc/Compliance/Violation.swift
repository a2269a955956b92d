/// A breached or at-risk stretch of one lease's objective (§5.3): consecutive breached windows merged
/// into one row carrying the worst value.
public struct Violation: Equatable, Sendable {
    public enum Status: String, Sendable {
        case breached
        case atRisk = "at_risk"

        /// How the report ranks it: a breach is critical, at risk a warning.
        public var severity: String { self == .breached ? "critical" : "warning" }
    }

    public var lease: String
    public var customer: String
    public var provider: String
    public var service: String
    public var objective: String
    public var metric: MetricKind
    public var window: Interval
    public var target: Ratio
    /// The worst window value of the row, exact.
    public var actual: Ratio
    public var status: Status
    /// How many evaluation windows the row merges.
    public var windows: Int
}

/// Finds each lease's violations from the service timelines.
public enum ViolationFinder {
    /// The order of the violations list: by lease, objective, window start.
    public static func sorted(_ rows: [Violation]) -> [Violation] {
        rows.sorted { ($0.lease, $0.objective, $0.window.start) < ($1.lease, $1.objective, $1.window.start) }
    }

    /// A period's evaluation windows by objective window length, cut on first use: they depend only on the
    /// length, so every lease shares them.
    public struct Windows: Sendable {
        let period: Period
        let zone: Zone
        private var byLength: [Millis?: [Interval]] = [:]

        public init(period: Period, zone: Zone) {
            self.period = period
            self.zone = zone
        }

        mutating func windows(_ length: Millis?) -> [Interval] {
            if let cached = byLength[length] { return cached }
            let cut = ObjectiveWindows.cut(period, window: length, zone: zone)
            byLength[length] = cut
            return cut
        }
    }

    /// One lease's rows in objective order, unsorted across objectives (`sorted` orders the whole list), from
    /// its service's data.
    public static func violations(of lease: Lease, provider: String, data: ServiceData, estate: Estate,
                                  windows: inout Windows) throws(ArithmeticOverflowError) -> [Violation] {
        var out: [Violation] = []
        for (tierName, segment) in CreditCalculator.tierSegments(of: lease, within: windows.period.interval) {
            guard let tier = estate.tiers[tierName] else { continue }
            for objective in tier.objectives {
                let clipped = windows.windows(objective.window).map { $0.clipped(to: segment) }.filter { !$0.isEmpty }
                var rows: [Violation] = []
                for window in clipped {
                    guard let actual = try data.value(of: objective.metric, over: window, policy: estate.statusPolicy,
                                                      service: lease.service),
                          let status = try status(actual: actual, objective: objective, warningBuffer: tier.warningBuffer)
                    else { continue }
                    let row = Violation(lease: lease.id, customer: lease.customer, provider: provider,
                                        service: lease.service, objective: objective.id, metric: objective.metric,
                                        window: window, target: objective.target, actual: actual, status: status, windows: 1)
                    if status == .breached, let last = rows.last, last.status == .breached, last.window.end == window.start {
                        rows[rows.count - 1].window.end = window.end
                        rows[rows.count - 1].actual = objective.metric.higherIsBetter ? min(last.actual, actual) : max(last.actual, actual)
                        rows[rows.count - 1].windows += 1
                    } else {
                        rows.append(row)
                    }
                }
                out += rows
            }
        }
        return out
    }

    /// Breached when the value misses the target; at risk when it meets it but has used at least
    /// `100 − warningBuffer` percent of the slack (§5.4); nil when healthy.
    public static func status(actual: Ratio, objective: Objective,
                              warningBuffer: Ratio) throws(ArithmeticOverflowError) -> Violation.Status? {
        let target = objective.target
        let threshold = try (Ratio.hundred - warningBuffer) / Ratio.hundred
        switch objective.metric {
        case .uptime, .availability:
            // Slack: 100 − target percentage points; used: 100 − actual.
            if actual < target { return .breached }
            let slack = try Ratio.hundred - target
            guard slack > .zero else { return nil }
            return try (Ratio.hundred - actual) / slack >= threshold ? .atRisk : nil
        case .errorRate:
            // Slack: the target percentage itself; used: the actual error percentage.
            if actual > target { return .breached }
            guard target > .zero else { return nil }
            return try actual / target >= threshold ? .atRisk : nil
        case .latencyP50, .latencyP95, .latencyP99:
            if actual > target { return .breached }
            return try actual >= target * threshold ? .atRisk : nil
        case .throughput:
            if actual < target { return .breached }
            return try actual <= target * (Ratio.hundred + warningBuffer) / Ratio.hundred ? .atRisk : nil
        }
    }
}
