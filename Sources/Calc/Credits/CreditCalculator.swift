/// Service credits and escrow (§5.5). Pure: the caller hands in each service's data.
///
/// Per lease and calendar month of the period, the month (clipped to the period) is cut into segments
/// where the lease is active and its tier is constant. Each segment becomes one `CreditLine`:
/// `proratedFee = monthlyFee × segment_ms / month_ms`, each credit policy's bracket is chosen by the
/// exact achieved value, the policies are combined and capped, and the credit is rounded once to the
/// minor unit. Every total (per provider, per month, per quarter) is a sum of those rounded lines.
public enum CreditCalculator {
    /// One lease's lines, by month and segment start. `data` is its service's (nil: no data, no credit), so a
    /// caller can compute a service's leases while only that service's data is loaded.
    public static func credits(of lease: Lease, provider: String, data: ServiceData?, estate: Estate,
                               period: Period) throws(ArithmeticOverflowError) -> [CreditLine] {
        var lines: [CreditLine] = []
        for slice in period.months {
            for (tierName, segment) in tierSegments(of: lease, within: slice.interval) {
                lines.append(try line(lease: lease, provider: provider, tierName: tierName,
                                      tier: estate.tiers[tierName], slice: slice, segment: segment,
                                      data: data, estate: estate))
            }
        }
        return lines
    }

    /// Each provider's escrow account, sorted by provider id: the configured balance less the sum of
    /// the rounded credit amounts of its leases' `lines`.
    public static func escrow(estate: Estate, lines: [CreditLine]) throws(ArithmeticOverflowError) -> [EscrowLine] {
        let currency = estate.currency
        var creditsByProvider: [String: Money] = [:]
        for line in lines {
            try creditsByProvider[line.provider, default: .zero(currency)] += line.creditAmount
        }
        var escrow: [EscrowLine] = []
        for provider in estate.providers.sorted(by: { $0.id < $1.id }) {
            // The balance is exact decimal text from the config; rounding is a no-op unless it has more
            // decimals than the currency, which the config ought to reject.
            let opening = try Money(rounding: provider.escrowBalance, currency: currency, rounding: estate.moneyRounding)
            let credits = creditsByProvider[provider.id] ?? .zero(currency)
            let shortfall = credits > opening ? try credits - opening : .zero(currency)
            escrow.append(EscrowLine(provider: provider.id, currency: currency, openingBalance: opening, credits: credits,
                                     closingBalance: try opening - credits, shortfall: shortfall))
        }
        return escrow
    }

    /// The parts of `window` where `lease` is active, each with the tier in force, in time order.
    /// A `TierSpan` holds from its `from` until the next span's `from` (the last one for ever); spans
    /// are taken in `from` order (on equal `from`, the later entry wins) and neighbouring parts with
    /// the same tier are merged, so a segment only ends where the tier really changes. Active time
    /// before the first span has no SLA and gives no line (the config requires the history to begin
    /// at or before the lease start, so this does not arise from a valid config).
    static func tierSegments(of lease: Lease, within window: Interval) -> [(tier: String, interval: Interval)] {
        let active = lease.active.clipped(to: window)
        guard !active.isEmpty else { return [] }
        let spans = lease.tiers.enumerated()
            .sorted { ($0.element.from, $0.offset) < ($1.element.from, $1.offset) }
            .map(\.element)
        var out: [(tier: String, interval: Interval)] = []
        for (i, span) in spans.enumerated() {
            let end = i + 1 < spans.count ? spans[i + 1].from : Millis.max
            let part = Interval(start: span.from, end: end).clipped(to: active)
            guard !part.isEmpty else { continue }
            if let last = out.last, last.tier == span.tier, last.interval.end == part.start {
                out[out.count - 1].interval.end = part.end
            } else {
                out.append((span.tier, part))
            }
        }
        return out
    }

    static func line(lease: Lease, provider: String, tierName: String, tier: Tier?, slice: Period.MonthSlice,
                     segment: Interval, data: ServiceData?, estate: Estate) throws(ArithmeticOverflowError) -> CreditLine {
        let currency = estate.currency
        let rounding = estate.moneyRounding
        let monthMs = slice.monthInterval.duration
        let proratedFee = try lease.monthlyFee * Ratio(Int128(segment.duration), Int128(monthMs))
        // An unknown tier name (which the config rejects) has no credit policy, hence no credit.
        var policies: [PolicyCredit] = []
        for policy in tier?.credits ?? [] {
            let objective = tier?.objectives.first { $0.id == policy.objective }
            let value = try achieved(objective: objective, data: data, segment: segment,
                                     statusPolicy: estate.statusPolicy, service: lease.service)
            let coverage = objective.flatMap { data?.coveragePercent(of: $0.metric, over: segment) }
            var credit = PolicyCredit(objective: policy.objective, metric: objective?.metric, achieved: value,
                                      creditPercent: .zero, coverage: coverage)
            if credit.isSufficient(minimum: estate.statusPolicy.minCoverage) {
                credit.creditPercent = creditPercent(brackets: policy.brackets, achieved: value)
            }
            policies.append(credit)
        }
        // §10.1: a credit needs the data to be there. Any policy short of coverage holds the whole line at 0.
        let status: CreditStatus = policies.allSatisfy { $0.isSufficient(minimum: estate.statusPolicy.minCoverage) }
            ? .ok : .insufficientData
        let percent = status == .ok
            ? try combinedPercent(policies.map(\.creditPercent), combine: tier?.creditCombine ?? .max,
                                  cap: tier?.maxCredit ?? Ratio.hundred)
            : .zero
        let creditExact = try proratedFee * percent / Ratio.hundred
        return CreditLine(
            lease: lease.id, customer: lease.customer, provider: provider, service: lease.service, tier: tierName,
            month: slice.label, monthMs: monthMs, segment: segment, currency: currency,
            monthlyFee: lease.monthlyFee,
            monthlyFeeAmount: try Money(rounding: lease.monthlyFee, currency: currency, rounding: rounding),
            proratedFee: proratedFee,
            proratedFeeAmount: try Money(rounding: proratedFee, currency: currency, rounding: rounding),
            achieved: policies.first?.achieved, policies: policies, creditPercent: percent,
            creditExact: creditExact,
            creditAmount: try Money(rounding: creditExact, currency: currency, rounding: rounding), creditStatus: status)
    }

    /// The objective's exact value over `segment`, or nil for "no data" (`ServiceData.value`): without data no
    /// credit is owed, as the absence of evidence of a breach is not a breach. An objective id the tier does not
    /// define (the config rejects it) is no data too.
    static func achieved(objective: Objective?, data: ServiceData?, segment: Interval,
                         statusPolicy: StatusPolicy, service: String) throws(ArithmeticOverflowError) -> Ratio? {
        guard let objective, let data else { return nil }
        return try data.value(of: objective.metric, over: segment, policy: statusPolicy, service: service)
    }

    /// The credit of the lowest bracket whose `below` exceeds `achieved`, compared exactly and strictly
    /// (99.9 achieved against `below: 99.9` earns nothing; 99.89999 does). "Lowest" is by `below`, so the
    /// order brackets are listed in does not matter; among brackets with the same `below` the first
    /// listed wins. No bracket, or no data: 0.
    static func creditPercent(brackets: [CreditBracket], achieved: Ratio?) -> Ratio {
        guard let achieved else { return .zero }
        var match: CreditBracket?
        for bracket in brackets where achieved < bracket.below {
            if match == nil || bracket.below < match!.below { match = bracket }
        }
        return match?.creditPercent ?? .zero
    }

    /// Combines the policies' percents per `credit_combine` (no policy: 0) and caps at `max_credit`.
    /// The cap applies per segment line; as a month's lines share one monthly fee, the month's credit
    /// then stays within `max_credit` percent of the fee too.
    static func combinedPercent(_ percents: [Ratio], combine: Tier.Combine,
                                cap: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        var combined = Ratio.zero
        switch combine {
        case .max: combined = percents.max() ?? .zero
        case .sum: for percent in percents { combined = try combined + percent }
        }
        return min(combined, cap)
    }
}
