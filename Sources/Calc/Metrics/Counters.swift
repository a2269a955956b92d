/// Counter arithmetic (§5.2), exact and without extrapolation.
public enum Counters {
    /// `increase(series, [a, b))`: Σ over consecutive samples (s_i, s_{i+1}) with `a ≤ t_{i+1} < b` of
    /// `v_{i+1} − v_i`, or of `v_{i+1}` where `v_{i+1} < v_i` (a counter reset).
    ///
    /// Each pair belongs to the window holding its later sample, so increases over adjacent windows add up
    /// exactly to the increase over their union. The first sample inside a window pairs with the last one
    /// before it; a window that holds no sample adds nothing.
    public static func increase(_ series: MetricSeries, over window: Interval) throws(ArithmeticOverflowError) -> Ratio {
        var sum = ExactSum()
        _ = try accumulate(series.samples, over: window, into: &sum)
        return sum.value
    }

    /// Σ of `increase` over several series.
    public static func increase(_ series: [MetricSeries], over window: Interval) throws(ArithmeticOverflowError) -> Ratio {
        try total(series, over: window).value
    }

    /// Σ increase over `series`, and how many sample pairs it saw (zero: the window observed nothing).
    static func total(_ series: [MetricSeries], over window: Interval) throws(ArithmeticOverflowError) -> (value: Ratio, pairs: Int) {
        var sum = ExactSum()
        var pairs = 0
        for s in series { pairs += try accumulate(s.samples, over: window, into: &sum) }
        return (sum.value, pairs)
    }

    /// Adds the increase of `samples` (ascending in time) over `window` to `sum`; returns the pairs counted.
    static func accumulate(_ samples: [MetricSample], over window: Interval,
                           into sum: inout ExactSum) throws(ArithmeticOverflowError) -> Int {
        guard samples.count >= 2, !window.isEmpty else { return 0 }
        // The first later-sample index j ≥ 1 with t_j ≥ a.
        var lo = 1, hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid].time < window.start { lo = mid + 1 } else { hi = mid }
        }
        var j = lo
        while j < samples.count, samples[j].time < window.end {
            let previous = samples[j - 1].value, current = samples[j].value
            try sum.add(current.exact)
            if !(current < previous) { try sum.subtract(previous.exact) }
            j += 1
        }
        return j - lo
    }
}
