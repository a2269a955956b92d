/// Everything a report shows, computed once; every writer in Render reads only this.
public struct ComplianceReport: Sendable {
    public var period: Period
    /// From `--as-of`, else `SOURCE_DATE_EPOCH`, else the period's end. Never the wall clock.
    public var generatedAt: Millis
    public var timezone: String
    public var statusPolicy: StatusPolicy
    /// One per configured service, sorted by id.
    public var services: [ServiceReport]
    /// Down and degraded runs of all services, clipped to the period, sorted by service, start, state.
    public var incidents: [Incident]

    /// All services together: Σ good / Σ eligible.
    public var estate: EstateTotals

    public var currency: Currency
    /// Display names by id, for the writers.
    public var providerNames: [String: String]
    public var customerNames: [String: String]
    /// One line per lease, calendar month and segment, sorted by lease, month, segment start.
    public var credits: [CreditLine]
    /// One line per provider, sorted by id.
    public var escrow: [EscrowLine]
    /// Breached and at-risk rows, sorted by lease, objective, window start.
    public var violations: [Violation]
    /// Error budgets per service and ratio objective, sorted by service, objective, target.
    public var budgets: [ServiceBudget]

    /// Σ of the rounded credit lines: every total adds up to the cent.
    public var totalCredits: Money { Money.sum(credits.map(\.creditAmount), currency: currency) }
}

public struct ServiceReport: Sendable {
    public var id: String
    public var name: String
    public var provider: String
    public var providerName: String
    /// The whole period, computed over the period's timeline (a quarter is never an average of months).
    public var stats: UptimeStats
    /// One per calendar month the period touches, clipped to the period: the trend.
    public var months: [UptimeStats]
}

public struct EstateTotals: Sendable {
    public var services: Int
    public var eligibleMs: Millis
    public var goodMs: Ratio
    public var downMs: Millis
    public var incidents: Int
    /// nil when nothing was eligible.
    public var uptimePercent: Ratio? { eligibleMs > 0 ? Ratio.hundred * goodMs / Ratio(eligibleMs) : nil }
}
