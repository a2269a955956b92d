import Calc

/// `report.json`: everything in the other outputs plus the exact numerators and denominators.
public enum ReportJSON {
    public static let schemaVersion = 1

    public static func document(_ report: ComplianceReport, tool: ToolInfo) -> JSONValue { members(report, tool: tool).value }

    /// `document(report, tool:).bytes`, with the violations and credit lines made as they are written.
    public static func bytes(_ report: ComplianceReport, tool: ToolInfo) -> [UInt8] { members(report, tool: tool).bytes }

    /// The document, its two long arrays (violations, credit lines) made one element at a time.
    static func members(_ report: ComplianceReport, tool: ToolInfo) -> JSONMember {
        let p = report.period
        let policy = report.statusPolicy
        let timestamp = TimestampTexts()
        return .object([
            ("schema_version", .value(.int(schemaVersion))),
            ("tool", .value(.object([("name", .string(tool.name)), ("version", .string(tool.version))]))),
            ("period", .value(.object([
                ("label", .string(p.label)), ("kind", .string(p.kind.rawValue)),
                ("first_day", .string(p.firstDay.description)), ("last_day", .string(p.lastDay.description)),
                ("start", .string(Format.timestamp(p.interval.start))), ("end", .string(Format.timestamp(p.interval.end))),
                ("timezone", .string(report.timezone)),
            ]))),
            ("generated_at", .value(.string(Format.timestamp(report.generatedAt)))),
            ("status_policy", .value(.object([
                ("max_sample_gap_ms", .int(policy.maxSampleGap)),
                ("missing_data", .string(policy.missingData.rawValue)),
                ("degraded_weight", .exact(policy.degradedWeight)),
                ("regions", .string(policy.regions.rawValue)),
                ("pending", .string(policy.pending.rawValue)),
                ("max_excluded_maintenance_ms", policy.maxExcludedMaintenance.map { .int($0) } ?? .null),
            ]))),
            ("summary", .value(.object([
                ("services", .int(report.estate.services)),
                ("eligible_ms", .int(report.estate.eligibleMs)),
                ("good_ms", .exact(report.estate.goodMs)),
                ("down_ms", .int(report.estate.downMs)),
                ("incidents", .int(report.estate.incidents)),
                ("uptime_pct", .decimal(Format.percent(report.estate.uptimePercent))),
                ("uptime_pct_exact", .exact(report.estate.uptimePercent)),
            ]))),
            ("services", .value(.array(report.services.map { service in
                .object([
                    ("id", .string(service.id)), ("name", .string(service.name)),
                    ("provider", .string(service.provider)), ("provider_name", .string(service.providerName)),
                    ("uptime", stats(service.stats)),
                    ("months", .array(zip(p.months, service.months).map { slice, stats in
                        .object([("month", .string(slice.label))] + fields(stats))
                    })),
                ])
            }))),
            ("incidents", .value(.array(report.incidents.map(incident)))),
            ("violations", .array(count: report.violations.count) { violation(report.violations[$0], timestamp) }),
            ("credits", .object([
                ("currency", .value(.string(report.currency.code))),
                ("total", .value(money(report.totalCredits))),
                ("lines", .array(count: report.credits.count) { credit(report.credits[$0], timestamp) }),
            ])),
            ("escrow", .value(.array(report.escrow.map(escrow)))),
            ("budgets", .value(.array(report.budgets.map(budget)))),
        ])
    }

    static func budget(_ row: ServiceBudget) -> JSONValue {
        let b = row.budget
        return .object([
            ("service", .string(row.service)), ("objective", .string(b.objective.id)),
            ("metric", .string(b.objective.metric.rawValue)),
            ("target", .decimal(Format.metricValue(b.objective.target, b.objective.metric))), ("unit", .string(b.unit.rawValue)),
            ("base_exact", .exact(b.base)), ("budget_exact", .exact(b.budget)), ("consumed_exact", .exact(b.consumed)),
            ("budget", .decimal(Format.budgetAmount(b.budget, b.unit))), ("consumed", .decimal(Format.budgetAmount(b.consumed, b.unit))),
            ("remaining_pct", .decimal(Format.percent(b.remainingPercent))), ("remaining_pct_exact", .exact(b.remainingPercent)),
            ("status", b.status.map { .string($0.rawValue) } ?? .null),
            ("burn_rates", .array(b.burnRates.map { burn in
                .object([
                    ("window_ms", .int(burn.windowLength)), ("worst", .decimal(burn.worst?.formatted(places: 4))),
                    ("worst_exact", .exact(burn.worst)), ("level", burn.level.map { .string($0.rawValue) } ?? .null),
                    ("worst_window_start", burn.worstWindow.map { .string(Format.timestamp($0.start)) } ?? .null),
                ])
            })),
            ("freeze", .bool(row.freeze)),
        ])
    }

    /// Money as decimal text (never a JSON float) with its exact minor units.
    static func money(_ m: Money) -> JSONValue { .string(m.formatted) }

    static func violation(_ v: Violation, _ timestamp: TimestampTexts = TimestampTexts()) -> JSONValue {
        .object([
            ("lease", .string(v.lease)), ("customer", .string(v.customer)), ("provider", .string(v.provider)),
            ("service", .string(v.service)), ("objective", .string(v.objective)), ("metric", .string(v.metric.rawValue)),
            ("window_start", .string(timestamp(v.window.start))), ("window_end", .string(timestamp(v.window.end))),
            ("windows", .int(v.windows)),
            ("target", .decimal(Format.metricValue(v.target, v.metric))), ("target_exact", .exact(v.target)),
            ("actual", .decimal(Format.metricValue(v.actual, v.metric))), ("actual_exact", .exact(v.actual)),
            ("status", .string(v.status.rawValue)), ("severity", .string(v.status.severity)),
        ])
    }

    static func credit(_ c: CreditLine, _ timestamp: TimestampTexts = TimestampTexts()) -> JSONValue {
        .object([
            ("lease", .string(c.lease)), ("customer", .string(c.customer)), ("provider", .string(c.provider)),
            ("service", .string(c.service)), ("tier", .string(c.tier)), ("month", .string(c.month)),
            ("segment_start", .string(timestamp(c.segment.start))), ("segment_end", .string(timestamp(c.segment.end))),
            ("segment_ms", .int(c.segmentMs)), ("month_ms", .int(c.monthMs)),
            ("monthly_fee", money(c.monthlyFeeAmount)),
            ("prorated_fee", money(c.proratedFeeAmount)), ("prorated_fee_exact", .exact(c.proratedFee)),
            ("achieved_pct", .decimal(Format.percent(c.achievedPercent))), ("achieved_pct_exact", .exact(c.achievedPercent)),
            ("achieved", .decimal(c.achievedMetric.flatMap { m in c.achieved.map { Format.metricValue($0, m) } })),
            ("achieved_unit", c.achievedMetric.map { .string(Format.unitSymbol($0)) } ?? .null),
            ("achieved_exact", .exact(c.achieved)),
            ("policies", .array(c.policies.map { p in
                .object([
                    ("objective", .string(p.objective)), ("metric", p.metric.map { .string($0.rawValue) } ?? .null),
                    ("achieved_exact", .exact(p.achieved)),
                    ("coverage_pct", .decimal(Format.percent(p.coverage))), ("coverage_exact", .exact(p.coverage)),
                    ("credit_pct", .decimal(Format.percent(p.creditPercent))),
                ])
            })),
            ("credit_pct", .decimal(Format.percent(c.creditPercent))), ("credit_pct_exact", .exact(c.creditPercent)),
            ("credit_exact", .exact(c.creditExact)), ("credit_amount", money(c.creditAmount)),
            ("credit_minor_units", .int(c.creditAmount.minorUnits)),
            ("credit_status", .string(c.creditStatus.rawValue)),
        ])
    }

    static func escrow(_ e: EscrowLine) -> JSONValue {
        .object([
            ("provider", .string(e.provider)), ("currency", .string(e.currency.code)),
            ("opening_balance", money(e.openingBalance)), ("credits", money(e.credits)),
            ("closing_balance", money(e.closingBalance)), ("shortfall", money(e.shortfall)),
        ])
    }

    static func stats(_ s: UptimeStats) -> JSONValue { .object(fields(s)) }

    static func fields(_ s: UptimeStats) -> [(String, JSONValue)] {
        [
            ("start", .string(Format.timestamp(s.window.start))), ("end", .string(Format.timestamp(s.window.end))),
            ("total_ms", .int(s.totalMs)), ("maintenance_ms", .int(s.maintenanceMs)), ("unknown_ms", .int(s.unknownMs)),
            ("eligible_ms", .int(s.eligibleMs)), ("up_ms", .int(s.upMs)), ("degraded_ms", .int(s.degradedMs)),
            ("down_ms", .int(s.downMs)), ("good_ms", .exact(s.goodMs)),
            ("uptime_pct", .decimal(Format.percent(s.uptimePercent))), ("uptime_pct_exact", .exact(s.uptimePercent)),
            ("coverage_pct", .decimal(Format.percent(s.coveragePercent))), ("coverage_pct_exact", .exact(s.coveragePercent)),
            ("incidents", .int(s.incidentCount)), ("longest_outage_ms", .int(s.longestOutageMs)),
            ("mttr_ms", s.mttrMs.map { .int($0) } ?? .null),
        ]
    }

    static func incident(_ i: Incident) -> JSONValue {
        .object([
            ("service", .string(i.service)), ("state", .string(i.state.name)),
            ("start", .string(Format.timestamp(i.start))), ("end", .string(Format.timestamp(i.end))),
            ("duration_ms", .int(i.durationMs)),
        ])
    }
}

/// The name and version written into outputs.
public struct ToolInfo: Sendable {
    public var name: String
    public var version: String
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}
