import Testing
@testable import Calc

// Helpers for the metric and error-budget tests. Names carry a `metric` prefix so they never meet the
// status helpers of TestSupport.swift.

/// An exact value from export text; the text is a literal in a test, so it must parse.
func metricValue(_ text: String) -> MetricValue { MetricValue.parse(Substring(text))! }

/// An exact decimal from config-style text (`99.9`, `0.001`).
func metricDecimal(_ text: String) -> Ratio { DecimalText.parse(Substring(text))! }

/// A series from `(time, value text)` pairs.
func metricSeries(_ name: String, _ labels: [String: String] = [:], _ points: [(Millis, String)]) -> MetricSeries {
    MetricSeries(name: name, labels: labels, samples: points.map { MetricSample(time: $0.0, value: metricValue($0.1)) })
}

/// A series from `(time, integer value)` pairs.
func metricCounter(_ name: String, _ labels: [String: String] = [:], _ points: [(Millis, Int64)]) -> MetricSeries {
    MetricSeries(name: name, labels: labels, samples: points.map { MetricSample(time: $0.0, value: MetricValue($0.1)) })
}

func metricSelector(_ text: String) throws -> SeriesSelector { try SeriesSelector(text) }

/// A deterministic generator (SplitMix64), so property tests are reproducible without Foundation.
struct MetricTestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough in `range` for tests.
    mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
