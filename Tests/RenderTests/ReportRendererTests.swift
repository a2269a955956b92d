import Calc
import Foundation
import Testing
@testable import Render

/// The formats are rendered side by side; nothing about that may show in the files or the errors.
struct ReportRendererTests {
    static let template = "{{% CONTENT_TYPE: TEXT}}\n# {{period.label}}\n{{#credits}}\n| {{lease}} | {{amount}} |\n{{/credits}}\n"

    @Test func sideBySideGivesWhatOneByOneGives() throws {
        let report = try XLSXFixture.report()
        let dir = try XLSXFixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let formats: [ReportRenderer.Format] = [.md, .csv, .json, .xlsx]
        let together = try ReportRenderer.render(report, formats: formats, markdownTemplate: Self.template,
                                                 tool: XLSXFixture.tool, scratchDirectory: dir.path)
        var oneByOne: [RenderedFile] = []
        for format in formats {
            oneByOne += try ReportRenderer.renderFormat(format, report, markdownTemplate: Self.template,
                                                        tool: XLSXFixture.tool, scratchDirectory: dir.path)
        }
        #expect(together == oneByOne.sorted { $0.name < $1.name })
        #expect(together.map(\.name) == ["budgets.csv", "credits.csv", "escrow.csv", "incidents.csv", "report.json",
                                         "report.md", "report.xlsx", "uptime.csv", "violations.csv"])
        // The order formats are asked in does not matter either.
        #expect(try ReportRenderer.render(report, formats: formats.reversed(), markdownTemplate: Self.template,
                                          tool: XLSXFixture.tool, scratchDirectory: dir.path) == together)
    }

    /// Past the row limit the formats are rendered one at a time: the same files.
    @Test func oneAtATimePastTheRowLimitGivesTheSameFiles() throws {
        let report = try XLSXFixture.report()
        #expect(ReportRenderer.tableRows(report) == report.credits.count + report.violations.count + report.incidents.count)
        #expect(ReportRenderer.tableRows(report) > 0)
        let dir = try XLSXFixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let formats: [ReportRenderer.Format] = [.md, .csv, .json, .xlsx]
        let sideBySide = try ReportRenderer.render(report, formats: formats, markdownTemplate: Self.template,
                                                   tool: XLSXFixture.tool, scratchDirectory: dir.path)
        let oneAtATime = try ReportRenderer.render(report, formats: formats, markdownTemplate: Self.template,
                                                   tool: XLSXFixture.tool, scratchDirectory: dir.path, sideBySideRowLimit: 0)
        #expect(oneAtATime == sideBySide)
    }

    /// A broken template (Markdown) and a missing scratch folder (XLSX) both fail; the error is the one of the
    /// format listed first, as when they ran one after another.
    @Test func theFirstFailingFormatInOrderIsReported() throws {
        let report = try XLSXFixture.report()
        func failure(_ formats: [ReportRenderer.Format]) -> String {
            do {
                _ = try ReportRenderer.render(report, formats: formats, markdownTemplate: "{{#credits}}",
                                              tool: XLSXFixture.tool, scratchDirectory: "/nonexistent/scratch")
                return "no error"
            } catch {
                return "\(type(of: error))"
            }
        }
        #expect(failure([.csv, .md, .xlsx]) == "TemplateError")
        #expect(failure([.xlsx, .json, .md]) == "XLSXError")
    }
}
