/// An exact rational number. Uptime, coverage and targets stay `Ratio`s until they are shown,
/// so every comparison with a target is exact.
public struct Ratio: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: Int128
    /// Always positive.
    public let denominator: Int128

    public init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator != 0, "Ratio with a zero denominator")
        let sign: Int128 = denominator < 0 ? -1 : 1
        let g = Ratio.gcd(numerator.magnitude, denominator.magnitude)
        if g == 1 {
            // Already in lowest terms (whole numbers, most sums of milliseconds): skip two 128-bit divisions.
            self.numerator = sign * numerator
            self.denominator = sign * denominator
        } else {
            self.numerator = sign * numerator / Int128(g)
            self.denominator = sign * denominator / Int128(g)
        }
    }

    public init(_ integer: Int64) { self.init(Int128(integer), 1) }

    public static let zero = Ratio(0, 1)
    public static let hundred = Ratio(100, 1)

    /// The greatest common divisor, 1 when both are zero (so `Ratio(0, d)` reduces to 0/1).
    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        // Figures of milliseconds and percentages nearly always fit in 64 bits, where a remainder is one
        // machine instruction instead of a call into the 128-bit division routine.
        if let a64 = UInt64(exactly: a), let b64 = UInt64(exactly: b) { return UInt128(gcd(a64, b64)) }
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }

    // Exact arithmetic throws instead of trapping when an intermediate value leaves 128 bits: the figures come
    // from input (sample values, fees, targets), and bad input must never crash the tool. The common case
    // (milliseconds, percentages, cents) takes the first branch and costs one overflow flag per product.

    public static func + (a: Ratio, b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        if a.denominator == b.denominator {
            let (n, o) = a.numerator.addingReportingOverflow(b.numerator)
            if !o { return Ratio(n, a.denominator) }
        }
        return try Checked.sum(a, b)
    }
    public static func - (a: Ratio, b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        try Checked.difference(a, b)
    }
    public static func * (a: Ratio, b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        try Checked.product(a, b)
    }
    /// Throws `ArithmeticOverflowError.divisionByZero` when `b` is zero.
    public static func / (a: Ratio, b: Ratio) throws(ArithmeticOverflowError) -> Ratio {
        try Checked.quotient(a, b)
    }
    /// Exact, and never overflows: cross-multiplies when the products fit, else compares continued fractions.
    public static func < (a: Ratio, b: Ratio) -> Bool {
        let (x, o1) = a.numerator.multipliedReportingOverflow(by: b.denominator)
        let (y, o2) = b.numerator.multipliedReportingOverflow(by: a.denominator)
        if !o1 && !o2 { return x < y }
        return Checked.compare(a, b) < 0
    }

    /// Rounds to `places` decimals, ties to even, and returns the scaled integer (`12.345` at 2 places → 1234).
    /// Throws when that integer does not fit in 128 bits.
    public func scaled(places: Int, rounding: Rounding = .halfEven) throws(ArithmeticOverflowError) -> Int128 {
        let scale = try Ratio.powerOfTen(places)
        let (whole, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        // remainder × scale / denominator < scale, computed in 256 bits.
        let wide = remainder.magnitude.multipliedFullWidth(by: scale.magnitude)
        let (fraction, rest) = denominator.magnitude.dividingFullWidth(wide)
        var frac = Int128(fraction)
        // Round the fraction's last digit: compare 2 × rest with the denominator.
        if rest != 0 {
            let twice = rest.multipliedFullWidth(by: 2)
            let d = denominator.magnitude
            let above = twice.high > 0 || twice.low > d, tie = twice.high == 0 && twice.low == d
            let odd = (whole.magnitude.multipliedFullWidth(by: scale.magnitude).low &+ fraction) & 1 == 1
            if above || (tie && (rounding == .halfUp || odd)) { frac += 1 }
        }
        let (wholeScaled, o1) = whole.magnitude.multipliedReportingOverflow(by: scale.magnitude)
        let (magnitude, o2) = wholeScaled.addingReportingOverflow(UInt128(frac))
        guard !o1, !o2, magnitude <= UInt128(Int128.max) else { throw ArithmeticOverflowError() }
        return numerator < 0 ? -Int128(magnitude) : Int128(magnitude)
    }

    /// Decimal text with exactly `places` decimals, e.g. `99.9000`; `-0.5000` keeps its sign. Exact for any
    /// value, also one whose scaled integer would not fit in 128 bits.
    public func formatted(places: Int, rounding: Rounding = .halfEven) -> String {
        if let scaled = try? scaled(places: places, rounding: rounding) {
            return DecimalText.format(scaled: scaled, places: places)
        }
        // Beyond 10^38 / 10^places: the whole part as digits, the fraction scaled on its own (|fraction| < 1).
        let (whole, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let fraction = Ratio(remainder.magnitude == 0 ? 0 : Int128(remainder.magnitude), denominator)
        let fractionScaled = (try? fraction.scaled(places: places, rounding: rounding)) ?? 0
        var wholeDigits = whole.magnitude
        var fractionDigits = fractionScaled
        if let scale = try? Ratio.powerOfTen(places), fractionDigits == scale { wholeDigits += 1; fractionDigits = 0 }
        let sign = numerator < 0 ? "-" : ""
        guard places > 0 else { return sign + String(wholeDigits) }
        let text = String(fractionDigits)
        return sign + String(wholeDigits) + "." + String(repeating: "0", count: places - text.count) + text
    }

    /// 10^n for 0 ≤ n ≤ 38.
    static func powerOfTen(_ n: Int) throws(ArithmeticOverflowError) -> Int128 {
        guard n >= 0, n <= 38 else { throw ArithmeticOverflowError() }
        var scale: Int128 = 1
        for _ in 0..<n { scale *= 10 }
        return scale
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// How a value is rounded to the last kept digit.
public enum Rounding: String, Sendable, CaseIterable {
    case halfEven = "half-even"
    case halfUp = "half-up"

    /// `a / b` rounded to an integer (b > 0). `halfUp` rounds ties away from zero.
    public func divide(_ a: Int128, by b: Int128) -> Int128 {
        precondition(b > 0)
        let q = a / b, r = a % b
        if r == 0 { return q }
        let twice = r.magnitude * 2
        let away: Int128 = a < 0 ? -1 : 1
        if twice > b.magnitude { return q + away }
        if twice < b.magnitude { return q }
        switch self {
        case .halfUp: return q + away
        case .halfEven: return q % 2 == 0 ? q : q + away
        }
    }
}

/// Exact decimal text, read and written without binary floating point.
public enum DecimalText {
    /// Parses `99.9`, `-8.90`, `1200`, `0.005` into an exact ratio. No exponent, no grouping, no spaces.
    public static func parse(_ text: Substring) -> Ratio? {
        var b = Array(text.utf8)[...]
        var negative = false
        if b.first == UInt8(ascii: "-") || b.first == UInt8(ascii: "+") {
            negative = b.first == UInt8(ascii: "-"); b = b.dropFirst()
        }
        let parts = b.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 18,
              whole.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var value = Int128(Digits.value(whole)!)
        var denominator: Int128 = 1
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 18, frac.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            for d in frac { value = value * 10 + Int128(d - 48); denominator *= 10 }
        }
        return Ratio(negative ? -value : value, denominator)
    }

    /// Writes a scaled integer with `places` decimals: (`-890`, 2) → `-8.90`.
    public static func format(scaled: Int128, places: Int) -> String {
        guard let magnitude = UInt64(exactly: scaled.magnitude), places >= 0 else {
            return formatByParts(scaled: scaled, places: places)
        }
        // Every percentage and amount of a report passes here: write the digits straight into the string's
        // storage, right to left, instead of padding and slicing intermediate strings.
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 { digitCount += 1; rest /= 10 }
        let shown = max(digitCount, places + 1)   // at least one digit before the point: 0.05, not .05
        let length = (scaled < 0 ? 1 : 0) + shown + (places > 0 ? 1 : 0)
        return String(unsafeUninitializedCapacity: length) { text in
            var i = length - 1
            var value = magnitude
            for position in 0..<shown {
                if position == places && places > 0 {
                    text[i] = UInt8(ascii: ".")
                    i -= 1
                }
                text[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                i -= 1
            }
            if scaled < 0 { text[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// The same text for magnitudes beyond 64 bits.
    static func formatByParts(scaled: Int128, places: Int) -> String {
        let digits = String(scaled.magnitude)
        let padded = digits.count <= places ? String(repeating: "0", count: places - digits.count + 1) + digits : digits
        let sign = scaled < 0 ? "-" : ""
        guard places > 0 else { return sign + padded }
        let cut = padded.index(padded.endIndex, offsetBy: -places)
        return sign + padded[..<cut] + "." + padded[cut...]
    }
}
