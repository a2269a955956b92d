import Calc
import Foundation
import Synchronization

/// The one place that picks a writer per output format.
public enum ReportRenderer {
    public enum Format: String, Sendable, CaseIterable { case md, csv, json, xlsx }

    /// Renders `formats`; files come back sorted by name. libxlsxwriter can only write to a path, so the XLSX
    /// writer works in `scratchDirectory` (the caller's temporary folder) and hands the bytes back.
    ///
    /// The formats are rendered side by side (each writer only reads the report), which on a 10 000-lease report
    /// takes the Markdown, JSON and XLSX writers' time from their sum to about the longest of them. The bytes do
    /// not depend on the order they finish in or the number of threads; a failure is the one the first failing
    /// format in `formats` order gives, as it was when they ran one after another.
    ///
    /// Side by side, the writers' working memory adds up (XLSX's cells and JSON's buffer are the large ones), so a
    /// report with more than `sideBySideRowLimit` rows in its long tables is rendered one format after another: a
    /// 10 000-lease month (about 20 000 credit lines and violations) still goes side by side (0.8 s, 120 MB), a
    /// 10 000-lease quarter (about 60 000) one at a time, peaking at about 170 MB instead of 210 MB, in ~1.8 s.
    public static func render(_ report: ComplianceReport, formats: [Format], markdownTemplate: String,
                              tool: ToolInfo, scratchDirectory: String,
                              sideBySideRowLimit: Int = sideBySideRowLimit) throws -> [RenderedFile] {
        let results = Mutex([Result<[RenderedFile], any Error>?](repeating: nil, count: formats.count))
        // The longest first, so the short ones fill in beside them.
        let order = formats.indices.sorted { (costRank(formats[$0]), $0) < (costRank(formats[$1]), $1) }
        @Sendable func render(_ n: Int) {
            let i = order[n]
            let result = Result {
                try renderFormat(formats[i], report, markdownTemplate: markdownTemplate, tool: tool,
                          scratchDirectory: scratchDirectory)
            }
            results.withLock { $0[i] = result }
        }
        if tableRows(report) > sideBySideRowLimit {
            for n in order.indices { render(n) }
        } else {
            DispatchQueue.concurrentPerform(iterations: order.count, execute: render)
        }
        var files: [RenderedFile] = []
        for result in results.withLock({ $0 }) { files += try result!.get() }
        return files.sorted { $0.name < $1.name }
    }

    /// Above this many rows in the report's long tables the formats are rendered one at a time (see `render`).
    public static let sideBySideRowLimit = 40_000

    /// The rows of the tables that grow with the estate: credit lines, violations and incidents.
    static func tableRows(_ report: ComplianceReport) -> Int {
        report.credits.count + report.violations.count + report.incidents.count
    }

    /// How long a format takes to render relative to the others (0 the longest), as measured on a
    /// 10 000-lease report: XLSX (about 0.5 s, most of it libxlsxwriter's XML and zlib), JSON (0.27 s),
    /// Markdown (0.07 s), CSV (0.04 s).
    static func costRank(_ format: Format) -> Int {
        switch format {
        case .xlsx: 0
        case .json: 1
        case .md: 2
        case .csv: 3
        }
    }

    /// The files of one format.
    static func renderFormat(_ format: Format, _ report: ComplianceReport, markdownTemplate: String, tool: ToolInfo,
                      scratchDirectory: String) throws -> [RenderedFile] {
        switch format {
        case .md:
            [try MarkdownReport.render(report, template: markdownTemplate, tool: tool)]
        case .csv:
            [
                ReportTables.uptime.csvFile(report), ReportTables.incidents.csvFile(report),
                ReportTables.credits.csvFile(report), ReportTables.escrow.csvFile(report),
                ReportTables.violations.csvFile(report), ReportTables.budgets.csvFile(report),
            ]
        case .json:
            [RenderedFile(name: "report.json", contents: ReportJSON.bytes(report, tool: tool))]
        case .xlsx:
            [try XLSXReport.render(report, tool: tool, scratchDirectory: scratchDirectory)]
        }
    }
}
