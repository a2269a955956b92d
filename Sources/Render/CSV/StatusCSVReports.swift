import Calc

/// `uptime.csv` and `incidents.csv` (§6).
public enum StatusCSVReports {
    public static func uptime(_ report: ComplianceReport) -> CSVTable {
        var table = CSVTable(header: [
            "service", "provider", "period_start", "period_end", "total_ms", "maintenance_ms", "unknown_ms", "eligible_ms",
            "up_ms", "degraded_ms", "down_ms", "uptime_pct", "coverage_pct", "incidents", "longest_outage_ms", "mttr_ms",
        ])
        for service in report.services {
            let s = service.stats
            table.rows.append([
                .text(service.id), .text(service.provider),
                .number(Format.timestamp(s.window.start)), .number(Format.timestamp(s.window.end)),
                .number(String(s.totalMs)), .number(String(s.maintenanceMs)), .number(String(s.unknownMs)),
                .number(String(s.eligibleMs)), .number(String(s.upMs)), .number(String(s.degradedMs)),
                .number(String(s.downMs)), .number(Format.percent(s.uptimePercent)), .number(Format.percent(s.coveragePercent)),
                .number(String(s.incidentCount)), .number(String(s.longestOutageMs)), .number(s.mttrMs.map(String.init) ?? ""),
            ])
        }
        return table
    }

    public static func incidents(_ report: ComplianceReport) -> CSVTable {
        var table = CSVTable(header: ["service", "state", "start", "end", "duration_ms"])
        for incident in report.incidents {
            table.rows.append([
                .text(incident.service), .text(incident.state.name), .number(Format.timestamp(incident.start)),
                .number(Format.timestamp(incident.end)), .number(String(incident.durationMs)),
            ])
        }
        return table
    }
}
