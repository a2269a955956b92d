import Calc

/// Series text as the metrics CSV writes it and the store keeps it: `name{label="value",…}` (SPEC §4.2 `csv`).
///
/// The metric name is `[a-zA-Z_:][a-zA-Z0-9_:]*`; labels are `name="value"` pairs only (no `!=`, `=~`: this names
/// one series, it selects nothing), separated by commas (a trailing comma is allowed), with spaces allowed between
/// tokens. Values are in double quotes with the escapes `MetricSeries.identity` writes: `\"`, `\\`, `\n`, `\r`,
/// `\t` and `\xNN` (below 0x80). A label given twice, `__name__` inside the braces, or anything after the `}` is
/// an error; a label with an empty value is the same as no label.
package enum MetricSeriesText {
    /// Why series text was rejected: `expected ',' or '}' at column 31` (columns in Unicode scalars, 1-based).
    package struct ParseError: Error, Equatable, CustomStringConvertible {
        package var column: Int
        package var reason: String
        package var description: String { "\(reason) at column \(column)" }
    }

    package static func parse(_ text: String) throws(ParseError) -> MetricSeriesKey {
        let s = Array(text.unicodeScalars)
        var i = 0
        func fail(_ at: Int, _ reason: String) -> ParseError { ParseError(column: at + 1, reason: reason) }
        func found(_ at: Int) -> String {
            guard at < s.count else { return "the end" }
            let c = s[at]
            return c.value < 0x20 || c.value == 0x7F ? "U+\(String(c.value, radix: 16, uppercase: true))" : "'\(c)'"
        }
        func skipSpaces() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        func isNameScalar(_ c: Unicode.Scalar, first: Bool, colon: Bool) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || c == "_" || (colon && c == ":") || (!first && ("0"..."9").contains(c)))
        }

        skipSpaces()
        let nameStart = i
        while i < s.count, isNameScalar(s[i], first: i == nameStart, colon: true) { i += 1 }
        guard i > nameStart else { throw fail(i, "expected a metric name, found \(found(i))") }
        let name = String(String.UnicodeScalarView(s[nameStart..<i]))
        var labels: [String: String] = [:]
        skipSpaces()
        if i < s.count, s[i] == "{" {
            i += 1
            while true {
                skipSpaces()
                guard i < s.count else { throw fail(i, "expected a label name or '}'") }
                if s[i] == "}" {
                    i += 1
                    break
                }
                let labelStart = i
                while i < s.count, isNameScalar(s[i], first: i == labelStart, colon: false) { i += 1 }
                guard i > labelStart else { throw fail(i, "expected a label name or '}', found \(found(i))") }
                let label = String(String.UnicodeScalarView(s[labelStart..<i]))
                skipSpaces()
                guard i < s.count, s[i] == "=" else {
                    if i < s.count, s[i] == "!" { throw fail(i, "only label=\"value\" pairs name a series (no != or !~)") }
                    throw fail(i, "expected '=' after label \(label), found \(found(i))")
                }
                if i + 1 < s.count, s[i + 1] == "~" { throw fail(i, "only label=\"value\" pairs name a series (no =~)") }
                i += 1
                skipSpaces()
                guard i < s.count, s[i] == "\"" else { throw fail(i, "expected a double-quoted value for label \(label), found \(found(i))") }
                let open = i
                i += 1
                var value = String.UnicodeScalarView()
                while true {
                    guard i < s.count else { throw fail(open, "unterminated string") }
                    let c = s[i]
                    if c == "\"" { break }
                    if c == "\\" {
                        guard i + 1 < s.count else { throw fail(i, "unterminated string") }
                        switch s[i + 1] {
                        case "\"": value.append("\"")
                        case "\\": value.append("\\")
                        case "n": value.append("\n")
                        case "r": value.append("\r")
                        case "t": value.append("\t")
                        case "x":
                            guard i + 3 < s.count, let byte = UInt8(String(String.UnicodeScalarView(s[(i + 2)...(i + 3)])), radix: 16),
                                  byte < 0x80 else {
                                throw fail(i, "invalid escape sequence: \\x needs two hex digits below 80")
                            }
                            value.append(Unicode.Scalar(byte))
                            i += 2
                        default:
                            throw fail(i, "unknown escape sequence '\\\(s[i + 1])' (use \\\", \\\\, \\n, \\r, \\t or \\xNN)")
                        }
                        i += 2
                        continue
                    }
                    value.append(c)
                    i += 1
                }
                i += 1
                if label == SeriesSelector.nameLabel { throw fail(labelStart, "label __name__ inside the braces: write the metric name before '{'") }
                guard labels.updateValue(String(value), forKey: label) == nil else { throw fail(labelStart, "label \(label) is given twice") }
                skipSpaces()
                guard i < s.count else { throw fail(i, "expected ',' or '}'") }
                if s[i] == "," {
                    i += 1
                } else if s[i] != "}" {
                    throw fail(i, "expected ',' or '}', found \(found(i))")
                }
            }
        }
        skipSpaces()
        guard i == s.count else { throw fail(i, "unexpected \(found(i)) after the series") }
        return MetricSeriesKey(name: name, labels: labels)
    }
}
