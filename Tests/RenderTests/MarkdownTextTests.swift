import Testing
@testable import Render

@Suite struct MarkdownTextTests {
    /// Report cells escape table structure and markup; restatement cells only table structure.
    @Test func oneEscaperTwoDepths() {
        #expect(MarkdownText.cell("a|b\\c\r\nd") == "a\\|b\\\\c  d")
        #expect(MarkdownText.cell("*Acme_Co* <x> [y] `z` #1") == "\\*Acme\\_Co\\* \\<x\\> \\[y\\] \\`z\\` \\#1")
        #expect(MarkdownText.cell("down_ms *x*", markup: false) == "down_ms *x*")
        #expect(MarkdownText.cell("a|b\\c\nd", markup: false) == "a\\|b\\\\c d")
        #expect(MarkdownText.cell("plain") == "plain")
    }
}

extension MarkdownTextTests {
    /// A pipe or line break followed by a combining mark is one `Character` with it; escaping by scalar still
    /// keeps the cell in its row (the old restatement escaper, by `Character`, left these raw).
    @Test func combiningMarksDoNotHideStructure() {
        #expect(MarkdownText.cell("a|\u{301}b", markup: false) == "a\\|\u{301}b")
        #expect(MarkdownText.cell("x\n\u{FE0F}", markup: false) == "x \u{FE0F}")
    }
}
