import Testing
@testable import Calc

private func bucket(_ le: String, _ count: Int64) -> HistogramBucket {
    HistogramBucket(upperBound: BucketBound.parse(Substring(le))!, count: Ratio(count))
}

private func quantile(_ q: Ratio, _ buckets: [HistogramBucket]) throws -> Ratio? {
    try HistogramQuantile.quantile(q, of: buckets)
}

/// Cumulative: 50 observations ≤ 0.1, 80 ≤ 0.2, 95 ≤ 0.5, 100 ≤ 1, 100 in all.
private let standard = [bucket("0.1", 50), bucket("0.2", 80), bucket("0.5", 95), bucket("1", 100), bucket("+Inf", 100)]

@Suite("Histogram quantile (Prometheus bucketQuantile, exact)")
struct HistogramQuantileTests {
    @Test func rankInTheFirstBucketInterpolatesFromZero() throws {
        // q = 0.25: rank 25 ≤ 50 → first bucket, [0, 0.1]: 0 + 0.1 · 25/50 = 0.05.
        #expect(try quantile(Ratio(1, 4), standard) == Ratio(1, 20))
    }

    @Test func rankExactlyOnABucketBoundary() throws {
        // q = 0.5: rank 50 = the first bucket's count → its upper bound, 0.1.
        #expect(try quantile(Ratio(1, 2), standard) == Ratio(1, 10))
        // q = 0.8: rank 80 = the second bucket's count → 0.2.
        #expect(try quantile(Ratio(4, 5), standard) == Ratio(1, 5))
        // q = 1: rank 100, reached by the `1` bucket → 1.
        #expect(try quantile(Ratio(1), standard) == Ratio(1))
    }

    @Test func linearWithinABucket() throws {
        // q = 0.9: rank 90 → bucket (0.2, 0.5] holding 95 − 80 = 15, 10 of them to go: 0.2 + 0.3 · 10/15 = 0.4.
        #expect(try quantile(Ratio(9, 10), standard) == Ratio(2, 5))
        // q = 0.99: rank 99 → bucket (0.5, 1] holding 5, 4 to go: 0.5 + 0.5 · 4/5 = 0.9.
        #expect(try quantile(Ratio(99, 100), standard) == Ratio(9, 10))
        // q = 0.95: rank 95 = the (0.2, 0.5] bucket's count → 0.5.
        #expect(try quantile(Ratio(95, 100), standard) == Ratio(1, 2))
    }

    @Test func inTheInfBucketTheHighestFiniteBound() throws {
        // 90 of 100 are ≤ 1; q = 0.95 → rank 95, which only +Inf reaches → 1, the highest finite bound.
        let tail = [bucket("0.1", 50), bucket("1", 90), bucket("+Inf", 100)]
        #expect(try quantile(Ratio(95, 100), tail) == Ratio(1))
        #expect(try quantile(Ratio(9, 10), tail) == Ratio(1))   // rank 90 is reached by `1` itself
    }

    @Test func noValueCases() throws {
        // One bucket (even two entries with the same +Inf bound coalesce to one).
        #expect(try quantile(Ratio(1, 2), [bucket("+Inf", 100)]) == nil)
        #expect(try quantile(Ratio(1, 2), [bucket("+Inf", 60), bucket("+Inf", 40)]) == nil)
        // No observations.
        #expect(try quantile(Ratio(1, 2), [bucket("0.1", 0), bucket("+Inf", 0)]) == nil)
        // No +Inf bucket.
        #expect(try quantile(Ratio(1, 2), [bucket("0.1", 50), bucket("1", 100)]) == nil)
        // No buckets, q outside [0, 1].
        #expect(try quantile(Ratio(1, 2), []) == nil)
        #expect(try quantile(Ratio(-1, 2), standard) == nil)
        #expect(try quantile(Ratio(3, 2), standard) == nil)
        // q = 0 with an empty lowest bucket: Prometheus computes 0/0.
        #expect(try quantile(.zero, [bucket("0.1", 0), bucket("1", 10), bucket("+Inf", 10)]) == nil)
    }

    @Test func nonMonotonicCountsAreForcedUp() throws {
        // 0.2's count 40 is below 0.1's 50; Prometheus raises it to 50. q = 0.6: rank 60 → bucket (0.2, 0.5]
        // holding 95 − 50 = 45, 10 to go: 0.2 + 0.3 · 10/45 = 4/15. (Unforced: 0.2 + 0.3 · 20/55 = 17/55.)
        let dipping = [bucket("0.1", 50), bucket("0.2", 40), bucket("0.5", 95), bucket("+Inf", 100)]
        #expect(try quantile(Ratio(3, 5), dipping) == Ratio(4, 15))
        // q = 0.5: rank 50 is reached by the first bucket → 0.1.
        #expect(try quantile(Ratio(1, 2), dipping) == Ratio(1, 10))
    }

    @Test func unsortedBucketsAndRepeatedBoundsAreSortedAndSummed() throws {
        let shuffled = [bucket("+Inf", 100), bucket("0.5", 95), bucket("1e-1", 30), bucket("1", 100), bucket("0.2", 80),
                        bucket("0.10", 20)]
        #expect(try quantile(Ratio(1, 4), shuffled) == Ratio(1, 20))   // as `standard`
    }

    @Test func aLowestBoundAtOrBelowZeroIsReturnedAsIs() throws {
        // q = 0.25: rank 5 in the lowest bucket, whose bound −1 ≤ 0 → −1, no interpolation.
        #expect(try quantile(Ratio(1, 4), [bucket("-1", 10), bucket("0", 15), bucket("+Inf", 20)]) == Ratio(-1))
    }

    @Test func latencyQuantilesOfTheMetricKinds() {
        #expect(MetricKind.latencyP50.latencyQuantile == Ratio(1, 2))
        #expect(MetricKind.latencyP95.latencyQuantile == Ratio(19, 20))
        #expect(MetricKind.latencyP99.latencyQuantile == Ratio(99, 100))
        #expect(MetricKind.errorRate.latencyQuantile == nil)
    }
}

/// Minutes after 2026-10-01T00:00:00Z.
private func minute(_ m: Int64) -> Millis { utc(2026, 10, 1) + m * oneMinute }

private func bucketSeries(_ instance: String, _ le: String, _ from: Int64, _ to: Int64) -> MetricSeries {
    metricCounter("http_request_duration_seconds_bucket", ["service": "api", "instance": instance, "le": le],
                  [(minute(0), from), (minute(5), to)])
}

@Suite("Latency quantile from bucket series")
struct LatencyQuantileTests {
    /// Two instances, increases over [0, 10 min):
    ///   le 0.1:  a 100 → 130 (+30),  b 0 → 20 (+20, written `1e-1`)  → 50
    ///   le 0.5:  a 200 → 240 (+40),  b 0 → 50 (+50)                  → 90
    ///   le +Inf: a 210 → 260 (+50),  b 0 → 50 (+50)                  → 100
    /// plus a series without `le` and one with `le="NaN"`, which histogram_quantile skips.
    let metrics = ServiceMetrics(requests: [], errors: [], latency: [
        bucketSeries("a", "0.1", 100, 130), bucketSeries("a", "0.5", 200, 240), bucketSeries("a", "+Inf", 210, 260),
        bucketSeries("b", "1e-1", 0, 20), bucketSeries("b", "0.5", 0, 50), bucketSeries("b", "+Inf", 0, 50),
        metricCounter("http_request_duration_seconds_bucket", ["service": "api"], [(minute(0), 0), (minute(5), 999)]),
        bucketSeries("c", "NaN", 0, 999),
    ])
    let window = Interval(start: minute(0), end: minute(10))

    @Test func bucketsAreSummedPerBound() throws {
        #expect(try metrics.latencyBuckets(over: window) == [
            HistogramBucket(upperBound: .finite(metricValue("0.1")), count: Ratio(50)),
            HistogramBucket(upperBound: .finite(metricValue("0.5")), count: Ratio(90)),
            HistogramBucket(upperBound: .infinity, count: Ratio(100)),
        ])
    }

    @Test func quantilesInMilliseconds() throws {
        // p50: rank 50 = the 0.1 bucket's count → 0.1 s = 100 ms.
        #expect(try metrics.value(of: .latencyP50, over: window) == Ratio(100))
        // p75: rank 75 → (0.1, 0.5] holding 40, 25 to go: 0.1 + 0.4 · 25/40 = 0.35 s = 350 ms.
        #expect(try metrics.latencyMilliseconds(quantile: Ratio(3, 4), over: window) == Ratio(350))
        // p95 and p99: ranks 95 and 99 are only reached by +Inf → the highest finite bound, 0.5 s = 500 ms.
        #expect(try metrics.value(of: .latencyP95, over: window) == Ratio(500))
        #expect(try metrics.value(of: .latencyP99, over: window) == Ratio(500))
        // p80 = 0.1 + 0.4 · 30/40 = 0.4 s: an exact 400 ms, shown with 3 decimals.
        #expect(try metrics.latencyMilliseconds(quantile: Ratio(4, 5), over: window)!.formatted(places: 3) == "400.000")
    }

    @Test func noObservationsNoValue() throws {
        #expect(try metrics.value(of: .latencyP99, over: Interval(start: minute(10), end: minute(20))) == nil)
        #expect(try ServiceMetrics(requests: [], errors: [], latency: []).value(of: .latencyP99, over: window) == nil)
    }
}
