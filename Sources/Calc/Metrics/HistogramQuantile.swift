/// One bucket of a classic Prometheus histogram: how many observations were at most `upperBound`.
public struct HistogramBucket: Equatable, Sendable {
    public var upperBound: BucketBound
    /// Cumulative: it includes every lower bucket's observations.
    public var count: Ratio
    public init(upperBound: BucketBound, count: Ratio) {
        self.upperBound = upperBound
        self.count = count
    }
}

/// `histogram_quantile` over classic buckets, exactly: Prometheus's `bucketQuantile`
/// (`promql/quantile.go`) with rationals in place of float64.
public enum HistogramQuantile {
    /// The `q`-quantile (0 ≤ q ≤ 1) of the observations the buckets count, in the bounds' unit, or nil
    /// wherever Prometheus answers NaN or ±Inf:
    /// - buckets are sorted by bound and equal bounds summed; the highest bound must be `+Inf`;
    /// - cumulative counts that fall from one bucket to the next are raised to the running maximum
    ///   (Prometheus's `ensureMonotonic`);
    /// - fewer than two buckets, or no observations (the `+Inf` count is zero), give nil;
    /// - rank = q · total; the quantile's bucket is the first whose count reaches the rank;
    /// - in the `+Inf` bucket, the answer is the highest finite bound;
    /// - in the lowest bucket with a bound ≤ 0, that bound; otherwise the lowest bucket starts at 0;
    /// - else linear within the bucket: `start + (end − start) · (rank − below) / (count − below)`.
    /// Prometheus's 1e-12 float-precision correction has no counterpart: the counts here are exact.
    public static func quantile(_ q: Ratio, of buckets: [HistogramBucket]) throws(ArithmeticOverflowError) -> Ratio? {
        guard Checked.compare(q, .zero) >= 0, Checked.compare(q, Ratio(1)) <= 0, !buckets.isEmpty else { return nil }
        var sorted = buckets.sorted { $0.upperBound < $1.upperBound }
        guard sorted.last!.upperBound == .infinity else { return nil }

        // Coalesce equal bounds.
        var merged: [HistogramBucket] = []
        for bucket in sorted {
            if let last = merged.last, last.upperBound == bucket.upperBound {
                merged[merged.count - 1].count = try Checked.sum(last.count, bucket.count)
            } else {
                merged.append(bucket)
            }
        }
        sorted = merged

        // Force monotonic cumulative counts.
        var running = sorted[0].count
        for k in sorted.indices.dropFirst() {
            if Checked.compare(sorted[k].count, running) < 0 {
                sorted[k].count = running
            } else {
                running = sorted[k].count
            }
        }

        guard sorted.count >= 2 else { return nil }
        let total = sorted[sorted.count - 1].count
        guard total != .zero else { return nil }
        let rank = try Checked.product(q, total)

        // The first bucket below the +Inf one whose count reaches the rank; the +Inf one if none does.
        var b = 0
        while b < sorted.count - 1, Checked.compare(sorted[b].count, rank) < 0 { b += 1 }

        if b == sorted.count - 1 { return bound(sorted[sorted.count - 2]) }
        let end = bound(sorted[b])!
        if b == 0, Checked.compare(end, .zero) <= 0 { return end }
        var start = Ratio.zero, count = sorted[b].count, rankInBucket = rank
        if b > 0 {
            start = bound(sorted[b - 1])!
            count = try Checked.difference(count, sorted[b - 1].count)
            rankInBucket = try Checked.difference(rank, sorted[b - 1].count)
        }
        // Only when q = 0 and the lowest bucket is empty: Prometheus computes 0/0, NaN.
        guard count != .zero else { return nil }
        let fraction = try Checked.quotient(rankInBucket, count)
        return try Checked.sum(start, try Checked.product(try Checked.difference(end, start), fraction))
    }

    private static func bound(_ bucket: HistogramBucket) -> Ratio? {
        if case let .finite(value) = bucket.upperBound { return value.exact }
        return nil
    }
}

extension MetricKind {
    /// The quantile a latency objective reads: 1/2, 19/20, 99/100; nil for the other kinds.
    public var latencyQuantile: Ratio? {
        switch self {
        case .latencyP50: Ratio(1, 2)
        case .latencyP95: Ratio(95, 100)
        case .latencyP99: Ratio(99, 100)
        default: nil
        }
    }
}
