import Calc

/// The report's tables (§6), each declared once: `uptime.csv` and the Uptime sheet, `credits.csv` and the
/// Credits sheet, and so on. The CSV writer, the XLSX sheets and the restatement comparison all read these.
public enum ReportTables {
    /// Every table, in the order a restatement lists them.
    public static let all: [TableDescription] = [
        uptime.description, credits.description, escrow.description, budgets.description, violations.description,
        incidents.description,
    ]

    public static let uptime = ReportTable<ServiceReport>(fileName: "uptime.csv", sheetName: "Uptime", columns: [
        .init("service", "Service", key: true) { .text($0.id) },
        .init("provider", "Provider") { .text($0.provider) },
        .init("period_start", "Period start (UTC)") { .instant($0.stats.window.start) },
        .init("period_end", "Period end (UTC)") { .instant($0.stats.window.end) },
        .init("total_ms", "Total (ms)") { .integer($0.stats.totalMs) },
        .init("maintenance_ms", "Maintenance (ms)") { .integer($0.stats.maintenanceMs) },
        .init("unknown_ms", "Unknown (ms)") { .integer($0.stats.unknownMs) },
        .init("eligible_ms", "Eligible (ms)") { .integer($0.stats.eligibleMs) },
        .init("up_ms", "Up (ms)") { .integer($0.stats.upMs) },
        .init("degraded_ms", "Degraded (ms)") { .integer($0.stats.degradedMs) },
        .init("down_ms", "Down (ms)") { .integer($0.stats.downMs) },
        .init("uptime_pct", "Uptime %") { .percent($0.stats.uptimePercent) },
        .init("coverage_pct", "Coverage %") { .percent($0.stats.coveragePercent) },
        .init("incidents", "Incidents") { .integer(Int64($0.stats.incidentCount)) },
        .init("longest_outage_ms", "Longest outage (ms)") { .integer($0.stats.longestOutageMs) },
        .init("mttr_ms", "MTTR (ms)") { .integer($0.stats.mttrMs) },
    ], rows: \.services)

    public static let incidents = ReportTable<Incident>(fileName: "incidents.csv", sheetName: "Incidents", columns: [
        .init("service", "Service") { .text($0.service) },
        .init("state", "State") { .text($0.state.name) },
        .init("start", "Start (UTC)") { .instant($0.start) },
        .init("end", "End (UTC)") { .instant($0.end) },
        .init("duration_ms", "Duration (ms)") { .integer($0.durationMs) },
    ], rows: \.incidents)

    public static let violations = ReportTable<Violation>(fileName: "violations.csv", sheetName: "Violations", columns: [
        .init("lease", "Lease") { .text($0.lease) },
        .init("customer", "Customer") { .text($0.customer) },
        .init("provider", "Provider") { .text($0.provider) },
        .init("service", "Service") { .text($0.service) },
        .init("objective", "Objective") { .text($0.objective) },
        .init("metric", "Metric") { .text($0.metric.rawValue) },
        .init("window_start", "Window start (UTC)") { .instant($0.window.start) },
        .init("window_end", "Window end (UTC)") { .instant($0.window.end) },
        .init("target", "Target") { .metric($0.target, $0.metric) },
        .init("actual", "Actual") { .metric($0.actual, $0.metric) },
        .init("status", "Status") { .text($0.status.rawValue) },
        .init(nil, "Severity") { .text($0.status.severity) },
    ], rows: \.violations)

    public static let credits = ReportTable<CreditLine>(fileName: "credits.csv", sheetName: "Credits", columns: [
        .init("lease", "Lease", key: true) { .text($0.lease) },
        .init("customer", "Customer") { .text($0.customer) },
        .init("provider", "Provider") { .text($0.provider) },
        .init("service", "Service") { .text($0.service) },
        .init("tier", "Tier") { .text($0.tier) },
        .init("month", "Month", key: true) { .text($0.month) },
        .init("segment_start", "Segment start (UTC)", key: true) { .instant($0.segment.start) },
        .init("segment_end", "Segment end (UTC)") { .instant($0.segment.end) },
        .init("currency", "Currency") { .text($0.currency.code) },
        .init("monthly_fee", "Monthly fee") { .money($0.monthlyFeeAmount) },
        .init("prorated_fee", "Prorated fee") { .money($0.proratedFeeAmount) },
        .init("achieved_pct", "Achieved %") { .percent($0.achieved) },
        .init("credit_pct", "Credit %") { .percent($0.creditPercent) },
        .init("credit_amount", "Credit amount") { .money($0.creditAmount) },
    ], rows: \.credits)

    public static let escrow = ReportTable<EscrowLine>(fileName: "escrow.csv", sheetName: "Escrow", columns: [
        .init("provider", "Provider", key: true) { .text($0.provider) },
        .init("currency", "Currency") { .text($0.currency.code) },
        .init("opening_balance", "Opening balance") { .money($0.openingBalance) },
        .init("credits", "Credits") { .money($0.credits) },
        .init("closing_balance", "Closing balance") { .money($0.closingBalance) },
        .init("shortfall", "Shortfall") { .money($0.shortfall) },
    ], rows: \.escrow)

    /// Budgets and consumption in ms (uptime) or requests (error rate); a budget without data has empty amounts.
    public static let budgets = ReportTable<ServiceBudget>(fileName: "budgets.csv", sheetName: "Budgets", columns: [
        .init("service", "Service", key: true) { .text($0.service) },
        .init("objective", "Objective", key: true) { .text($0.budget.objective.id) },
        .init("metric", "Metric") { .text($0.budget.objective.metric.rawValue) },
        .init("target", "Target") { .metric($0.budget.objective.target, $0.budget.objective.metric) },
        .init(nil, "Unit") { .text($0.budget.unit == .milliseconds ? "ms" : "requests") },
        .init("budget", "Budget") { .budgetAmount($0.budget.status == nil ? nil : $0.budget.budget, $0.budget.unit) },
        .init("consumed", "Consumed") { .budgetAmount($0.budget.status == nil ? nil : $0.budget.consumed, $0.budget.unit) },
        .init("remaining_pct", "Remaining %") { .percent($0.budget.remainingPercent) },
        .init("status", "Status") { .text($0.budget.status?.rawValue ?? "") },
        .init("burn_1h", "Worst burn 1 h") { .percent(worstBurn($0, 0)) },
        .init("burn_6h", "Worst burn 6 h") { .percent(worstBurn($0, 1)) },
        .init("burn_24h", "Worst burn 24 h") { .percent(worstBurn($0, 2)) },
        .init("freeze", "Freeze") { .flag($0.freeze) },
    ], rows: \.budgets)

    /// The worst burn rate over the `index`th window length (1 h, 6 h, 24 h).
    private static func worstBurn(_ row: ServiceBudget, _ index: Int) -> Ratio? {
        row.budget.burnRates.indices.contains(index) ? row.budget.burnRates[index].worst : nil
    }
}
