import Testing
@testable import Calc

/// §10.1 for metric objectives: how much of a window the counters behind an objective observed
/// (`ServiceMetrics.coveragePercent`). Windows are 1 000 ms long so the percentages read off directly.
struct MetricsCoverageTests {
    let window = Interval(start: 10_000, end: 11_000)

    @Test func aSampleBeforeTheWindowCoversItFromItsStart() {
        // Samples at 9 500 (before), 10 400 and 10 900: observed from 10 000 (the pair 9 500 → 10 400 starts
        // before the window) to 10 900, the last sample inside it: 900 of 1 000 ms.
        let metrics = ServiceMetrics(requests: [metricCounter("req_total", [:], [(9_500, 1), (10_400, 5), (10_900, 9)])],
                                     errors: [], latency: [])
        #expect(metrics.coveragePercent(of: .throughput, over: window) == Ratio(90))
        #expect(metrics.coveragePercent(of: .errorRate, over: window) == Ratio(90))
    }

    @Test func withoutAnEarlierSampleTheFirstOneStartsTheObservation() {
        // 10 200 → 10 700: 500 ms; a scrape gap inside the span loses nothing, as counters carry the increase.
        let metrics = ServiceMetrics(requests: [metricCounter("req_total", [:], [(10_200, 1), (10_700, 5), (11_000, 9)])],
                                     errors: [], latency: [])
        #expect(metrics.coveragePercent(of: .throughput, over: window) == Ratio(50))
        // One sample alone observes nothing; neither does a series wholly after the window.
        let lone = ServiceMetrics(requests: [metricCounter("req_total", [:], [(10_500, 1), (12_000, 2)])], errors: [], latency: [])
        #expect(lone.coveragePercent(of: .throughput, over: window) == .zero)
    }

    @Test func seriesSpansAreUnitedNotAdded() {
        // Latency buckets: one observes 10 000–10 600 (a sample at 9 000 precedes the window), another
        // 10 400–10 800. Their union is 10 000–10 800 = 800 ms, not 600 + 400.
        let metrics = ServiceMetrics(requests: [], errors: [], latency: [
            metricCounter("lat_bucket", ["le": "0.1"], [(9_000, 0), (10_600, 3)]),
            metricCounter("lat_bucket", ["le": "+Inf"], [(10_400, 0), (10_800, 4)]),
        ])
        #expect(metrics.coveragePercent(of: .latencyP99, over: window) == Ratio(80))
        // Error rate and throughput read the request counters, of which there are none here.
        #expect(metrics.coveragePercent(of: .errorRate, over: window) == .zero)
        // Uptime is the status timeline's.
        #expect(metrics.coveragePercent(of: .uptime, over: window) == nil)
    }
}
