import Calc
import Mustache

/// `report.md`, rendered from a Mustache template with pre-formatted strings (the template never formats numbers).
public enum MarkdownReport {
    public struct TemplateError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Renders `report.md.mustache` (its text is passed in; Render reads no files).
    ///
    /// Table rows are rendered from the template's own row lines by `MarkdownRowSections` (the bytes are those
    /// Mustache gives); everything else, and any section that is not a plain table row, by Mustache.
    public static func render(_ report: ComplianceReport, template text: String, tool: ToolInfo) throws -> RenderedFile {
        let names = DisplayText(report)
        let lists = lists(report, names)
        var context = scalarContext(report, tool: tool, names)
        let booleanKeys = Set(context.compactMap { $0.value is Bool ? $0.key : nil })
        let sections = MarkdownRowSections(template: text, lists: lists, booleanKeys: booleanKeys)
        let template: MustacheTemplate
        if sections.template != text, let rewritten = try? MustacheTemplate(string: sections.template) {
            template = rewritten
            for list in lists where sections.listsStillNamed.contains(list.name) { context[list.name] = list.dictionaries }
            for (name, rows) in sections.renderedRows { context[name] = rows }
        } else {
            // Nothing to take over, or a template Mustache rejects: its error is reported as the person wrote it.
            template = try parse(text)
            for list in lists { context[list.name] = list.dictionaries }
        }
        var output = template.render(context)
        if !output.hasSuffix("\n") { output += "\n" }
        return RenderedFile(name: "report.md", text: output)
    }

    /// `text` rendered by Mustache alone over `context`: what `render` gives without its table-row shortcut.
    static func renderWithMustacheOnly(_ text: String, context: [String: Any]) throws -> String {
        try parse(text).render(context)
    }

    static func parse(_ text: String) throws -> MustacheTemplate {
        do { return try MustacheTemplate(string: text) } catch {
            throw TemplateError(description: "report.md.mustache: \(error)")
        }
    }

    /// The values a template can use. Every string is final text; table cells are escaped for Markdown.
    public static func context(_ report: ComplianceReport, tool: ToolInfo) -> [String: Any] {
        let names = DisplayText(report)
        var context = scalarContext(report, tool: tool, names)
        for list in lists(report, names) { context[list.name] = list.dictionaries }
        return context
    }

    /// Everything but the report's lists: the period, the summary, flags and totals.
    static func scalarContext(_ report: ComplianceReport, tool: ToolInfo, _ names: DisplayText) -> [String: Any] {
        let p = report.period
        return [
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
            "show_trend": p.months.count > 1,
            "months": p.months.map { ["label": $0.label] },
            "has_incidents": !report.incidents.isEmpty,
            "has_violations": !report.violations.isEmpty,
            "has_credits": !report.credits.isEmpty,
            "credits_total": report.totalCredits.formatted,
            "has_budgets": !report.budgets.isEmpty,
        ]
    }

    /// The report's lists, each row's texts named as the template uses them.
    static func lists(_ report: ComplianceReport, _ text: DisplayText) -> [MarkdownList] {
        [
            list(ReportTables.uptime, report, text, extras: { service in
                ["months": service.months.map { ["uptime": percentText($0.uptimePercent)] }]
            }),
            list(ReportTables.incidents, report, text), list(ReportTables.violations, report, text),
            list(ReportTables.credits, report, text), list(ReportTables.escrow, report, text),
            list(ReportTables.budgets, report, text),
        ]
    }

    /// A table's rows as the template's list: the columns report.md shows, as their text for people.
    static func list<Row>(_ table: ReportTable<Row>, _ report: ComplianceReport, _ text: DisplayText,
                          extras: @escaping (Row) -> [String: Any] = { _ in [:] }) -> MarkdownList {
        MarkdownList(table.listName, table.rows(report), columns: table.markdownColumns.map { column in
            (column.template!, { row in column.people!(row, text) })
        }, extras: extras)
    }

    static func summary(_ report: ComplianceReport, _ names: DisplayText) -> [String: Any] {
        let worst = report.services.filter { $0.stats.uptimePercent != nil }
            .min { ($0.stats.uptimePercent!, $0.id) < ($1.stats.uptimePercent!, $1.id) }
        let lowCoverage = report.services.filter { ($0.stats.coveragePercent ?? .hundred) < .hundred }
        let breaches = report.violations.filter { $0.status == .breached }
        let shortfalls = report.escrow.filter { $0.shortfall.minorUnits > 0 }
        let frozen = Array(Set(report.budgets.filter(\.freeze).map(\.service))).sorted()
        let creditedLeases = Set(report.credits.filter { $0.creditAmount.minorUnits > 0 }.map(\.lease))
        let unsettled = report.credits.filter { $0.creditStatus == .insufficientData }
        let shownUnsettled = unsettled.prefix(needsAttentionListed)
        let measured = report.services.filter { $0.stats.uptimePercent != nil }.count
        let configured = report.services.count
        let breachedLeases = Set(breaches.map(\.lease)).count
        let atRisk = report.violations.count - breaches.count
        return [
            // Whole phrases, singular and plural and none, for the default template (the counts and words below
            // stay for templates written against them).
            "breaches_text": breaches.isEmpty ? "No SLA breach" : counted(breaches.count, "SLA breach", "SLA breaches"),
            "breached_leases_text": breaches.isEmpty ? "" : " across " + counted(breachedLeases, "lease", "leases"),
            "at_risk_text": atRisk == 0 ? (breaches.isEmpty ? "no objective was at risk" : "no other objective was at risk")
                : counted(atRisk, "more objective was", "more objectives were") + " at risk",
            "credits_text": creditedLeases.isEmpty ? "No service credits are due"
                : "Service credits due: \(report.totalCredits.formatted) \(report.currency.code)",
            "credited_leases_text": creditedLeases.isEmpty ? "" : " on " + counted(creditedLeases.count, "lease", "leases"),
            "has_measured": measured > 0,
            "measured_text": measured == configured
                ? counted(measured, "service was", "services were") + " measured"
                : "\(measured) of " + counted(configured, "service", "services") + " had monitoring data",
            "outages_text": report.estate.incidents == 0 ? "No outage" : counted(report.estate.incidents, "outage", "outages"),
            "has_outages": report.estate.incidents > 0,
            "needs_attention": shownUnsettled.map { line in
                ["lease": cell(line.lease), "service": names.service(line.service), "month": line.month,
                 "coverage": line.coverage.map { $0.formatted(places: 4) + " % coverage" } ?? "nothing measured"]
            },
            "has_needs_attention": !unsettled.isEmpty,
            "needs_attention_count": String(unsettled.count),
            "needs_attention_lines_word": unsettled.count == 1 ? "credit line has" : "credit lines have",
            "needs_attention_more": String(unsettled.count - shownUnsettled.count),
            "has_needs_attention_more": unsettled.count > shownUnsettled.count,
            "min_coverage": percentText(report.statusPolicy.minCoverage),
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

    /// `1 lease`, `3 leases`.
    static func counted(_ count: Int, _ one: String, _ many: String) -> String {
        "\(count) " + (count == 1 ? one : many)
    }

    /// How many "Needs attention" lines the summary names; the rest are counted (all are in `credits.csv`).
    static let needsAttentionListed = 10

    /// `99.9123 %`, or `no data`.
    static func percentText(_ r: Ratio?) -> String { r.map { $0.formatted(places: 4) + " %" } ?? "no data" }

    /// Text safe inside a Markdown table cell (`MarkdownText.cell`).
    static func cell(_ text: String) -> String { MarkdownText.cell(text) }
}
