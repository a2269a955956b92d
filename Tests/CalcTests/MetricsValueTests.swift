import Testing
@testable import Calc

@Suite("MetricValue parsing")
struct MetricValueTests {
    @Test(arguments: [
        ("1027", Ratio(1027, 1)),
        ("-3", Ratio(-3, 1)),
        ("+2", Ratio(2, 1)),
        ("0.25", Ratio(1, 4)),
        (".5", Ratio(1, 2)),
        ("5.", Ratio(5, 1)),
        ("1e3", Ratio(1000, 1)),
        ("1.5e3", Ratio(1500, 1)),
        ("1E-3", Ratio(1, 1000)),
        ("2.5e-1", Ratio(1, 4)),
        ("1.027e+06", Ratio(1_027_000, 1)),          // how Go prints a large float64 counter
        ("0e999", Ratio(0, 1)),                      // zero whatever the exponent
        ("-0", Ratio(0, 1)),
        ("0.30000000000000004", Ratio(30_000_000_000_000_004, 100_000_000_000_000_000)),  // 0.1 + 0.2 in float64 text
        ("1e-18", Ratio(1, 1_000_000_000_000_000_000)),                                     // the finest allowed
        ("1.5000000000000000000000", Ratio(3, 2)),   // trailing zeros beyond 18 places are not precision
        ("18446744073709551615", Ratio(18_446_744_073_709_551_615, 1)),                     // UInt64.max
        ("99999999999999999999", Ratio(99_999_999_999_999_999_999, 1)),                    // just below 10^20
    ])
    func parsesExactly(text: String, expected: Ratio) throws {
        #expect(try MetricValue.parsing(Substring(text)).exact == expected)
    }

    @Test(arguments: [
        ("NaN", MetricValueError.notANumber),
        ("nan", .notANumber),
        ("-NaN", .notANumber),
        ("+Inf", .infinite("+Inf")),
        ("-Inf", .infinite("-Inf")),
        ("Inf", .infinite("Inf")),
        ("infinity", .infinite("infinity")),
        ("", .malformed("")),
        ("abc", .malformed("abc")),
        ("1e", .malformed("1e")),
        ("1e+", .malformed("1e+")),
        ("e3", .malformed("e3")),
        ("--1", .malformed("--1")),
        ("1.2.3", .malformed("1.2.3")),
        ("0x1p3", .malformed("0x1p3")),               // Go reads hex floats; exports never write them
        ("1_000", .malformed("1_000")),
        (" 1", .malformed(" 1")),
        ("1 ", .malformed("1 ")),
        (".", .malformed(".")),
        ("+", .malformed("+")),
        ("1e20", .tooLarge("1e20")),
        ("100000000000000000000", .tooLarge("100000000000000000000")),
        ("1e-19", .tooPrecise("1e-19")),
        ("0.0000000000000000001", .tooPrecise("0.0000000000000000001")),
    ])
    func rejects(text: String, error: MetricValueError) {
        #expect(throws: error) { try MetricValue.parsing(Substring(text)) }
        #expect(MetricValue.parse(Substring(text)) == nil)
    }

    @Test func errorMessagesSayWhy() {
        #expect(MetricValueError.notANumber.description == "NaN is not a sample value")
        #expect(MetricValueError.infinite("+Inf").description == "an infinite value (\"+Inf\") is not a sample value")
        #expect(MetricValueError.malformed("abc").description == "not a number: \"abc\"")
        #expect(MetricValueError.tooPrecise("1e-19").description == "value \"1e-19\" has more than 18 decimal places")
    }

    @Test func limitsOnExactValues() {
        #expect(MetricValue(exact: Ratio(1, 4)) != nil)
        #expect(MetricValue(exact: Ratio(1, 3)) == nil)                         // no finite decimal text
        #expect(MetricValue(exact: Ratio(1, 1_000_000_000_000_000_000)) != nil)
        #expect(MetricValue(exact: Ratio(1, 10_000_000_000_000_000_000)) == nil) // 19 places
        #expect(MetricValue(exact: Ratio(100_000_000_000_000_000_000, 1)) == nil)
    }

    @Test func descriptionIsExactDecimalText() {
        #expect(metricValue("1027").description == "1027")
        #expect(metricValue("0.25").description == "0.25")
        #expect(metricValue("-5e-3").description == "-0.005")
        #expect(metricValue("1.5e3").description == "1500")
    }

    @Test func comparesWithoutOverflow() {
        // 10^19 + 10^-18: numerator 10^37 + 1 over 10^18. Cross-multiplying with another 18-place value
        // would need 10^55; the comparison goes through the common denominator instead.
        let big = metricValue("10000000000000000000.000000000000000001")
        let slightlyLess = metricValue("10000000000000000000")
        #expect(slightlyLess < big)
        #expect(!(big < slightlyLess))
        #expect(metricValue("0.25") < metricValue("0.3"))
        #expect(metricValue("-1") < metricValue("0.000000000000000001"))
    }
}

@Suite("Metric bucket bounds (le)")
struct MetricBucketBoundTests {
    @Test func parsesFiniteAndInfiniteBounds() {
        #expect(BucketBound.parse("0.005") == .finite(metricValue("0.005")))
        #expect(BucketBound.parse("1e0") == .finite(MetricValue(1)))
        #expect(BucketBound.parse(".2") == .finite(metricValue("0.2")))
        #expect(BucketBound.parse("-0.1") == .finite(metricValue("-0.1")))
        #expect(BucketBound.parse("+Inf") == .infinity)
        #expect(BucketBound.parse("Inf") == .infinity)
        #expect(BucketBound.parse("+inf") == .infinity)
        #expect(BucketBound.parse("-Inf") == nil)
        #expect(BucketBound.parse("NaN") == nil)
        #expect(BucketBound.parse("fast") == nil)
    }

    @Test func ordersByValueWithInfinityLast() {
        let bounds: [BucketBound] = [.infinity, .finite(metricValue("0.2")), .finite(metricValue("0.1"))]
        #expect(bounds.sorted() == [.finite(metricValue("0.1")), .finite(metricValue("0.2")), .infinity])
        #expect(BucketBound.infinity.description == "+Inf")
        #expect(BucketBound.finite(metricValue("0.10")).description == "0.1")
    }
}

@Suite("MetricSeries")
struct MetricSeriesTests {
    @Test func identityShowsLabelsSorted() {
        let s = metricCounter("http_requests_total", ["service": "api", "code": "500", "path": "/say \"hi\""], [])
        #expect(s.identity == #"http_requests_total{code="500",path="/say \"hi\"",service="api"}"#)
        #expect(metricCounter("up", [:], []).identity == "up")
    }

    @Test func labelValueReadsNameAndAbsentLabels() {
        let s = metricCounter("up", ["job": "api"], [])
        #expect(s.labelValue("__name__") == "up")
        #expect(s.labelValue("job") == "api")
        #expect(s.labelValue("code") == "")
    }
}
