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
        let names = Names(report)
        let p = report.period
        var context: [String: Any] = [
            "tool": ["name": tool.name, "version": tool.version],
            "period": [
                "label": p.label, "kind": p.kind.rawValue, "first_day": p.firstDay.description,
                "last_day": p.lastDay.description, "start": Format.timestamp(p.interval.start),
                "end": Format.timestamp(p.interval.end), "length": Format.humanDuration(p.interval.duration),
            ],
            "timezone": report.timezone,
            "generated_at": Format.timestamp(report.generatedAt),
            "currency": report.currency.code,
            "summary": summary(report, names),
            "services": report.services.map(service),
            "show_trend": p.months.count > 1,
            "months": p.months.map { ["label": $0.label] },
        ]
        context["incidents"] = report.incidents.map { incident($0, names) }
        context["has_incidents"] = !report.incidents.isEmpty
        context["violations"] = report.violations.map { violation($0, names) }
        context["has_violations"] = !report.violations.isEmpty
        context["credits"] = report.credits.map { credit($0, names) }
        context["has_credits"] = !report.credits.isEmpty
        context["credits_total"] = report.totalCredits.formatted
        context["escrow"] = report.escrow.map { escrow($0, names) }
        context["budgets"] = report.budgets.map { budget($0, names) }
        context["has_budgets"] = !report.budgets.isEmpty
        return context
    }

    /// Display names by id, escaped for table cells.
    struct Names {
        var services: [String: String], providers: [String: String], customers: [String: String]
        init(_ report: ComplianceReport) {
            services = Dictionary(report.services.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            providers = report.providerNames
            customers = report.customerNames
        }
        func service(_ id: String) -> String { cell(services[id] ?? id) }
        func provider(_ id: String) -> String { cell(providers[id] ?? id) }
        func customer(_ id: String) -> String { cell(customers[id] ?? id) }
    }

    static func summary(_ report: ComplianceReport, _ names: Names) -> [String: Any] {
        let worst = report.services.filter { $0.stats.uptimePercent != nil }
            .min { ($0.stats.uptimePercent!, $0.id) < ($1.stats.uptimePercent!, $1.id) }
        let lowCoverage = report.services.filter { ($0.stats.coveragePercent ?? .hundred) < .hundred }
        let breaches = report.violations.filter { $0.status == .breached }
        let shortfalls = report.escrow.filter { $0.shortfall.minorUnits > 0 }
        let frozen = Array(Set(report.budgets.filter(\.freeze).map(\.service))).sorted()
        let creditedLeases = Set(report.credits.filter { $0.creditAmount.minorUnits > 0 }.map(\.lease))
        return [
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
            "breaches": String(breaches.count),
            "breaches_word": breaches.count == 1 ? "breach" : "breaches",
            "breached_leases": String(Set(breaches.map(\.lease)).count),
            "at_risk": String(report.violations.count - breaches.count),
            "credits_total": report.totalCredits.formatted,
            "credited_leases": String(creditedLeases.count),
            "shortfalls": shortfalls.map { ["provider": names.provider($0.provider), "amount": $0.shortfall.formatted] },
            "has_shortfalls": !shortfalls.isEmpty,
            "frozen": frozen.map { ["name": names.service($0)] },
            "has_frozen": !frozen.isEmpty,
        ]
    }

    static func service(_ service: ServiceReport) -> [String: Any] {
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
    }

    static func incident(_ i: Incident, _ names: Names) -> [String: Any] {
        [
            "service": names.service(i.service), "state": i.state.name, "start": Format.timestamp(i.start),
            "end": Format.timestamp(i.end), "duration": Format.humanDuration(i.durationMs),
        ]
    }

    static func violation(_ v: Violation, _ names: Names) -> [String: Any] {
        [
            "lease": cell(v.lease), "customer": names.customer(v.customer), "service": names.service(v.service),
            "objective": cell(v.objective), "start": Format.timestamp(v.window.start), "end": Format.timestamp(v.window.end),
            "target": Format.metricValue(v.target, v.metric) + Format.metricUnit(v.metric),
            "actual": Format.metricValue(v.actual, v.metric) + Format.metricUnit(v.metric),
            "status": v.status == .breached ? "breached" : "at risk", "severity": v.status.severity,
        ]
    }

    static func credit(_ c: CreditLine, _ names: Names) -> [String: Any] {
        [
            "lease": cell(c.lease), "customer": names.customer(c.customer), "service": names.service(c.service),
            "tier": cell(c.tier), "month": c.month, "from": Format.timestamp(c.segment.start),
            "to": Format.timestamp(c.segment.end), "fee": c.proratedFeeAmount.formatted,
            "achieved": percentText(c.achieved), "credit_pct": c.creditPercent.formatted(places: 4) + " %",
            "amount": c.creditAmount.formatted,
        ]
    }

    static func budget(_ row: ServiceBudget, _ names: Names) -> [String: Any] {
        let b = row.budget
        let unit = b.unit == .milliseconds ? "" : " requests"
        func amount(_ value: Ratio) -> String {
            guard b.status != nil else { return "no data" }
            return b.unit == .milliseconds ? Format.humanDuration(Millis(value.scaled(places: 0))) : Format.budgetAmount(value, b.unit) + unit
        }
        return [
            "service": names.service(row.service), "objective": cell(b.objective.id),
            "target": Format.metricValue(b.objective.target, b.objective.metric) + Format.metricUnit(b.objective.metric),
            "budget": amount(b.budget), "consumed": amount(b.consumed),
            "remaining": b.remainingPercent.map { $0.formatted(places: 4) + " %" } ?? "no data",
            "status": b.status?.rawValue ?? "no data",
            "burn": b.burnRates.map { burn in
                burn.worst.map { $0.formatted(places: 2) + " (" + (burn.level?.rawValue ?? "") + ")" } ?? "—"
            }.joined(separator: " / "),
            "freeze": row.freeze ? "**yes**" : "no",
        ]
    }

    static func escrow(_ e: EscrowLine, _ names: Names) -> [String: Any] {
        [
            "provider": names.provider(e.provider), "opening": e.openingBalance.formatted, "credits": e.credits.formatted,
            "closing": e.closingBalance.formatted, "shortfall": e.shortfall.formatted,
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
