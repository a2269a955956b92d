/// The measured value of an objective over a window, from whichever source its metric reads.
public struct ServiceData: Sendable {
    /// The status timeline (covering the period's whole months).
    public var timeline: Timeline
    /// The service's metric series selected by its `requests`, `errors` and `latency` selectors; nil when the
    /// service has no metric selectors configured.
    public var metrics: ServiceMetrics?

    public init(timeline: Timeline, metrics: ServiceMetrics?) {
        self.timeline = timeline
        self.metrics = metrics
    }

    /// Exact value in the objective's unit (percent, milliseconds, requests per second), or nil for no data:
    /// nothing eligible (uptime), no requests (error rate), no histogram (latency), no metric selectors.
    public func value(of metric: MetricKind, over window: Interval, policy: StatusPolicy,
                      service: String) throws(ArithmeticOverflowError) -> Ratio? {
        switch metric {
        case .uptime, .availability:
            precondition(timeline.range.start <= window.start && window.end <= timeline.range.end,
                         "the timeline of \(service) does not cover \(window)")
            // Only the percentage is wanted: the tally skips the incident lists `UptimeStats` would build.
            return try StateTally(timeline: timeline, window: window).uptimePercent(policy: policy)
        case .latencyP50, .latencyP95, .latencyP99, .errorRate, .throughput:
            return try metrics?.value(of: metric, over: window)
        }
    }

    /// How much of `window` the objective's data covers, percent (§10.1): the status timeline's coverage for
    /// uptime and availability (`StateTally.coveragePercent`), the metric series' for the others
    /// (`ServiceMetrics.coveragePercent`); nil when nothing could be covered (a window that is all maintenance,
    /// no metric selectors).
    public func coveragePercent(of metric: MetricKind, over window: Interval) -> Ratio? {
        switch metric {
        case .uptime, .availability:
            StateTally(timeline: timeline, window: window).coveragePercent
        case .latencyP50, .latencyP95, .latencyP99, .errorRate, .throughput:
            metrics?.coveragePercent(of: metric, over: window)
        }
    }
}
