import Testing
@testable import Calc

/// Minutes after 2026-10-01T00:00:00Z.
private func minute(_ m: Int64) -> Millis { utc(2026, 10, 1) + m * oneMinute }

/// The first hour of 2026-10-01.
private let firstHour = Interval(start: minute(0), end: minute(60))

/// Samples at 0, 20, 40 and 60 min. Pairs ending inside [0, 60): at 20 and 40 min.
/// code="200": 0 → 400 → 997: +997 in the hour. code="500": 0 → 1 → 3: +3.
/// The pair ending at 60 min (+5000 and +100) belongs to the next hour.
private let ok = metricCounter("http_requests_total", ["service": "api", "code": "200"],
                               [(minute(0), 0), (minute(20), 400), (minute(40), 997), (minute(60), 5997)])
private let failed = metricCounter("http_requests_total", ["service": "api", "code": "500"],
                                   [(minute(0), 0), (minute(20), 1), (minute(40), 3), (minute(60), 103)])
private let otherService = metricCounter("http_requests_total", ["service": "web", "code": "500"],
                                         [(minute(0), 0), (minute(20), 1000)])

private func apiMetrics() throws -> ServiceMetrics {
    ServiceMetrics(selectors: [
        .requests: try metricSelector(#"http_requests_total{service="api"}"#),
        .errors: try metricSelector(#"http_requests_total{service="api",code=~"5.."}"#),
    ], from: [ok, failed, otherService])
}

@Suite("Metric rates: error rate and throughput (§5.2)")
struct MetricRateTests {
    @Test func selectorsPickEachRole() throws {
        let metrics = try apiMetrics()
        #expect(metrics.requests == [ok, failed])
        #expect(metrics.errors == [failed])
        #expect(metrics.latency.isEmpty)
    }

    @Test func errorRateIsErrorsOverRequests() throws {
        // requests = 997 + 3 = 1000, errors = 3: 100 · 3 / 1000 = 0.3 %.
        let metrics = try apiMetrics()
        #expect(try metrics.errorRatePercent(over: firstHour) == Ratio(3, 10))
        #expect(try metrics.value(of: .errorRate, over: firstHour) == Ratio(3, 10))
        // The second hour: +5000 and +100 → 100 · 100 / 5100 = 100/51 %.
        let secondHour = Interval(start: minute(60), end: minute(120))
        #expect(try metrics.errorRatePercent(over: secondHour) == Ratio(100, 51))
        #expect(try metrics.errorRatePercent(over: secondHour)!.formatted(places: 4) == "1.9608")
    }

    @Test func noRequestsGiveNoErrorRate() throws {
        let metrics = try apiMetrics()
        // Nothing sampled in the third hour.
        #expect(try metrics.errorRatePercent(over: Interval(start: minute(120), end: minute(180))) == nil)
        // Sampled, but the counters stood still: zero requests is still no value.
        let flat = ServiceMetrics(requests: [metricCounter("r", [:], [(minute(0), 7), (minute(30), 7)])],
                                  errors: [], latency: [])
        #expect(try flat.errorRatePercent(over: firstHour) == nil)
        #expect(try flat.throughputPerSecond(over: firstHour) == .zero)
    }

    @Test func throughputIsRequestsPerWindowSecond() throws {
        // 1000 requests over the whole 3600 s window (not just the 40 min the pairs span): 5/18 req/s.
        let metrics = try apiMetrics()
        #expect(try metrics.throughputPerSecond(over: firstHour) == Ratio(5, 18))
        #expect(try metrics.throughputPerSecond(over: firstHour)!.formatted(places: 3) == "0.278")
        #expect(try metrics.value(of: .throughput, over: firstHour) == Ratio(5, 18))
        // No sample pair in the window: nothing observed, no value (not 0 req/s).
        #expect(try metrics.throughputPerSecond(over: Interval(start: minute(120), end: minute(180))) == nil)
        #expect(try metrics.throughputPerSecond(over: Interval(start: minute(10), end: minute(10))) == nil)
    }

    @Test func resetsCountFromZero() throws {
        // 0 → 600 → (restart) 150: +600 then +150 = 750 in the hour; 750 / 3600 = 5/24 req/s.
        let restarted = ServiceMetrics(requests: [metricCounter("r", [:], [(minute(0), 0), (minute(30), 600), (minute(45), 150)])],
                                       errors: [], latency: [])
        #expect(try restarted.throughputPerSecond(over: firstHour) == Ratio(5, 24))
    }

    @Test func uptimeKindsAreNotMetricValues() throws {
        #expect(try apiMetrics().value(of: .uptime, over: firstHour) == nil)
        #expect(try apiMetrics().value(of: .availability, over: firstHour) == nil)
    }
}
