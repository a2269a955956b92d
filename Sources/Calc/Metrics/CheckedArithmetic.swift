/// An exact calculation needed an intermediate value beyond 128 bits. Sample values are bounded
/// (see `MetricValue`), so this takes pathological input — say, a huge integer counter summed with
/// values of 18 decimal places — but it is reported instead of trapping, because bad input must never
/// crash the tool.
public struct ArithmeticOverflowError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Sendable { case tooLarge, divisionByZero }
    public var reason: Reason
    /// The period whose figure it was, when not the one being reported (an earlier period of the freeze chain).
    public var period: String?
    public init(_ reason: Reason = .tooLarge, period: String? = nil) {
        self.reason = reason
        self.period = period
    }
    public var description: String {
        switch reason {
        case .tooLarge: "the values are too large to compute exactly (an intermediate result exceeds 128 bits)"
        case .divisionByZero: "a figure would divide by zero"
        }
    }
}

/// Exact `Ratio` arithmetic that throws on overflow: the implementation of `Ratio`'s operators. Sums go
/// through the least common multiple of the denominators and products are cross-reduced first (metric sums
/// add thousands of values whose denominators are powers of ten), so intermediates stay small.
enum Checked {
    static func add(_ a: Int128, _ b: Int128) throws(ArithmeticOverflowError) -> Int128 {
        let (r, overflow) = a.addingReportingOverflow(b)
        if overflow { throw ArithmeticOverflowError() }
        return r
    }

    static func subtract(_ a: Int128, _ b: Int128) throws(ArithmeticOverflowError) -> Int128 {
        let (r, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw ArithmeticOverflowError() }
        return r
    }

    static func multiply(_ a: Int128, _ b: Int128) throws(ArithmeticOverflowError) -> Int128 {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw ArithmeticOverflowError() }
        return r
    }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 { Int128(Ratio.gcd(a.magnitude, b.magnitude)) }

    static func sum(_ a: Ratio, _ b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        if a.denominator == b.denominator { return Ratio(try add(a.numerator, b.numerator), a.denominator) }
        let lcm = try multiply(a.denominator / gcd(a.denominator, b.denominator), b.denominator)
        let n = try add(try multiply(a.numerator, lcm / a.denominator), try multiply(b.numerator, lcm / b.denominator))
        return Ratio(n, lcm)
    }

    static func difference(_ a: Ratio, _ b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        try sum(a, Ratio(try subtract(0, b.numerator), b.denominator))
    }

    static func product(_ a: Ratio, _ b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        let g1 = gcd(a.numerator, b.denominator), g2 = gcd(b.numerator, a.denominator)
        return Ratio(try multiply(a.numerator / g1, b.numerator / g2), try multiply(a.denominator / g2, b.denominator / g1))
    }

    /// `a / b`; throws when `b` is zero.
    static func quotient(_ a: Ratio, _ b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        guard b.numerator != 0 else { throw ArithmeticOverflowError(.divisionByZero) }
        // The reciprocal of −2^127 has no positive denominator in 128 bits.
        guard b.numerator != .min else { throw ArithmeticOverflowError() }
        return try product(a, Ratio(b.denominator, b.numerator))
    }

    /// -1, 0 or 1 as `a` is below, equal to or above `b`. Never overflows: it compares the integer parts,
    /// then the reciprocals of the fractional parts, as in a continued-fraction expansion, so every
    /// intermediate is no larger than the inputs.
    static func compare(_ a: Ratio, _ b: Ratio) -> Int {
        var (n1, d1, n2, d2) = (a.numerator, a.denominator, b.numerator, b.denominator)
        var sign = 1
        while true {
            let (q1, r1) = floorDivision(n1, d1), (q2, r2) = floorDivision(n2, d2)
            if q1 != q2 { return q1 < q2 ? -sign : sign }
            if r1 == 0 || r2 == 0 { return r1 == r2 ? 0 : (r1 == 0 ? -sign : sign) }
            // r1/d1 < r2/d2 ⟺ d1/r1 > d2/r2: compare the reciprocals with the sense flipped.
            (n1, d1, n2, d2) = (d1, r1, d2, r2)
            sign = -sign
        }
    }

    /// Quotient rounded toward −∞ and the remainder in `0..<d` (d > 0).
    private static func floorDivision(_ n: Int128, _ d: Int128) -> (Int128, Int128) {
        var q = n / d, r = n % d
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }
}

/// A running exact sum, kept unreduced over a common denominator so that adding integers (the usual
/// counter values) costs one checked addition.
struct ExactSum {
    private(set) var numerator: Int128 = 0
    private(set) var denominator: Int128 = 1

    mutating func add(_ r: Ratio) throws(ArithmeticOverflowError) {
        if r.denominator == denominator {
            numerator = try Checked.add(numerator, r.numerator)
            return
        }
        let g = Checked.gcd(denominator, r.denominator)
        let lcm = try Checked.multiply(denominator / g, r.denominator)
        numerator = try Checked.add(try Checked.multiply(numerator, lcm / denominator),
                                    try Checked.multiply(r.numerator, lcm / r.denominator))
        denominator = lcm
    }

    mutating func subtract(_ r: Ratio) throws(ArithmeticOverflowError) {
        try add(Ratio(try Checked.subtract(0, r.numerator), r.denominator))
    }

    var value: Ratio { Ratio(numerator, denominator) }
}
