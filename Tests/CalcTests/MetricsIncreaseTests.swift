import Testing
@testable import Calc

/// Seconds after 2026-10-01T00:00:00Z.
private func s(_ seconds: Int64) -> Millis { utc(2026, 10, 1) + seconds * oneSecond }

private func window(_ from: Int64, _ to: Int64) -> Interval { Interval(start: s(from), end: s(to)) }

/// §5.2 written the slow, obvious way: every consecutive pair, no search.
private func referenceIncrease(_ samples: [MetricSample], _ window: Interval) throws -> Ratio {
    var total = Ratio.zero
    for (a, b) in zip(samples, samples.dropFirst()) where window.start <= b.time && b.time < window.end {
        total = try total + (b.value < a.value ? b.value.exact : b.value.exact - a.value.exact)
    }
    return total
}

@Suite("Increase (§5.2)")
struct IncreaseTests {
    /// Samples every 10 s: 0, 5, 12, then a reset to 3, then 10, 10.
    /// Pairs, by their later sample: @10 +5, @20 +7, @30 reset +3, @40 +7, @50 +0.
    let counter = metricCounter("http_requests_total", [:], [(s(0), 0), (s(10), 5), (s(20), 12), (s(30), 3), (s(40), 10), (s(50), 10)])

    @Test func sumsPairsWithTheResetCountedFromZero() throws {
        // 5 + 7 + 3 + 7 + 0 = 22 (without the reset rule it would be 5 + 7 − 9 + 7 + 0 = 10).
        #expect(try Counters.increase(counter, over: window(0, 60)) == Ratio(22))
        #expect(try Counters.increase(counter, over: window(30, 31)) == Ratio(3))
    }

    @Test func aPairBelongsToTheWindowOfItsLaterSample() throws {
        // [10, 30): the pairs ending at 10 and 20 → 5 + 7; the one ending at 30 is the next window's.
        #expect(try Counters.increase(counter, over: window(10, 30)) == Ratio(12))
        // [0, 10): the sample at 0 has no predecessor and the one at 10 is outside → nothing.
        #expect(try Counters.increase(counter, over: window(0, 10)) == .zero)
        // [9, 11): the sample at 10 pairs with the one at 0, outside the window → +5.
        #expect(try Counters.increase(counter, over: window(9, 11)) == Ratio(5))
        // No sample inside: no extrapolation, nothing.
        #expect(try Counters.increase(counter, over: window(11, 19)) == .zero)
        #expect(try Counters.increase(counter, over: window(60, 120)) == .zero)
        #expect(try Counters.increase(counter, over: window(20, 20)) == .zero)   // empty window
    }

    @Test func exactDecimals() throws {
        // 0.25 → 0.5 (+0.25) → 0.1 (reset: +0.1) → 0.35 (+0.25): 0.6 exactly, which float64 cannot hold.
        let fractional = metricSeries("x_total", [:], [(s(0), "0.25"), (s(1), "0.5"), (s(2), "0.1"), (s(3), "3.5e-1")])
        #expect(try Counters.increase(fractional, over: window(0, 4)) == Ratio(3, 5))
    }

    @Test func sumsOverSeries() throws {
        let other = metricCounter("http_requests_total", [:], [(s(0), 100), (s(20), 150)])
        // 22 + 50.
        #expect(try Counters.increase([counter, other], over: window(0, 60)) == Ratio(72))
        #expect(try Counters.increase([MetricSeries](), over: window(0, 60)) == .zero)
    }

    @Test func hugeMixedValuesThrowInsteadOfTrapping() throws {
        // 10^20 − 1 and an 18-place fraction: the common denominator 10^18 times 10^20 is past 2^127.
        let wild = metricSeries("x_total", [:], [
            (s(0), "0.000000000000000001"), (s(1), "99999999999999999999"), (s(2), "0.000000000000000001"),
            (s(3), "99999999999999999999"), (s(4), "0.000000000000000001"), (s(5), "99999999999999999999"),
        ])
        #expect(throws: ArithmeticOverflowError.self) { try Counters.increase(wild, over: window(0, 6)) }
    }

    /// Increases over adjacent windows add up exactly to the increase over their union, and match the
    /// reference formula, over random counters (resets, gaps, repeated values, decimals) and random splits.
    @Test func adjacentWindowsAddUpToTheirUnion() throws {
        var random = MetricTestRandom(seed: 20261001)
        for _ in 0..<300 {
            var samples: [MetricSample] = []
            var t = s(random.int(0...30))
            var value: Int64 = random.int(0...50)
            for _ in 0..<random.int(0...40) {
                switch random.int(0...9) {
                case 0: value = random.int(0...20)            // reset (or a jump down)
                case 1: break                                 // flat
                default: value += random.int(1...500)
                }
                // Values in quarters or thousandths, so the sums need exact fractions.
                let scale: Int64 = random.int(0...1) == 0 ? 4 : 1000
                samples.append(MetricSample(time: t, value: MetricValue(exact: Ratio(Int128(value), Int128(scale)))!))
                t += random.int(1...20) * oneSecond
            }
            let union = Interval(start: s(random.int(0...100)), end: s(random.int(100...900)))
            var cuts = (0..<random.int(0...7)).map { _ in s(random.int(0...900)) }.filter { $0 > union.start && $0 < union.end }
            cuts = [union.start] + Array(Set(cuts)).sorted() + [union.end]
            let series = MetricSeries(name: "x_total", labels: [:], samples: samples)

            var parts = Ratio.zero
            for (a, b) in zip(cuts, cuts.dropFirst()) {
                let part = try Counters.increase(series, over: Interval(start: a, end: b))
                #expect(try part == referenceIncrease(samples, Interval(start: a, end: b)))
                parts = try parts + part
            }
            #expect(parts == (try Counters.increase(series, over: union)), "cuts \(cuts)")
        }
    }
}
