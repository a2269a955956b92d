/// Reads PromQL series-selector text. Rules and messages follow Prometheus's parser where it has them
/// (the name set twice, a selector that could match every series, unknown escapes).
struct SelectorParser {
    private let s: [Unicode.Scalar]
    private var i = 0

    init(_ text: [Unicode.Scalar]) { s = text }

    mutating func parse() throws(SelectorParseError) -> SeriesSelector {
        skipSpace()
        guard i < s.count else { throw fail(i, "empty selector: expected a metric name or '{'") }
        var name: String?
        if isNameStart(s[i], metric: true) {
            name = identifier(metric: true)
            skipSpace()
        }
        var matchers: [(matcher: LabelMatcher, at: Int)] = []
        var braceAt = i
        if peek() == "{" {
            braceAt = i
            i += 1
            skipSpace()
            while true {
                if peek() == "}" {
                    i += 1
                    break
                }
                guard i < s.count else { throw fail(i, "expected a label name or '}'") }
                matchers.append(try matcher())
                skipSpace()
                if peek() == "," {
                    i += 1
                    skipSpace()
                    continue
                }
                if peek() == "}" {
                    i += 1
                    break
                }
                throw fail(i, i < s.count ? "expected ',' or '}', found \(found(i))" : "expected '}'")
            }
        } else if name == nil {
            throw fail(i, "expected a metric name or '{', found \(found(i))")
        }
        skipSpace()
        if i < s.count {
            let hint = s[i] == "[" ? " (range selectors are not supported here)" : ""
            throw fail(i, "unexpected \(found(i)) after the selector\(hint)")
        }
        if name != nil, let twice = matchers.first(where: { $0.matcher.label == SeriesSelector.nameLabel }) {
            throw fail(twice.at, "metric name must not be set twice")
        }
        if name == nil, !matchers.contains(where: { !$0.matcher.matches("") }) {
            throw fail(braceAt, "a selector without a metric name needs a matcher that does not match the empty string")
        }
        return SeriesSelector(metricName: name, matchers: matchers.map(\.matcher))
    }

    private func fail(_ index: Int, _ reason: String) -> SelectorParseError {
        SelectorParseError(column: index + 1, reason: reason)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? { i + ahead < s.count ? s[i + ahead] : nil }

    /// How the character at `index` is named in a message: `'x'`, or `the end of the text`.
    private func found(_ index: Int) -> String {
        guard index < s.count else { return "the end of the text" }
        let c = s[index]
        return c.value < 0x20 || c.value == 0x7F ? "U+\(String(c.value, radix: 16, uppercase: true))" : "'\(c)'"
    }

    private mutating func skipSpace() {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
    }

    private func isNameStart(_ c: Unicode.Scalar, metric: Bool) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || (metric && c == ":")
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*` for a metric name, without `:` for a label name.
    private mutating func identifier(metric: Bool) -> String {
        var out = String.UnicodeScalarView()
        while let c = peek(), isNameStart(c, metric: metric) || ("0"..."9").contains(c) {
            out.append(c)
            i += 1
        }
        return String(out)
    }

    private mutating func matcher() throws(SelectorParseError) -> (matcher: LabelMatcher, at: Int) {
        let start = i
        guard let c = peek(), isNameStart(c, metric: false) else {
            throw fail(i, "expected a label name, found \(found(i))")
        }
        let label = identifier(metric: false)
        skipSpace()
        let op: LabelMatcher.Operator
        switch (peek(), peek(1)) {
        case ("=", "~"): op = .matchesRegex
        case ("=", _): op = .equal
        case ("!", "="): op = .notEqual
        case ("!", "~"): op = .doesNotMatchRegex
        default: throw fail(i, "expected '=', '!=', '=~' or '!~' after label \(label), found \(found(i))")
        }
        i += op.rawValue.unicodeScalars.count
        skipSpace()
        let (value, columns) = try quotedString()
        do {
            return (try LabelMatcher(label: label, op: op, value: value), start)
        } catch {
            // Point at the pattern character the regex parser stopped at (columns has one more entry:
            // the closing quote, for errors at the pattern's end).
            throw fail(columns[min(error.offset, columns.count - 1)], "invalid regex: \(error.reason)")
        }
    }

    /// A quoted value, and for each of its scalars (then the closing quote) the index it came from.
    private mutating func quotedString() throws(SelectorParseError) -> (String, [Int]) {
        guard let quote = peek(), quote == "\"" || quote == "'" || quote == "`" else {
            throw fail(i, "expected a quoted string, found \(found(i))")
        }
        let open = i
        i += 1
        var out = String.UnicodeScalarView()
        var columns: [Int] = []
        while true {
            guard let c = peek() else { throw fail(open, "unterminated string") }
            if c == quote {
                columns.append(i)
                i += 1
                return (String(out), columns)
            }
            if quote != "`" {
                if c == "\n" { throw fail(open, "unterminated string") }
                if c == "\\" {
                    columns.append(i)
                    out.append(try escape(quote: quote))
                    continue
                }
            }
            out.append(c)
            columns.append(i)
            i += 1
        }
    }

    /// A Go escape at `i` inside a `quote`-delimited string.
    private mutating func escape(quote: Unicode.Scalar) throws(SelectorParseError) -> Unicode.Scalar {
        let start = i
        i += 1
        guard let c = peek() else { throw fail(start, "escape sequence not terminated") }
        i += 1
        func digits(_ count: Int, radix: UInt32) throws(SelectorParseError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let d = peek(), let v = RegexParser.hexValue(d), v < radix else {
                    throw fail(start, "invalid escape sequence: \\\(c) needs \(count) \(radix == 8 ? "octal" : "hex") digits")
                }
                value = value * radix + v
                i += 1
            }
            return value
        }
        let value: UInt32
        switch c {
        case "a": value = 7
        case "b": value = 8
        case "f": value = 12
        case "n": value = 10
        case "r": value = 13
        case "t": value = 9
        case "v": value = 11
        case "\\": value = 0x5C
        case "0"..."7":
            i -= 1
            value = try digits(3, radix: 8)
        case "x": value = try digits(2, radix: 16)
        case "u": value = try digits(4, radix: 16)
        case "U": value = try digits(8, radix: 16)
        default:
            if c == quote { return c }
            let hint = c.isASCII && !c.isASCIILetterOrDigit ? " (a regex escape needs a doubled backslash: \\\\\(c))" : ""
            throw fail(start, "unknown escape sequence '\\\(c)'\(hint)")
        }
        if (c == "x" || ("0"..."7").contains(c)), value > 0x7F {
            throw fail(start, "byte escapes above \\x7f are not supported; write the character or \\u00XX")
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw fail(start, "invalid escape sequence: U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar")
        }
        return scalar
    }
}
