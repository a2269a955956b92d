/// A Prometheus series selector (§5.2): `http_requests_total{service="api",code=~"5.."}`.
public struct SeriesSelector: Sendable, Equatable, CustomStringConvertible {
    /// The label a matcher uses to test the metric name.
    public static let nameLabel = "__name__"

    /// nil when the selector has only label matchers.
    public let metricName: String?
    public let matchers: [LabelMatcher]

    public init(metricName: String?, matchers: [LabelMatcher]) {
        self.metricName = metricName
        self.matchers = matchers
    }

    /// Parses selector text as PromQL writes it: `name`, `name{…}` or `{…}` with matchers `l="v"`, `l!="v"`,
    /// `l=~"re"`, `l!~"re"`, separated by commas (a trailing comma is allowed), whitespace between tokens;
    /// values in `"…"` or `'…'` with Go escapes (`\"`, `\\`, `\n`, `\u00e9`), or raw in backticks.
    /// Regexes are anchored: `code=~"5.."` matches `500`, not `5000`.
    public init(_ text: String) throws(SelectorParseError) {
        var parser = SelectorParser(Array(text.unicodeScalars))
        self = try parser.parse()
    }

    /// Whether the series has the metric name (if any) and satisfies every matcher. A label the series
    /// lacks reads as `""`, as in Prometheus.
    public func matches(_ series: MetricSeries) -> Bool {
        if let metricName, series.name != metricName { return false }
        return matchers.allSatisfy { $0.matches(series.labelValue($0.label)) }
    }

    /// The series that match, in the given order.
    public func select(from series: [MetricSeries]) -> [MetricSeries] { series.filter(matches) }

    /// Canonical text: `name{l="v",…}`, matchers in their given order.
    public var description: String {
        let braces = matchers.isEmpty ? "" : "{" + matchers.map(\.description).joined(separator: ",") + "}"
        return (metricName ?? "") + braces
    }
}

/// One label matcher of a selector.
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case doesNotMatchRegex = "!~"
    }

    public let label: String
    public let op: Operator
    /// The literal value, or the regex pattern for `=~` and `!~`.
    public let value: String
    let regex: LabelRegex?

    public init(label: String, op: Operator, value: String) throws(RegexSyntaxError) {
        self.label = label
        self.op = op
        self.value = value
        regex = op == .matchesRegex || op == .doesNotMatchRegex ? try LabelRegex(value) : nil
    }

    /// Whether a series whose `label` has `labelValue` (`""` when absent) satisfies the matcher.
    public func matches(_ labelValue: String) -> Bool {
        switch op {
        case .equal: labelValue == value
        case .notEqual: labelValue != value
        case .matchesRegex: regex!.matches(labelValue)
        case .doesNotMatchRegex: !regex!.matches(labelValue)
        }
    }

    public var description: String { label + op.rawValue + PromQLText.quoted(value) }
}

/// Why selector text was rejected: `expected '}' at column 27`.
public struct SelectorParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based, counted in Unicode scalars of the selector text.
    public var column: Int
    public var reason: String
    public init(column: Int, reason: String) {
        self.column = column
        self.reason = reason
    }
    public var description: String { "\(reason) at column \(column)" }
}
