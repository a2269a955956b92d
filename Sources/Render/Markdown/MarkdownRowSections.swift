/// Renders the table rows of `report.md` straight from the template's own row lines, without Mustache's
/// per-cell lookups.
///
/// The template stays the one description of the report's layout. But Mustache finds each `{{lease}}` of each
/// row by walking its context stack through dynamic casts, which took a fifth of a 10 000-lease report. So a
/// *table-row section* — a list section whose body is one line of text and plain variables:
///
///     {{#credits}}
///     | {{lease}} | {{customer}} | … | {{amount}} |
///     {{/credits}}
///
/// is rendered here, from that very line, and the template handed to Mustache says instead
///
///     {{#slareport_rows_1}}
///     {{{.}}}
///     {{/slareport_rows_1}}
///
/// over a one-element list holding the rows already joined (or an empty list when there are none), which gives
/// exactly the bytes the original section gave. Anything this does not follow with certainty — another shape of
/// section, a name that is not the row's own text, a list section nested in another list, a template without
/// the `CONTENT_TYPE: TEXT` pragma (Mustache would then HTML-escape), changed delimiters — is left to Mustache.
struct MarkdownRowSections {
    /// The template Mustache renders.
    private(set) var template: String
    /// The context values the rewritten template's sections iterate over, by name.
    private(set) var renderedRows: [String: [String]] = [:]
    /// The lists the rewritten template still names, which Mustache needs as dictionaries.
    private(set) var listsStillNamed: Set<String> = []

    /// Plans and renders: `lists` are the report's lists; `booleanKeys` the context's top-level keys holding a
    /// `Bool` (`has_credits`), whose sections push nothing that could shadow a row's names.
    init(template text: String, lists: [MarkdownList], booleanKeys: Set<String>) {
        template = text
        let bytes = Array(text.utf8)
        guard let tags = MustacheTagScanner.tags(in: bytes), Self.isPlainText(tags) else {
            listsStillNamed = Set(lists.map(\.name))
            return
        }
        let listsByName = Dictionary(lists.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var rewritten: [UInt8] = []
        var copiedUpTo = 0
        var enclosing: [(name: String, pushesRow: Bool)] = []
        var stillNamed = Set<String>()
        var k = 0
        while k < tags.count {
            let tag = tags[k]
            if tag.kind == "#", enclosing.allSatisfy({ !$0.pushesRow }), let list = listsByName[tag.name],
               let section = Self.rowSection(at: k, in: tags, bytes: bytes, list: list) {
                let name = "slareport_rows_\(renderedRows.count + 1)"
                rewritten += bytes[copiedUpTo..<tag.start]
                rewritten += Array("{{#\(name)}}\n{{{.}}}\n{{/\(name)}}".utf8)
                copiedUpTo = tags[section.closeIndex].end
                renderedRows[name] = list.count == 0 ? [] : [section.row.render(list)]
                k = section.closeIndex + 1
                continue
            }
            switch tag.kind {
            case "#": enclosing.append((tag.name, !booleanKeys.contains(tag.name)))
            case "^": enclosing.append((tag.name, false))
            case "$", "<": enclosing.append((tag.name, true))
            case "/": if !enclosing.isEmpty { enclosing.removeLast() }
            default: break
            }
            stillNamed.formUnion(Self.names(in: tag.content).filter { listsByName[$0] != nil })
            k += 1
        }
        rewritten += bytes[copiedUpTo...]
        template = String(decoding: rewritten, as: UTF8.self)
        listsStillNamed = stillNamed
    }

    /// The names a tag's text looks up in the context: `#credits`, `credits.0.lease` and `first(credits)` all
    /// look up `credits`; `summary.incidents` looks up `summary` only (then its child), `has_credits` itself.
    static func names(in content: String) -> [String] {
        content.split { !($0.isASCII && ($0.isLetter || $0.isNumber || "_-?*.".contains($0))) }
            .compactMap { path in path.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) }
            .filter { !$0.isEmpty }
    }

    /// Whether the template's first tag is the `CONTENT_TYPE: TEXT` pragma and no other pragma follows, so
    /// `{{name}}` prints its text unescaped, as this renderer does.
    static func isPlainText(_ tags: [MustacheTag]) -> Bool {
        guard let first = tags.first, first.kind == "%", first.name == "CONTENT_TYPE: TEXT" else { return false }
        return !tags.dropFirst().contains { $0.kind == "%" }
    }

    /// The table-row section opened by `tags[open]`, if it is one: the open tag alone on its line, one line of
    /// text and variables naming text columns of `list`, the close tag alone on the next line.
    static func rowSection(at open: Int, in tags: [MustacheTag], bytes: [UInt8],
                           list: MarkdownList) -> (row: RowLine, closeIndex: Int)? {
        let newline = UInt8(ascii: "\n")
        let tag = tags[open]
        guard tag.start == 0 || bytes[tag.start - 1] == newline, tag.end < bytes.count, bytes[tag.end] == newline,
              let lineEnd = bytes[(tag.end + 1)...].firstIndex(of: newline)
        else { return nil }
        var pieces: [RowLine.Piece] = []
        var position = tag.end + 1
        var k = open + 1
        while k < tags.count, tags[k].start < lineEnd {
            let variable = tags[k]
            guard variable.kind == nil || variable.kind == "&" || variable.kind == "{",
                  let column = list.column(named: variable.name) else { return nil }
            if variable.start > position { pieces.append(.text(Array(bytes[position..<variable.start]))) }
            pieces.append(.column(column))
            position = variable.end
            k += 1
        }
        guard position <= lineEnd, k < tags.count else { return nil }
        if lineEnd > position { pieces.append(.text(Array(bytes[position..<lineEnd]))) }
        let close = tags[k]
        guard close.kind == "/", close.name == tag.name, close.start == lineEnd + 1,
              close.end < bytes.count, bytes[close.end] == newline
        else { return nil }
        return (RowLine(pieces: pieces), k)
    }

    /// One table row line, compiled: literal text and columns of the list.
    struct RowLine {
        enum Piece {
            case text([UInt8])
            case column(Int)
        }

        var pieces: [Piece]

        /// Every row of `list`, one line each, joined by `\n` (the section's last newline is the template's).
        func render(_ list: MarkdownList) -> String {
            var out: [UInt8] = []
            for row in 0..<list.count {
                if row > 0 { out.append(UInt8(ascii: "\n")) }
                for piece in pieces {
                    switch piece {
                    case let .text(bytes): out += bytes
                    case let .column(column): out += list.text(row: row, column: column).utf8
                    }
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// One `{{…}}` tag of a Mustache template, located by byte offsets.
struct MustacheTag: Equatable {
    /// The byte offsets of `{{` and just after `}}`.
    var start: Int, end: Int
    /// The sigil after `{{`: `#`, `^`, `/`, `!`, `>`, `&`, `%`, `$`, `<`, `{` (triple mustache), or nil for a
    /// plain variable.
    var kind: Character?
    /// The text after the sigil, without surrounding white space.
    var name: String
    /// Everything between the delimiters.
    var content: String
}

/// Finds the tags of a template written with the standard `{{ }}` delimiters.
enum MustacheTagScanner {
    /// The tags in order, or nil when the template is beyond this scanner: a tag that changes the delimiters
    /// (`{{=<% %>=}}`) or one that is never closed.
    static func tags(in bytes: [UInt8]) -> [MustacheTag]? {
        let brace = UInt8(ascii: "{"), closing = UInt8(ascii: "}")
        var tags: [MustacheTag] = []
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == brace, bytes[i + 1] == brace else { i += 1; continue }
            let triple = i + 2 < bytes.count && bytes[i + 2] == brace
            let contentStart = i + (triple ? 3 : 2)
            let closer = [UInt8](repeating: closing, count: triple ? 3 : 2)
            guard let contentEnd = firstIndex(of: closer, in: bytes, from: contentStart) else { return nil }
            let content = String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
            // Mustache reads the sigil right after the delimiter, as here.
            var kind: Character? = triple ? "{" : nil
            var name = trimmed(content)
            if !triple, let sigil = content.first, "#^/!>&=%$<".contains(sigil) {
                kind = sigil
                name = trimmed(String(content.dropFirst()))
            }
            if kind == "=" { return nil }
            let end = contentEnd + closer.count
            tags.append(MustacheTag(start: i, end: end, kind: kind, name: name, content: content))
            i = end
        }
        return tags
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
