import Calc
import Mustache

/// `report.md`, rendered from a Mustache template with pre-formatted strings (the template never formats numbers).
public enum MarkdownReport {
    public struct TemplateError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Renders `report.md.mustache` (its text is passed in; Render reads no files).
    public static func render(_ report: ComplianceReport, template text: String, tool: ToolInfo) throws -> RenderedFile {
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: text) } catch {
            throw TemplateError(description: "report.md.mustache: \(error)")
        }
        var text = template.render(context(report, tool: tool))
        if !text.hasSuffix("\n") { text += "\n" }
        return RenderedFile(name: "report.md", text: text)
    }

    /// The values a template can use. Every string is final text; table cells are escaped for Markdown.
    public static func context(_ report: ComplianceReport, tool: ToolInfo) -> [String: Any] {
        let p = report.period
        let worst = report.services.filter { $0.stats.uptimePercent != nil }
            .min { ($0.stats.uptimePercent!, $0.id) < ($1.stats.uptimePercent!, $1.id) }
        let names = Dictionary(report.services.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let lowCoverage = report.services.filter { ($0.stats.coveragePercent ?? .hundred) < .hundred }
        return [
            "tool": ["name": tool.name, "version": tool.version],
            "period": [
                "label": p.label, "kind": p.kind.rawValue, "first_day": p.firstDay.description,
                "last_day": p.lastDay.description, "start": Format.timestamp(p.interval.start),
                "end": Format.timestamp(p.interval.end), "length": Format.humanDuration(p.interval.duration),
            ],
            "timezone": report.timezone,
            "generated_at": Format.timestamp(report.generatedAt),
            "summary": [
                "services": String(report.estate.services),
                "uptime": percentText(report.estate.uptimePercent),
                "incidents": String(report.estate.incidents),
                "outages_word": report.estate.incidents == 1 ? "outage" : "outages",
                "downtime": Format.humanDuration(report.estate.downMs),
                "worst_service": worst.map { cell($0.name) } ?? "",
                "worst_uptime": worst.map { percentText($0.stats.uptimePercent) } ?? "",
                "has_worst": worst != nil,
                "low_coverage": lowCoverage.map { ["name": cell($0.name), "coverage": percentText($0.stats.coveragePercent)] },
                "has_low_coverage": !lowCoverage.isEmpty,
            ],
            "services": report.services.map { service -> [String: Any] in
                let s = service.stats
                return [
                    "id": cell(service.id), "name": cell(service.name), "provider": cell(service.providerName),
                    "uptime": percentText(s.uptimePercent), "coverage": percentText(s.coveragePercent),
                    "down": Format.humanDuration(s.downMs), "degraded": Format.humanDuration(s.degradedMs),
                    "maintenance": Format.humanDuration(s.maintenanceMs), "unknown": Format.humanDuration(s.unknownMs),
                    "incidents": String(s.incidentCount), "longest": Format.humanDuration(s.longestOutageMs),
                    "mttr": s.mttrMs.map(Format.humanDuration) ?? "—",
                    "months": service.months.map { ["uptime": percentText($0.uptimePercent)] },
                ]
            },
            "show_trend": p.months.count > 1,
            "months": p.months.map { ["label": $0.label] },
            "incidents": report.incidents.map { i -> [String: Any] in
                [
                    "service": cell(names[i.service] ?? i.service), "state": i.state.name, "start": Format.timestamp(i.start),
                    "end": Format.timestamp(i.end), "duration": Format.humanDuration(i.durationMs),
                ]
            },
            "has_incidents": !report.incidents.isEmpty,
        ]
    }

    /// `99.9123 %`, or `no data`.
    static func percentText(_ r: Ratio?) -> String { r.map { $0.formatted(places: 4) + " %" } ?? "no data" }

    /// Text safe inside a Markdown table cell: pipes, backslashes, line breaks and markup characters neutralised.
    static func cell(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "|", "\\", "*", "_", "`", "[", "]", "<", ">", "#": out += "\\" + String(c)
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
