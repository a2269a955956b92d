/// How much of a ratio objective's error budget one period used (§5.4): an uptime objective may spend
/// `(100 − target)%` of the eligible time on bad time, an error-rate objective `target%` of the requests on
/// errors. Threshold objectives (latency, throughput) have no error budget.
public struct ErrorBudget: Equatable, Sendable {
    public enum Unit: String, Sendable {
        /// Uptime: budget and consumed are milliseconds of eligible time.
        case milliseconds
        /// Error rate: budget and consumed are requests.
        case requests
    }

    /// `healthy` ≥ 50 % left, `warning` ≥ 20 %, `critical` > 0 %, else `exhausted`.
    public enum Status: String, Sendable, CaseIterable {
        case healthy, warning, critical, exhausted
    }

    public var objective: Objective
    public var unit: Unit
    /// What the budget is a share of: eligible milliseconds or requests in the period.
    public var base: Ratio
    /// Exact, so a budget of 0.1 % of an odd number of milliseconds keeps its fraction.
    public var budget: Ratio
    /// Bad time (eligible − good) or errors.
    public var consumed: Ratio
    /// `100 · (budget − consumed) / budget`. Negative once more than the budget was consumed (−150 means
    /// 2.5 budgets spent), and shown that way, never clamped at 0. nil when there is no data or the budget
    /// is zero (a 100 % uptime or 0 % error-rate target).
    public var remainingPercent: Ratio?
    /// nil: no data (nothing eligible, no requests). A zero budget is `healthy` while nothing is consumed
    /// and `exhausted` after.
    public var status: Status?
    /// One per `BurnRate.windowLengths`: 1 h, 6 h, 24 h.
    public var burnRates: [BurnRate]

    public init(objective: Objective, unit: Unit, base: Ratio, budget: Ratio, consumed: Ratio,
                remainingPercent: Ratio?, status: Status?, burnRates: [BurnRate]) {
        self.objective = objective
        self.unit = unit
        self.base = base
        self.budget = budget
        self.consumed = consumed
        self.remainingPercent = remainingPercent
        self.status = status
        self.burnRates = burnRates
    }

    /// The status for a remaining percentage; each boundary belongs to the better status.
    public static func status(remainingPercent: Ratio) -> Status {
        if Checked.compare(remainingPercent, Ratio(50)) >= 0 { return .healthy }
        if Checked.compare(remainingPercent, Ratio(20)) >= 0 { return .warning }
        if Checked.compare(remainingPercent, .zero) > 0 { return .critical }
        return .exhausted
    }

    /// The budget of an `uptime`/`availability` objective over `period`, from the service's timeline: bad
    /// time is eligible − good (§5.1.4), so `missing_data` and the degraded weight count as they do for uptime.
    /// Burn rates use the same figures per 1 h, 6 h and 24 h window; windows with nothing eligible are skipped.
    public static func uptime(objective: Objective, timeline: Timeline, period: Period, zone: Zone,
                              policy: StatusPolicy) throws(ArithmeticOverflowError) -> ErrorBudget {
        try uptime(objective: objective, timeline: timeline, period: period,
                   windows: BurnRate.windows(of: period, zone: zone), policy: policy)
    }

    /// As above, with the burn-rate windows already cut (`BurnRate.windows(of:zone:)`), so a report cuts them
    /// once for all its services.
    static func uptime(objective: Objective, timeline: Timeline, period: Period, windows: [[Interval]],
                       policy: StatusPolicy) throws(ArithmeticOverflowError) -> ErrorBudget {
        precondition(objective.metric == .uptime || objective.metric == .availability, "not an uptime objective")
        // The allowed bad fraction: (100 − target) / 100.
        let slack = try Checked.quotient(try Checked.difference(Ratio.hundred, objective.target), Ratio.hundred)
        let whole = StateTally(timeline: timeline, window: period.interval)
        let eligible = Ratio(whole.eligibleMs(policy: policy))
        let bad = try Checked.difference(eligible, whole.goodMs(policy: policy))
        var burnRates: [BurnRate] = []
        for (length, windows) in zip(BurnRate.windowLengths, windows) {
            burnRates.append(try BurnRate.worstUptime(length: length, windows: windows, timeline: timeline,
                                                      policy: policy, slack: slack))
        }
        return try make(objective: objective, unit: .milliseconds, base: eligible, slack: slack,
                        consumed: bad, burnRates: burnRates)
    }

    /// The budget of an `error_rate` objective over `period`, from the service's counters: the budget is
    /// `target%` of Σ increase(requests), consumed is Σ increase(errors). Burn rates use errors / requests per
    /// 1 h, 6 h and 24 h window, divided by target / 100; windows without requests are skipped.
    public static func errorRate(objective: Objective, metrics: ServiceMetrics, period: Period,
                                 zone: Zone) throws(ArithmeticOverflowError) -> ErrorBudget {
        try errorRate(objective: objective, metrics: metrics, period: period, windows: BurnRate.windows(of: period, zone: zone))
    }

    /// As above, with the burn-rate windows already cut (`BurnRate.windows(of:zone:)`).
    static func errorRate(objective: Objective, metrics: ServiceMetrics, period: Period,
                          windows: [[Interval]]) throws(ArithmeticOverflowError) -> ErrorBudget {
        precondition(objective.metric == .errorRate, "not an error-rate objective")
        let slack = try Checked.quotient(objective.target, Ratio.hundred)
        func figures(_ window: Interval) throws(ArithmeticOverflowError) -> (requests: Ratio, errors: Ratio) {
            (try Counters.total(metrics.requests, over: window).value, try Counters.total(metrics.errors, over: window).value)
        }
        let whole = try figures(period.interval)
        // An increase needs a pair of samples: without a requests series holding two, no window has requests,
        // and every burn rate is "no data" without scanning ~900 windows (a service with no metric selectors).
        let windows = metrics.requests.contains(where: { $0.samples.count >= 2 }) ? windows : windows.map { _ in [] }
        var burnRates: [BurnRate] = []
        for (length, windows) in zip(BurnRate.windowLengths, windows) {
            burnRates.append(try BurnRate.worst(length: length, windows: windows, slack: slack) {
                (window) throws(ArithmeticOverflowError) -> Ratio? in
                let (requests, errors) = try figures(window)
                return Checked.compare(requests, .zero) > 0 ? try Checked.quotient(errors, requests) : nil
            })
        }
        let requests = Checked.compare(whole.requests, .zero) > 0 ? whole.requests : .zero
        return try make(objective: objective, unit: .requests, base: requests, slack: slack,
                        consumed: whole.errors, burnRates: burnRates)
    }

    private static func make(objective: Objective, unit: Unit, base: Ratio, slack: Ratio, consumed: Ratio,
                             burnRates: [BurnRate]) throws(ArithmeticOverflowError) -> ErrorBudget {
        // A target beyond 100 % uptime allows nothing: a zero budget, not a negative one.
        let budget = Checked.compare(slack, .zero) > 0 ? try Checked.product(slack, base) : .zero
        var remaining: Ratio?
        var status: Status?
        if base == .zero {
            // No data: nothing eligible, no requests.
        } else if budget == .zero {
            status = Checked.compare(consumed, .zero) > 0 ? .exhausted : .healthy
        } else {
            let left = try Checked.difference(budget, consumed)
            remaining = try Checked.product(Ratio.hundred, try Checked.quotient(left, budget))
            status = ErrorBudget.status(remainingPercent: remaining!)
        }
        return ErrorBudget(objective: objective, unit: unit, base: base, budget: budget, consumed: consumed,
                           remainingPercent: remaining, status: status, burnRates: burnRates)
    }
}
