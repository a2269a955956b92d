import Calc

/// The report's tables (§6), each declared once: `uptime.csv`, the Uptime sheet and report.md's services list;
/// `credits.csv`, the Credits sheet and report.md's credits list; and so on. A column says which of them show it,
/// under which name, with which typed value (CSV, XLSX) and which text for people (report.md). The CSV writer,
/// the XLSX sheets, report.md's rows and the restatement comparison all read these.
public enum ReportTables {
    /// Every table, in the order a restatement lists them.
    public static let all: [TableDescription] = [
        uptime.description, credits.description, escrow.description, budgets.description, violations.description,
        incidents.description,
    ]

    private typealias Text = MarkdownReport

    public static let uptime = ReportTable<ServiceReport>(fileName: "uptime.csv", sheetName: "Uptime", listName: "services", columns: [
        .init("service", "Service", key: true, { .text($0.id) }, template: "id") { row, _ in Text.cell(row.id) },
        .markdown("name") { row, _ in Text.cell(row.name) },
        .init("provider", "Provider", { .text($0.provider) }, template: "provider") { row, _ in Text.cell(row.providerName) },
        .init("period_start", "Period start (UTC)") { .instant($0.stats.window.start) },
        .init("period_end", "Period end (UTC)") { .instant($0.stats.window.end) },
        .init("total_ms", "Total (ms)") { .integer($0.stats.totalMs) },
        .init("maintenance_ms", "Maintenance (ms)", { .integer($0.stats.maintenanceMs) },
              template: "maintenance") { row, _ in Format.humanDuration(row.stats.maintenanceMs) },
        .init("unknown_ms", "Unknown (ms)", { .integer($0.stats.unknownMs) },
              template: "unknown") { row, _ in Format.humanDuration(row.stats.unknownMs) },
        .init("eligible_ms", "Eligible (ms)") { .integer($0.stats.eligibleMs) },
        .init("up_ms", "Up (ms)") { .integer($0.stats.upMs) },
        .init("degraded_ms", "Degraded (ms)", { .integer($0.stats.degradedMs) },
              template: "degraded") { row, _ in Format.humanDuration(row.stats.degradedMs) },
        .init("down_ms", "Down (ms)", { .integer($0.stats.downMs) },
              template: "down") { row, _ in Format.humanDuration(row.stats.downMs) },
        .init("uptime_pct", "Uptime %", { .percent($0.stats.uptimePercent) },
              template: "uptime") { row, _ in Text.percentText(row.stats.uptimePercent) },
        .init("coverage_pct", "Coverage %", { .percent($0.stats.coveragePercent) },
              template: "coverage") { row, _ in Text.percentText(row.stats.coveragePercent) },
        .init("incidents", "Incidents", { .integer(Int64($0.stats.incidentCount)) },
              template: "incidents") { row, _ in String(row.stats.incidentCount) },
        .init("longest_outage_ms", "Longest outage (ms)", { .integer($0.stats.longestOutageMs) },
              template: "longest") { row, _ in Format.humanDuration(row.stats.longestOutageMs) },
        .init("mttr_ms", "MTTR (ms)", { .integer($0.stats.mttrMs) },
              template: "mttr") { row, _ in row.stats.mttrMs.map(Format.humanDuration) ?? "—" },
    ], rows: \.services)

    public static let incidents = ReportTable<Incident>(fileName: "incidents.csv", sheetName: "Incidents", listName: "incidents", columns: [
        .init("service", "Service", { .text($0.service) }, template: "service") { row, text in text.service(row.service) },
        .init("state", "State", { .text($0.state.name) }, template: "state") { row, _ in row.state.name },
        .init(nil, "Start (local)", { .localInstant($0.start) }, template: "start_local") { row, text in text.local(row.start) },
        .init(nil, "End (local)", { .localInstant($0.end) }, template: "end_local") { row, text in text.local(row.end) },
        .init("start", "Start (UTC)", { .instant($0.start) }, template: "start") { row, text in text.timestamp(row.start) },
        .init("end", "End (UTC)", { .instant($0.end) }, template: "end") { row, text in text.timestamp(row.end) },
        .init("duration_ms", "Duration (ms)", { .integer($0.durationMs) },
              template: "duration") { row, _ in Format.humanDuration(row.durationMs) },
    ], rows: \.incidents)

    public static let violations = ReportTable<Violation>(fileName: "violations.csv", sheetName: "Violations", listName: "violations", columns: [
        .init("lease", "Lease", { .text($0.lease) }, template: "lease") { row, _ in Text.cell(row.lease) },
        .init("customer", "Customer", { .text($0.customer) }, template: "customer") { row, text in text.customer(row.customer) },
        .init("provider", "Provider") { .text($0.provider) },
        .init("service", "Service", { .text($0.service) }, template: "service") { row, text in text.service(row.service) },
        .init("objective", "Objective", { .text($0.objective) }, template: "objective") { row, _ in Text.cell(row.objective) },
        .init("metric", "Metric") { .text($0.metric.rawValue) },
        .init(nil, "Window start (local)", { .localInstant($0.window.start) },
              template: "start_local") { row, text in text.local(row.window.start) },
        .init(nil, "Window end (local)", { .localInstant($0.window.end) },
              template: "end_local") { row, text in text.local(row.window.end) },
        .init("window_start", "Window start (UTC)", { .instant($0.window.start) },
              template: "start") { row, text in text.timestamp(row.window.start) },
        .init("window_end", "Window end (UTC)", { .instant($0.window.end) },
              template: "end") { row, text in text.timestamp(row.window.end) },
        .init("target", "Target", { .metric($0.target, $0.metric) },
              template: "target") { row, _ in Format.metricValue(row.target, row.metric) + Format.metricUnit(row.metric) },
        .init("actual", "Actual", { .metric($0.actual, $0.metric) },
              template: "actual") { row, _ in Format.metricValue(row.actual, row.metric) + Format.metricUnit(row.metric) },
        .init("unit", "Unit") { .text(Format.unitSymbol($0.metric)) },
        .init("status", "Status", { .text($0.status.rawValue) },
              template: "status") { row, _ in row.status == .breached ? "breached" : "at risk" },
        .init(nil, "Severity", { .text($0.status.severity) }, template: "severity") { row, _ in row.status.severity },
    ], rows: \.violations)

    public static let credits = ReportTable<CreditLine>(fileName: "credits.csv", sheetName: "Credits", listName: "credits", columns: [
        .init("lease", "Lease", key: true, { .text($0.lease) }, template: "lease") { row, _ in Text.cell(row.lease) },
        .init("customer", "Customer", { .text($0.customer) }, template: "customer") { row, text in text.customer(row.customer) },
        .init("provider", "Provider") { .text($0.provider) },
        .init("service", "Service", { .text($0.service) }, template: "service") { row, text in text.service(row.service) },
        .init("tier", "Tier", { .text($0.tier) }, template: "tier") { row, _ in Text.cell(row.tier) },
        .init("month", "Month", key: true, { .text($0.month) }, template: "month") { row, _ in row.month },
        .init("segment_start", "Segment start (UTC)", key: true, { .instant($0.segment.start) },
              template: "from") { row, text in text.timestamp(row.segment.start) },
        .init("segment_end", "Segment end (UTC)", { .instant($0.segment.end) },
              template: "to") { row, text in text.timestamp(row.segment.end) },
        .init("currency", "Currency") { .text($0.currency.code) },
        .init("monthly_fee", "Monthly fee") { .money($0.monthlyFeeAmount) },
        .init("prorated_fee", "Prorated fee", { .money($0.proratedFeeAmount) },
              template: "fee") { row, _ in row.proratedFeeAmount.formatted },
        // A latency or throughput policy's value is no percentage: `achieved_pct` is empty for it and `achieved` with
        // `achieved_unit` carry it (150.000, ms). The XLSX and report.md show only the value with its unit.
        .init("achieved_pct", nil) { .percent($0.achievedPercent) },
        .init("achieved", "Achieved", { row in row.achievedMetric.map { .metric(row.achieved, $0) } ?? .percent(nil) },
              template: "achieved") { row, _ in row.achievedMetric.map { Format.metricText(row.achieved, $0) } ?? "no data" },
        .init("achieved_unit", "Unit") { .text($0.achievedMetric.map(Format.unitSymbol) ?? "") },
        .init("credit_pct", "Credit %", { .percent($0.creditPercent) },
              template: "credit_pct") { row, _ in row.creditPercent.formatted(places: 4) + " %" },
        .init("credit_amount", "Credit amount", { .money($0.creditAmount) },
              template: "amount") { row, _ in row.creditAmount.formatted },
        .init("credit_status", "Credit status", { .text($0.creditStatus.rawValue) }, template: "credit_status") { row, _ in
            switch row.creditStatus {
            case .ok: "ok"
            case .insufficientData: "insufficient data (" + Text.percentText(row.coverage) + " coverage)"
            }
        },
    ], rows: \.credits)

    public static let escrow = ReportTable<EscrowLine>(fileName: "escrow.csv", sheetName: "Escrow", listName: "escrow", columns: [
        .init("provider", "Provider", key: true, { .text($0.provider) },
              template: "provider") { row, text in text.provider(row.provider) },
        .init("currency", "Currency") { .text($0.currency.code) },
        .init("opening_balance", "Opening balance", { .money($0.openingBalance) },
              template: "opening") { row, _ in row.openingBalance.formatted },
        .init("credits", "Credits", { .money($0.credits) }, template: "credits") { row, _ in row.credits.formatted },
        .init("closing_balance", "Closing balance", { .money($0.closingBalance) },
              template: "closing") { row, _ in row.closingBalance.formatted },
        .init("shortfall", "Shortfall", { .money($0.shortfall) }, template: "shortfall") { row, _ in row.shortfall.formatted },
    ], rows: \.escrow)

    /// Budgets and consumption in ms (uptime) or requests (error rate); a budget without data has empty amounts.
    public static let budgets = ReportTable<ServiceBudget>(fileName: "budgets.csv", sheetName: "Budgets", listName: "budgets", columns: [
        .init("service", "Service", key: true, { .text($0.service) }, template: "service") { row, text in text.service(row.service) },
        .init("objective", "Objective", key: true, { .text($0.budget.objective.id) },
              template: "objective") { row, _ in Text.cell(row.budget.objective.id) },
        .init("metric", "Metric") { .text($0.budget.objective.metric.rawValue) },
        .init("target", "Target", { .metric($0.budget.objective.target, $0.budget.objective.metric) }, template: "target") { row, _ in
            Format.metricValue(row.budget.objective.target, row.budget.objective.metric) + Format.metricUnit(row.budget.objective.metric)
        },
        .init(nil, "Unit") { .text($0.budget.unit == .milliseconds ? "ms" : "requests") },
        .init("budget", "Budget", { .budgetAmount($0.budget.status == nil ? nil : $0.budget.budget, $0.budget.unit) },
              template: "budget") { row, _ in budgetText(row.budget, row.budget.budget) },
        .init("consumed", "Consumed", { .budgetAmount($0.budget.status == nil ? nil : $0.budget.consumed, $0.budget.unit) },
              template: "consumed") { row, _ in budgetText(row.budget, row.budget.consumed) },
        .init("remaining_pct", "Remaining %", { .percent($0.budget.remainingPercent) }, template: "remaining") { row, _ in
            row.budget.remainingPercent.map { $0.formatted(places: 4) + " %" } ?? "no data"
        },
        .init("status", "Status", { .text($0.budget.status?.rawValue ?? "") },
              template: "status") { row, _ in row.budget.status?.rawValue ?? "no data" },
        .init("burn_1h", "Worst burn 1 h") { .percent(worstBurn($0, 0)) },
        .init("burn_6h", "Worst burn 6 h") { .percent(worstBurn($0, 1)) },
        .init("burn_24h", "Worst burn 24 h") { .percent(worstBurn($0, 2)) },
        .markdown("burn") { row, _ in
            row.budget.burnRates.map { burn in
                burn.worst.map { $0.formatted(places: 2) + " (" + (burn.level?.rawValue ?? "") + ")" } ?? "—"
            }.joined(separator: " / ")
        },
        .init("freeze", "Freeze", { .flag($0.freeze) }, template: "freeze") { row, _ in row.freeze ? "**yes**" : "no" },
    ], rows: \.budgets)

    /// The worst burn rate over the `index`th window length (1 h, 6 h, 24 h).
    private static func worstBurn(_ row: ServiceBudget, _ index: Int) -> Ratio? {
        row.budget.burnRates.indices.contains(index) ? row.budget.burnRates[index].worst : nil
    }

    /// A budget amount for people: `2 h 05 min` of downtime, `12.500 requests`, `no data`.
    private static func budgetText(_ b: ErrorBudget, _ value: Ratio) -> String {
        guard b.status != nil else { return "no data" }
        guard b.unit == .milliseconds else { return Format.budgetAmount(value, b.unit) + " requests" }
        guard let ms = (try? value.scaled(places: 0)).flatMap({ Millis(exactly: $0) }) else {
            return value.formatted(places: 0) + " ms"   // beyond any real duration: shown exactly, not as d/h/m
        }
        return Format.humanDuration(ms)
    }
}
