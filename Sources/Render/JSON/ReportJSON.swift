import Calc

/// `report.json`: everything in the other outputs plus the exact numerators and denominators.
public enum ReportJSON {
    public static let schemaVersion = 1

    public static func document(_ report: ComplianceReport, tool: ToolInfo) -> JSONValue {
        let p = report.period
        let policy = report.statusPolicy
        return .object([
            ("schema_version", .int(schemaVersion)),
            ("tool", .object([("name", .string(tool.name)), ("version", .string(tool.version))])),
            ("period", .object([
                ("label", .string(p.label)), ("kind", .string(p.kind.rawValue)),
                ("first_day", .string(p.firstDay.description)), ("last_day", .string(p.lastDay.description)),
                ("start", .string(Format.timestamp(p.interval.start))), ("end", .string(Format.timestamp(p.interval.end))),
                ("timezone", .string(report.timezone)),
            ])),
            ("generated_at", .string(Format.timestamp(report.generatedAt))),
            ("status_policy", .object([
                ("max_sample_gap_ms", .int(policy.maxSampleGap)),
                ("missing_data", .string(policy.missingData.rawValue)),
                ("degraded_weight", .exact(policy.degradedWeight)),
                ("regions", .string(policy.regions.rawValue)),
                ("pending", .string(policy.pending.rawValue)),
                ("max_excluded_maintenance_ms", policy.maxExcludedMaintenance.map { .int($0) } ?? .null),
            ])),
            ("summary", .object([
                ("services", .int(report.estate.services)),
                ("eligible_ms", .int(report.estate.eligibleMs)),
                ("good_ms", .exact(report.estate.goodMs)),
                ("down_ms", .int(report.estate.downMs)),
                ("incidents", .int(report.estate.incidents)),
                ("uptime_pct", .decimal(Format.percent(report.estate.uptimePercent))),
                ("uptime_pct_exact", .exact(report.estate.uptimePercent)),
            ])),
            ("services", .array(report.services.map { service in
                .object([
                    ("id", .string(service.id)), ("name", .string(service.name)),
                    ("provider", .string(service.provider)), ("provider_name", .string(service.providerName)),
                    ("uptime", stats(service.stats)),
                    ("months", .array(zip(p.months, service.months).map { slice, stats in
                        .object([("month", .string(slice.label))] + fields(stats))
                    })),
                ])
            })),
            ("incidents", .array(report.incidents.map(incident))),
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
