import Testing
@testable import Calc

private func matcher(_ label: String, _ op: LabelMatcher.Operator, _ value: String) throws -> LabelMatcher {
    try LabelMatcher(label: label, op: op, value: value)
}

@Suite("Selector parsing")
struct SelectorParsingTests {
    @Test func configSelector() throws {
        let s = try metricSelector(#"http_requests_total{service="api",code=~"5.."}"#)
        #expect(s.metricName == "http_requests_total")
        #expect(s.matchers == [try matcher("service", .equal, "api"), try matcher("code", .matchesRegex, "5..")])
        #expect(s.description == #"http_requests_total{service="api",code=~"5.."}"#)
    }

    @Test func allFourOperators() throws {
        let s = try metricSelector(#"m{a="1",b!="2",c=~"3",d!~"4"}"#)
        #expect(s.matchers.map(\.op) == [.equal, .notEqual, .matchesRegex, .doesNotMatchRegex])
        #expect(s.matchers.map(\.label) == ["a", "b", "c", "d"])
        #expect(s.matchers.map(\.value) == ["1", "2", "3", "4"])
    }

    @Test func nameOnlyAndMatchersOnly() throws {
        let nameOnly = try metricSelector("up")
        #expect(nameOnly.metricName == "up" && nameOnly.matchers.isEmpty)
        #expect(try metricSelector("up{}").matchers.isEmpty)
        #expect(try metricSelector("job:http_requests:rate5m").metricName == "job:http_requests:rate5m")
        let noName = try metricSelector(#"{__name__="up",job="api"}"#)
        #expect(noName.metricName == nil)
        #expect(noName.matchers.map(\.label) == ["__name__", "job"])
    }

    @Test func whitespaceAndATrailingCommaAreTolerated() throws {
        let compact = try metricSelector(#"http_requests_total{service="api",code=~"5.."}"#)
        let spaced = try metricSelector(" http_requests_total {\n  service = \"api\" ,\tcode =~ \"5..\" , } ")
        #expect(spaced == compact)
    }

    @Test func quotingAndEscapes() throws {
        #expect(try metricSelector(#"m{path="say \"hi\""}"#).matchers[0].value == #"say "hi""#)
        #expect(try metricSelector(#"m{path="a\\b"}"#).matchers[0].value == #"a\b"#)
        #expect(try metricSelector(#"m{path='a"b'}"#).matchers[0].value == #"a"b"#)
        #expect(try metricSelector(#"m{path='it\'s'}"#).matchers[0].value == "it's")
        #expect(try metricSelector(#"m{path="\u00e9\n\x41"}"#).matchers[0].value == "é\nA")
        // Backticks are raw: the regex sees \d.
        #expect(try metricSelector(#"m{code=~`5\d\d`}"#).matchers[0].value == #"5\d\d"#)
        // In a quoted string a regex escape needs a doubled backslash; the regex then sees \.
        let dotted = try metricSelector(#"m{host=~"api\\.example"}"#)
        #expect(dotted.matchers[0].value == #"api\.example"#)
        #expect(dotted.matches(metricCounter("m", ["host": "api.example"], [])))
        #expect(!dotted.matches(metricCounter("m", ["host": "apixexample"], [])))
        // The canonical text escapes again, so it parses back to the same selector.
        let tricky = try metricSelector(#"m{path="say \"hi\"\\"}"#)
        #expect(try metricSelector(tricky.description) == tricky)
    }

    /// Columns count from 1, in characters of the selector text.
    @Test(arguments: [
        // "http_requests_total" is 19 characters, `{` is the 20th, `code` 21–24, `=` 25, `"5"` 26–28:
        // the text ends at column 29 where `}` was due.
        (#"http_requests_total{code="5""#, 29, "expected '}'"),
        // m{a="1" then a space, then `b` at column 9.
        (#"m{a="1" b="2"}"#, 9, "expected ',' or '}', found 'b'"),
        ("", 1, "empty selector"),
        ("   ", 4, "empty selector"),
        ("{}", 1, "a selector without a metric name needs a matcher that does not match the empty string"),
        (#"{code=""}"#, 1, "a selector without a metric name needs a matcher"),
        (#"{code=~".*"}"#, 1, "a selector without a metric name needs a matcher"),
        (#"up{__name__="up"}"#, 4, "metric name must not be set twice"),
        // m { c o d e = ~ " 5 \ : the backslash is the 11th character.
        (#"m{code=~"5\.."}"#, 11, #"unknown escape sequence '\.' (a regex escape needs a doubled backslash: \\.)"#),
        // The regex's '(' is pattern offset 1, the 11th character of the selector.
        (#"m{code=~"5(.."}"#, 11, "invalid regex: missing closing ')'"),
        (#"m{code=~"5.**"}"#, 13, "invalid regex: bad repetition operator"),
        ("m[5m]", 2, "unexpected '[' after the selector (range selectors are not supported here)"),
        (#"m{a="1"} x"#, 10, "unexpected 'x' after the selector"),
        ("m{code=5}", 8, "expected a quoted string, found '5'"),
        (#"m{code:"5"}"#, 7, "expected '=', '!=', '=~' or '!~' after label code, found ':'"),
        (#"m{"code"="5"}"#, 3, "expected a label name, found '\"'"),
        (#"m{a="1",,}"#, 9, "expected a label name, found ','"),
        (#"m{code="5}"#, 8, "unterminated string"),
        ("m{code=\"5\n\"}", 8, "unterminated string"),
        (#"m{a="\u12"}"#, 6, "invalid escape sequence: \\u needs 4 hex digits"),
        (#"m{a="\x80"}"#, 6, "byte escapes above \\x7f are not supported"),
        (#"m{a="\uD800"}"#, 6, "invalid escape sequence: U+D800 is not a Unicode scalar"),
        ("-m", 1, "expected a metric name or '{', found '-'"),
        ("m{", 3, "expected a label name or '}'"),
    ])
    func rejects(text: String, column: Int, reason: String) {
        do {
            _ = try SeriesSelector(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.reason.hasPrefix(reason), "\(error)")
        }
    }

    @Test func errorsNameTheColumn() {
        #expect(SelectorParseError(column: 27, reason: "expected '}'").description == "expected '}' at column 27")
    }
}

@Suite("Selector matching")
struct SelectorMatchingTests {
    let api500 = metricCounter("http_requests_total", ["service": "api", "code": "500"], [])
    let api200 = metricCounter("http_requests_total", ["service": "api", "code": "200"], [])
    let api5000 = metricCounter("http_requests_total", ["service": "api", "code": "5000"], [])
    let web503 = metricCounter("http_requests_total", ["service": "web", "code": "503"], [])
    let apiNoCode = metricCounter("http_requests_total", ["service": "api"], [])
    let bucket = metricCounter("http_request_duration_seconds_bucket", ["service": "api", "le": "0.1"], [])
    var all: [MetricSeries] { [api500, api200, api5000, web503, apiNoCode, bucket] }

    private func selected(_ text: String) throws -> [MetricSeries] { try metricSelector(text).select(from: all) }

    @Test func equalityAndName() throws {
        #expect(try selected(#"http_requests_total{service="api"}"#) == [api500, api200, api5000, apiNoCode])
        #expect(try selected("http_requests_total") == [api500, api200, api5000, web503, apiNoCode])
    }

    @Test func regexIsAnchored() throws {
        // 5.. is 500 and 503, never 5000, and never the series without a code ("").
        #expect(try selected(#"http_requests_total{code=~"5.."}"#) == [api500, web503])
        #expect(try selected(#"http_requests_total{service="api",code=~"5.."}"#) == [api500])
        #expect(try selected(#"http_requests_total{service=~"ap"}"#) == [])
        #expect(try selected(#"http_requests_total{service=~"api|web",code=~"2..|3.."}"#) == [api200])
    }

    @Test func negativeMatchersSeeAbsentLabelsAsEmpty() throws {
        #expect(try selected(#"http_requests_total{service="api",code!~"5.."}"#) == [api200, api5000, apiNoCode])
        #expect(try selected(#"http_requests_total{code!="500"}"#) == [api200, api5000, web503, apiNoCode])
        #expect(try selected(#"http_requests_total{code=""}"#) == [apiNoCode])
    }

    @Test func nameLabel() throws {
        #expect(try selected(#"{__name__=~"http_.*",service="web"}"#) == [web503])
        #expect(try selected(#"{__name__="http_request_duration_seconds_bucket"}"#) == [bucket])
        #expect(try selected(#"{__name__!~"http_requests_total",service="api"}"#) == [bucket])
    }
}
