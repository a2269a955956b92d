/// Whether a credit line's figures rest on enough data to owe a credit (§10.1, the `credit_status` column).
public enum CreditStatus: String, Sendable, CaseIterable {
    /// Every credit policy's objective had at least `min_coverage` over the segment.
    case ok
    /// Some policy's objective had less coverage than `min_coverage`, or nothing eligible: no credit is owed
    /// until the data is there, and the report lists the line under "Needs attention".
    case insufficientData = "insufficient_data"
}

/// One row of the credit sheet (§5.5, `credits.csv`): one lease over one segment of one calendar
/// month in which the lease is active and its tier does not change.
///
/// The exact figures (`proratedFee`, `creditExact`) are kept for audit and JSON; the `Money` fields
/// are what finance sees. Only `creditAmount` takes part in totals, and it is rounded once, here.
public struct CreditLine: Equatable, Sendable {
    public var lease: String
    public var customer: String
    public var provider: String
    public var service: String
    /// The tier in force over the whole segment.
    public var tier: String
    /// The calendar month, `2026-10`.
    public var month: String
    /// The length of the whole local calendar month, whatever part of it the period or lease covers
    /// (October 2026 in Europe/Berlin: 745 h).
    public var monthMs: Millis
    /// Where in the month the lease was active under `tier`, clipped to the period.
    public var segment: Interval
    public var currency: Currency
    /// The lease's monthly fee, exact as configured.
    public var monthlyFee: Ratio
    /// `monthlyFee` rounded to the minor unit, for display (equal to it when the config is well formed).
    public var monthlyFeeAmount: Money
    /// `monthlyFee × segment_ms / month_ms`, exact.
    public var proratedFee: Ratio
    /// `proratedFee` rounded to the minor unit, for display only: it does not enter any total.
    public var proratedFeeAmount: Money
    /// The first credit policy's achieved value over the segment (the `achieved_pct` column); nil when
    /// the tier has no credit policy or the objective has no data. `policies` has every policy's value.
    public var achieved: Ratio?
    /// The metric of the first credit policy's objective: the unit of `achieved`.
    public var achievedMetric: MetricKind? { policies.first?.metric }
    /// `achieved` when it is a percentage (uptime, availability, error rate), else nil: the `achieved_pct` column.
    public var achievedPercent: Ratio? { achievedMetric?.isPercentage == true ? achieved : nil }
    /// Each credit policy of the tier, in the tier's order.
    public var policies: [PolicyCredit]
    /// The credit percent after combining the policies (`credit_combine`) and capping at `max_credit`.
    public var creditPercent: Ratio
    /// `proratedFee × creditPercent / 100`, exact, before rounding.
    public var creditExact: Ratio
    /// `creditExact` rounded once to the minor unit with the estate's `money_rounding`.
    public var creditAmount: Money
    /// `insufficientData` when some policy's objective lacked coverage: `creditPercent` and the amounts are then 0.
    public var creditStatus: CreditStatus
    /// The lowest coverage among the policies' objectives over the segment; nil without a policy, or when an
    /// objective could not be covered at all.
    public var coverage: Ratio? { policies.contains { $0.coverage == nil } ? nil : policies.compactMap(\.coverage).min() }

    public var segmentMs: Millis { segment.duration }

    public init(lease: String, customer: String, provider: String, service: String, tier: String, month: String,
                monthMs: Millis, segment: Interval, currency: Currency, monthlyFee: Ratio, monthlyFeeAmount: Money,
                proratedFee: Ratio, proratedFeeAmount: Money, achieved: Ratio?, policies: [PolicyCredit],
                creditPercent: Ratio, creditExact: Ratio, creditAmount: Money, creditStatus: CreditStatus = .ok) {
        self.lease = lease
        self.customer = customer
        self.provider = provider
        self.service = service
        self.tier = tier
        self.month = month
        self.monthMs = monthMs
        self.segment = segment
        self.currency = currency
        self.monthlyFee = monthlyFee
        self.monthlyFeeAmount = monthlyFeeAmount
        self.proratedFee = proratedFee
        self.proratedFeeAmount = proratedFeeAmount
        self.achieved = achieved
        self.policies = policies
        self.creditPercent = creditPercent
        self.creditExact = creditExact
        self.creditAmount = creditAmount
        self.creditStatus = creditStatus
    }
}

/// What one credit policy of a tier gives over one segment, before combining and capping.
public struct PolicyCredit: Equatable, Sendable {
    /// The objective id the policy is on.
    public var objective: String
    /// The objective's metric (nil for an objective the tier does not define, which the config rejects).
    public var metric: MetricKind?
    /// The objective's value over the segment, exact; nil: no data (or a metric not computed yet).
    public var achieved: Ratio?
    /// The matching bracket's credit percent; 0 when no bracket matches, there is no data or too little.
    public var creditPercent: Ratio
    /// How much of the segment the objective's data covers, percent (`ServiceData.coveragePercent`); nil: none.
    public var coverage: Ratio?

    public init(objective: String, metric: MetricKind? = nil, achieved: Ratio?, creditPercent: Ratio, coverage: Ratio? = nil) {
        self.objective = objective
        self.metric = metric
        self.achieved = achieved
        self.creditPercent = creditPercent
        self.coverage = coverage
    }

    /// Whether the objective's value can be trusted for a credit: it has a value (something was eligible) and
    /// at least `minimum` percent coverage.
    public func isSufficient(minimum: Ratio) -> Bool {
        guard achieved != nil, let coverage else { return false }
        return coverage >= minimum
    }
}

/// One provider's escrow account over the period (§5.5.6, `escrow.csv`).
public struct EscrowLine: Equatable, Sendable {
    public var provider: String
    public var currency: Currency
    /// The configured `escrow_balance`.
    public var openingBalance: Money
    /// The sum of the rounded `creditAmount` of the provider's credit lines.
    public var credits: Money
    /// `openingBalance − credits`; negative when the escrow does not cover the credits.
    public var closingBalance: Money
    /// `max(0, credits − openingBalance)`: what the escrow cannot cover.
    public var shortfall: Money

    public init(provider: String, currency: Currency, openingBalance: Money, credits: Money,
                closingBalance: Money, shortfall: Money) {
        self.provider = provider
        self.currency = currency
        self.openingBalance = openingBalance
        self.credits = credits
        self.closingBalance = closingBalance
        self.shortfall = shortfall
    }
}
