/// Everything a report shows, computed once; every writer in Render reads only this.
public struct ComplianceReport: Sendable {
    public var period: Period
    /// From `--as-of`, else `SOURCE_DATE_EPOCH`, else the period's end. Never the wall clock.
    public var generatedAt: Millis
    public var timezone: String
    /// The config's zone: human-facing outputs show instants in it beside UTC (§10.8).
    public var zone: Zone
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
    public var totalCredits: Money
    /// Σ of each escrow column over the providers.
    public var escrowTotals: EscrowTotals
}

/// The escrow columns added up over all providers (one currency).
public struct EscrowTotals: Equatable, Sendable {
    public var openingBalance: Money
    public var credits: Money
    public var closingBalance: Money
    public var shortfall: Money

    /// Adds up `lines`, all in `currency`; throws when a sum leaves 64-bit minor units.
    public init(_ lines: [EscrowLine], currency: Currency) throws(ArithmeticOverflowError) {
        openingBalance = try Money.sum(lines.map(\.openingBalance), currency: currency)
        credits = try Money.sum(lines.map(\.credits), currency: currency)
        closingBalance = try Money.sum(lines.map(\.closingBalance), currency: currency)
        shortfall = try Money.sum(lines.map(\.shortfall), currency: currency)
    }
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
    /// `100 · good / eligible` (`Uptime.percent`); nil when nothing was eligible.
    public var uptimePercent: Ratio?
}
