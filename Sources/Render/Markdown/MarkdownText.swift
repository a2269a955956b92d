/// The one Markdown escaper: text made safe inside a table cell.
public enum MarkdownText {
    /// Whether `cell` may change this byte's character (all ASCII, so the byte is the character).
    private static func isSpecial(_ byte: UInt8, markup: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): true
        case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "#"): markup
        default: false
        }
    }

    /// Pipes and backslashes escaped and line breaks made spaces, so the text stays one cell of one row; with
    /// `markup` (the report's cells, which hold names people chose) also `*`, `_`, `` ` ``, `[`, `]`, `<`, `>` and
    /// `#`, so a name never turns into emphasis, a link or HTML. A restatement's cells (ids, figures, column
    /// names such as `down_ms`) are written without `markup`, as they always were.
    public static func cell(_ text: String, markup: Bool = true) -> String {
        // Ids and names rarely hold any of these: then the text is the cell.
        if !text.utf8.contains(where: { isSpecial($0, markup: markup) }) { return text }
        // By scalar, not by `Character`: CR LF is one `Character` and a `|` with a combining mark another, and
        // neither would match here, leaving a line break or an unescaped pipe inside the table row.
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|", "\\":
                out.append("\\")
                out.append(scalar)
            case "*", "_", "`", "[", "]", "<", ">", "#":   // (a `where` would apply to "#" alone)
                if markup { out.append("\\") }
                out.append(scalar)
            case "\n", "\r": out.append(" ")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
