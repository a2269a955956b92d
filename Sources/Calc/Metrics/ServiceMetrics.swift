/// The metric series one service's objectives read (§3 `services[].metrics`), and the window values of
/// §5.2 computed from them.
public struct ServiceMetrics: Sendable {
    /// The configuration's metric roles.
    public enum Role: String, Sendable, CaseIterable {
        case requests, errors, latency
    }

    /// Request counters (error rate's denominator, throughput).
    public var requests: [MetricSeries]
    /// Error counters (error rate's numerator): usually the request counter with `code=~"5.."`.
    public var errors: [MetricSeries]
    /// Latency histogram buckets in seconds, each with an `le` label.
    public var latency: [MetricSeries]

    public init(requests: [MetricSeries], errors: [MetricSeries], latency: [MetricSeries]) {
        self.requests = requests
        self.errors = errors
        self.latency = latency
    }

    /// Picks each role's series out of `series` with the service's selectors; a role without a selector
    /// gets no series.
    public init(selectors: [Role: SeriesSelector], from series: [MetricSeries]) {
        func pick(_ role: Role) -> [MetricSeries] { selectors[role]?.select(from: series) ?? [] }
        self.init(requests: pick(.requests), errors: pick(.errors), latency: pick(.latency))
    }

    /// `100 · Σ increase(errors) / Σ increase(requests)` percent; nil when there were no requests.
    public func errorRatePercent(over window: Interval) throws(ArithmeticOverflowError) -> Ratio? {
        let requestCount = try Counters.total(requests, over: window).value
        guard Checked.compare(requestCount, .zero) > 0 else { return nil }
        let errorCount = try Counters.total(errors, over: window).value
        return try Checked.product(Ratio.hundred, try Checked.quotient(errorCount, requestCount))
    }

    /// `Σ increase(requests) / window seconds`, requests per second; nil when the window is empty or no
    /// request series has a sample pair in it (nothing was observed, which is not the same as zero traffic).
    public func throughputPerSecond(over window: Interval) throws(ArithmeticOverflowError) -> Ratio? {
        guard !window.isEmpty else { return nil }
        let (count, pairs) = try Counters.total(requests, over: window)
        guard pairs > 0 else { return nil }
        return try Checked.quotient(count, Ratio(Int128(window.duration), 1000))
    }

    /// The bucket increases over `window`, summed per `le` bound over the latency series. Series without an
    /// `le` label, or with one that is not a number or `+Inf`, are skipped, as `histogram_quantile` skips them.
    public func latencyBuckets(over window: Interval) throws(ArithmeticOverflowError) -> [HistogramBucket] {
        var sums: [BucketBound: ExactSum] = [:]
        for series in latency {
            guard let text = series.labels["le"], let bound = BucketBound.parse(Substring(text)) else { continue }
            var sum = sums[bound] ?? ExactSum()
            _ = try Counters.accumulate(series.samples, over: window, into: &sum)
            sums[bound] = sum
        }
        return sums.map { HistogramBucket(upperBound: $0.key, count: $0.value.value) }
            .sorted { $0.upperBound < $1.upperBound }
    }

    /// The `q`-quantile latency over `window` in **milliseconds** (the buckets are in seconds, objective
    /// targets in ms), exact; nil when `histogram_quantile` has no value (see `HistogramQuantile`).
    public func latencyMilliseconds(quantile q: Ratio, over window: Interval) throws(ArithmeticOverflowError) -> Ratio? {
        guard let seconds = try HistogramQuantile.quantile(q, of: try latencyBuckets(over: window)) else { return nil }
        return try Checked.product(seconds, Ratio(1000))
    }

    /// The value an objective of `metric` has over `window`, in the objective's unit (percent, ms, req/s);
    /// nil for no data, and for uptime and availability, which come from the status timeline.
    public func value(of metric: MetricKind, over window: Interval) throws(ArithmeticOverflowError) -> Ratio? {
        switch metric {
        case .uptime, .availability: nil
        case .errorRate: try errorRatePercent(over: window)
        case .throughput: try throughputPerSecond(over: window)
        case .latencyP50, .latencyP95, .latencyP99: try latencyMilliseconds(quantile: metric.latencyQuantile!, over: window)
        }
    }
}

extension ServiceMetrics {
    /// How much of `window` the series behind an objective of `metric` observed (§10.1), percent; nil for uptime
    /// and availability (the status timeline's) and for an empty window.
    ///
    /// The series are counters, and a counter's increase between two samples is measured however far apart they
    /// are, so a scrape gap loses nothing; what is not observed is the time before the first sample and after the
    /// last. A series observes from the window's start when a sample precedes the window (the first pair starts
    /// there), else from its first sample in the window, up to its last sample in the window. Coverage is the union
    /// of those spans over the series (the request counters for error rate and throughput, the buckets for latency).
    public func coveragePercent(of metric: MetricKind, over window: Interval) -> Ratio? {
        guard !window.isEmpty else { return nil }
        let series: [MetricSeries]
        switch metric {
        case .uptime, .availability: return nil
        case .errorRate, .throughput: series = requests
        case .latencyP50, .latencyP95, .latencyP99: series = latency
        }
        var spans: [Interval] = []
        for one in series {
            let samples = one.samples
            // The first sample at or after the window's start, and the first at or after its end.
            let first = samples.firstIndex(atOrAfter: window.start)
            let end = samples.firstIndex(atOrAfter: window.end)
            guard first < end else { continue }
            let start = first > 0 ? window.start : samples[first].time
            let last = samples[end - 1].time
            if start < last { spans.append(Interval(start: start, end: last)) }
        }
        spans.sort { $0.start < $1.start }
        var observed: Millis = 0
        var reach = window.start
        for span in spans where span.end > reach {
            observed += span.end - max(span.start, reach)
            reach = span.end
        }
        return Ratio(100 * Int128(observed), Int128(window.duration))
    }
}

extension ServiceMetrics {
    /// The span of metric samples a period's objectives need: its whole local months, and one day before them,
    /// where a counter's previous sample may lie (an increase over the first window starts from it).
    public static func sampleRange(period: Period) -> Interval {
        Interval(start: period.wholeMonths.start - Duration.day, end: period.wholeMonths.end)
    }
}
