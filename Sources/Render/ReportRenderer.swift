import Calc

/// The one place that picks a writer per output format.
public enum ReportRenderer {
    public enum Format: String, Sendable, CaseIterable { case md, csv, json, xlsx }

    /// Renders `formats`; files come back sorted by name. libxlsxwriter can only write to a path, so the XLSX
    /// writer works in `scratchDirectory` (the caller's temporary folder) and hands the bytes back.
    public static func render(_ report: ComplianceReport, formats: [Format], markdownTemplate: String,
                              tool: ToolInfo, scratchDirectory: String) throws -> [RenderedFile] {
        var files: [RenderedFile] = []
        for format in formats {
            switch format {
            case .md:
                files.append(try MarkdownReport.render(report, template: markdownTemplate, tool: tool))
            case .csv:
                files.append(RenderedFile(name: "uptime.csv", text: StatusCSVReports.uptime(report).text))
                files.append(RenderedFile(name: "incidents.csv", text: StatusCSVReports.incidents(report).text))
                files.append(RenderedFile(name: "credits.csv", text: CreditCSVReports.credits(report).text))
                files.append(RenderedFile(name: "escrow.csv", text: CreditCSVReports.escrow(report).text))
                files.append(RenderedFile(name: "violations.csv", text: CreditCSVReports.violations(report).text))
                files.append(RenderedFile(name: "budgets.csv", text: CreditCSVReports.budgets(report).text))
            case .json:
                files.append(RenderedFile(name: "report.json", contents: ReportJSON.document(report, tool: tool).bytes))
            case .xlsx:
                files.append(try XLSXReport.render(report, tool: tool, scratchDirectory: scratchDirectory))
            }
        }
        return files.sorted { $0.name < $1.name }
    }
}
