import Calc
import Foundation
import Testing
@testable import Render

/// `MarkdownRowSections` must give exactly the bytes Mustache gives, and step aside whenever it cannot be sure.
struct MarkdownRowSectionsTests {
    /// `templates/report.md.mustache` of this checkout (three levels above this file).
    static let shippedTemplate = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates/report.md.mustache")

    struct Row {
        var lease: String
        var amount: String
    }

    static let rows = [Row(lease: "L-1", amount: "10.00"), Row(lease: "{{lease}} | *x*", amount: "-8.90")]

    static func list(_ rows: [Row] = rows, name: String = "credits") -> MarkdownList {
        MarkdownList(name, rows, columns: [("lease", \.lease), ("amount", \.amount)],
                     extras: { ["detail": ["note": "n-" + $0.lease]] })
    }

    nonisolated(unsafe) static let context: [String: Any] = ["has_credits": true, "currency": "EUR", "summary": ["credits": "2"]]

    /// Renders `template` both ways; returns the shortcut's output, Mustache's, and the plan.
    static func both(_ template: String, lists: [MarkdownList] = [list()], context: [String: Any] = context)
        throws -> (fast: String, mustache: String, sections: MarkdownRowSections) {
        var full = context
        for list in lists { full[list.name] = list.dictionaries }
        let mustache = try MarkdownReport.renderWithMustacheOnly(template, context: full)

        let booleanKeys = Set(context.compactMap { $0.value is Bool ? $0.key : nil })
        let sections = MarkdownRowSections(template: template, lists: lists, booleanKeys: booleanKeys)
        var fastContext = context
        for list in lists where sections.listsStillNamed.contains(list.name) { fastContext[list.name] = list.dictionaries }
        for (name, rows) in sections.renderedRows { fastContext[name] = rows }
        let fast = try MarkdownReport.renderWithMustacheOnly(sections.template, context: fastContext)
        return (fast, mustache, sections)
    }

    @Test func shippedTemplateGivesMustachesBytes() throws {
        let report = try XLSXFixture.report()
        let text = try String(contentsOf: Self.shippedTemplate, encoding: .utf8)
        var expected = try MarkdownReport.renderWithMustacheOnly(text, context: MarkdownReport.context(report, tool: XLSXFixture.tool))
        if !expected.hasSuffix("\n") { expected += "\n" }
        #expect(try MarkdownReport.render(report, template: text, tool: XLSXFixture.tool) == RenderedFile(name: "report.md", text: expected))

        // Every table row is taken over; only the trend table's row (a nested `{{#months}}`) is Mustache's.
        let names = DisplayText(report)
        let lists = MarkdownReport.lists(report, names)
        let booleanKeys = Set(MarkdownReport.scalarContext(report, tool: XLSXFixture.tool, names).compactMap { $0.value is Bool ? $0.key : nil })
        let sections = MarkdownRowSections(template: text, lists: lists, booleanKeys: booleanKeys)
        #expect(sections.renderedRows.count == 6)
        #expect(sections.listsStillNamed == ["services"])
    }

    @Test func aTableRowSectionIsRenderedFromItsLine() throws {
        let template = """
            {{% CONTENT_TYPE: TEXT}}
            # Credits
            {{#has_credits}}
            | Lease | Amount |
            {{#credits}}
            | {{lease}} | {{{amount}}} | {{&lease}} | {{ amount }} |
            {{/credits}}
            {{/has_credits}}
            end
            """
        let (fast, mustache, sections) = try Self.both(template)
        #expect(fast == mustache)
        #expect(sections.renderedRows.count == 1 && sections.listsStillNamed.isEmpty)
        // A value that looks like a tag is printed, never interpreted.
        #expect(fast.contains("| {{lease}} | *x* | -8.90 |"))
    }

    @Test func anEmptyListRendersNothing() throws {
        let template = "{{% CONTENT_TYPE: TEXT}}\nbefore\n{{#credits}}\n| {{lease}} |\n{{/credits}}\nafter\n"
        let (fast, mustache, sections) = try Self.both(template, lists: [Self.list([])])
        #expect(fast == mustache && fast == "before\nafter\n")
        #expect(sections.renderedRows.values.first == [])
    }

    /// Shapes the shortcut leaves to Mustache: the output is the same either way, and the list stays in the
    /// context for Mustache.
    @Test(arguments: [
        // A name that is not the row's own text (found further up the context stack).
        "{{% CONTENT_TYPE: TEXT}}\n{{#credits}}\n| {{lease}} | {{currency}} |\n{{/credits}}\n",
        // A nested value of the row, a transform, a section inside the row.
        "{{% CONTENT_TYPE: TEXT}}\n{{#credits}}\n| {{detail.note}} |\n{{/credits}}\n",
        "{{% CONTENT_TYPE: TEXT}}\n{{#credits}}\n{{lease}}{{^last()}}, {{/last()}}\n{{/credits}}\n",
        // Two lines of body; the open tag not alone on its line; no newline after the close tag.
        "{{% CONTENT_TYPE: TEXT}}\n{{#credits}}\n| {{lease}} |\n| {{amount}} |\n{{/credits}}\n",
        "{{% CONTENT_TYPE: TEXT}}\nx {{#credits}}\n| {{lease}} |\n{{/credits}}\n",
        "{{% CONTENT_TYPE: TEXT}}\n{{#credits}}\n| {{lease}} |\n{{/credits}}",
        // Within a section over a value that is not a Bool, whose names could shadow the row's.
        "{{% CONTENT_TYPE: TEXT}}\n{{#summary}}\n{{#credits}}\n| {{lease}} |\n{{/credits}}\n{{/summary}}\n",
        // Without the TEXT pragma Mustache escapes HTML; with other delimiters the scanner cannot follow.
        "{{#credits}}\n| {{lease}} |\n{{/credits}}\n",
        "{{% CONTENT_TYPE: TEXT}}\n{{=<% %>=}}\n<%#credits%>\n| <%lease%> |\n<%/credits%>\n",
        // Windows line ends.
        "{{% CONTENT_TYPE: TEXT}}\r\n{{#credits}}\r\n| {{lease}} |\r\n{{/credits}}\r\n",
    ])
    func otherShapesAreLeftToMustache(template: String) throws {
        let (fast, mustache, sections) = try Self.both(template)
        #expect(fast == mustache)
        #expect(sections.renderedRows.isEmpty)
        #expect(sections.listsStillNamed.contains("credits"))
    }

    /// A list named elsewhere keeps its dictionaries even when its table row is taken over.
    @Test func aListStillNamedElsewhereStaysInTheContext() throws {
        let template = """
            {{% CONTENT_TYPE: TEXT}}
            {{#credits}}
            | {{lease}} |
            {{/credits}}
            Leases: {{#credits}}{{lease}}{{^last()}}, {{/last()}}{{/credits}}.
            {{^credits}}none{{/credits}}
            """
        let (fast, mustache, sections) = try Self.both(template)
        #expect(fast == mustache)
        #expect(sections.renderedRows.count == 1 && sections.listsStillNamed == ["credits"])
    }

    @Test func theScannerFindsTagsAndTheirKinds() throws {
        let tags = try #require(MustacheTagScanner.tags(in: Array("a {{#x}}{{{ y }}}{{! c }}{{/x}} {{ z }}".utf8)))
        #expect(tags.map(\.kind) == ["#", "{", "!", "/", nil])
        #expect(tags.map(\.name) == ["x", "y", "c", "x", "z"])
        #expect(tags.first.map { [$0.start, $0.end] } == [2, 8])
        #expect(MustacheTagScanner.tags(in: Array("{{#x}} {{y".utf8)) == nil)
        #expect(MustacheTagScanner.tags(in: Array("{{=<% %>=}}".utf8)) == nil)
    }
}

extension MarkdownRowSectionsTests {
    @Test func namesInATagAreItsLookups() {
        #expect(MarkdownRowSections.names(in: "#credits") == ["credits"])
        #expect(MarkdownRowSections.names(in: " first(credits) ") == ["first", "credits"])
        #expect(MarkdownRowSections.names(in: "credits.0.lease") == ["credits"])
        #expect(MarkdownRowSections.names(in: "summary.incidents") == ["summary"])
        #expect(MarkdownRowSections.names(in: ".") == [])
        #expect(MarkdownRowSections.names(in: "^has_credits") == ["has_credits"])
    }
}

extension MarkdownRowSectionsTests {
    /// A template Mustache rejects is reported with the error its own text gives, not the rewritten one's.
    @Test func aBrokenTemplateIsReportedAsWritten() throws {
        let text = "{{% CONTENT_TYPE: TEXT}}\n{{#credits}}\n| {{lease}} |\n{{/credits}}\n{{#unclosed}}\n"
        let report = try XLSXFixture.report()
        var expected = ""
        do { _ = try MarkdownReport.parse(text) } catch { expected = "\(error)" }
        #expect(expected.hasPrefix("report.md.mustache: "))
        #expect(throws: MarkdownReport.TemplateError.self) {
            try MarkdownReport.render(report, template: text, tool: XLSXFixture.tool)
        }
        do { _ = try MarkdownReport.render(report, template: text, tool: XLSXFixture.tool) } catch {
            #expect("\(error)" == expected)
        }
    }
}
