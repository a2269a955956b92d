/// A metric sample value, exact: the decimal text of an export (`1027`, `0.25`, `1.5e3`) read as a
/// ratio, never through binary floating point.
///
/// Limits, so that sums and comparisons stay within 128 bits: at most 18 decimal places once the exponent
/// is applied (`1e-18` is fine, `1e-19` is not) and a magnitude below 10^20 — every 64-bit integer counter
/// and every float64 Prometheus prints for a counter (at most 17 significant digits) fits.
public struct MetricValue: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The value; its denominator divides 10^18.
    public let exact: Ratio

    public static let maxFractionDigits = 18
    /// Values must be strictly below this in magnitude.
    public static let magnitudeLimit: Int128 = 100_000_000_000_000_000_000

    public init(_ integer: Int64) { exact = Ratio(integer) }

    /// nil when `exact` is outside the limits above.
    public init?(exact: Ratio) {
        guard MetricValue.denominatorLimit % exact.denominator == 0,
              exact.numerator.magnitude < UInt128(MetricValue.magnitudeLimit) * exact.denominator.magnitude
        else { return nil }
        self.exact = exact
    }

    init(unchecked exact: Ratio) { self.exact = exact }

    static let denominatorLimit: Int128 = 1_000_000_000_000_000_000

    /// Parses Prometheus/OpenMetrics float text: `1027`, `-3`, `0.25`, `.5`, `5.`, `1.5e3`, `1E-3`, `+2`.
    /// nil for NaN, infinities, hexadecimal floats, anything malformed, and values outside the limits;
    /// `parsing(_:)` says which.
    public static func parse(_ text: Substring) -> MetricValue? { try? parsing(text) }

    /// Like `parse(_:)`, but says why the text was rejected.
    public static func parsing(_ text: Substring) throws(MetricValueError) -> MetricValue {
        var text = text
        // Works on the UTF-8 bytes in place: import calls this once per sample.
        let result: Result<MetricValue, MetricValueError> = text.withUTF8 { parse(bytes: $0) }
        switch result {
        case let .success(value): return value
        case let .failure(error):
            switch error {
            case .notANumber: throw error
            case .malformed: throw .malformed(String(text))
            case .infinite: throw .infinite(String(text))
            case .tooLarge: throw .tooLarge(String(text))
            case .tooPrecise: throw .tooPrecise(String(text))
            }
        }
    }

    /// The parser proper; errors carry no text (the caller adds it).
    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Result<MetricValue, MetricValueError> {
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        if i < b.count, !isDigit(b[i]), b[i] != UInt8(ascii: ".") {
            // Go's float syntax also has words: NaN and Inf / Infinity, in any case.
            let word = String(decoding: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self).lowercased()
            if word == "nan" { return .failure(.notANumber) }
            if word == "inf" || word == "infinity" { return .failure(.infinite("")) }
            return .failure(.malformed(""))
        }

        // The mantissa: digits with at most one point. Note the first and last non-zero digits.
        let mantissaStart = i
        var digitCount = 0, fractionDigits = 0
        var firstNonZero = -1, lastNonZero = -1
        var sawPoint = false
        while i < b.count {
            let c = b[i]
            if isDigit(c) {
                if c != 48 {
                    if firstNonZero < 0 { firstNonZero = digitCount }
                    lastNonZero = digitCount
                }
                digitCount += 1
                if sawPoint { fractionDigits += 1 }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        let mantissaEnd = i
        guard digitCount > 0 else { return .failure(.malformed("")) }

        var exponent = 0
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                exponentNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            let start = i
            while i < b.count, isDigit(b[i]) {
                exponent = min(exponent * 10 + Int(b[i] - 48), 1_000_000)   // saturate: far beyond any limit
                i += 1
            }
            guard i > start else { return .failure(.malformed("")) }
            if exponentNegative { exponent = -exponent }
        }
        guard i == b.count else { return .failure(.malformed("")) }
        if firstNonZero < 0 { return .success(MetricValue(0)) }

        // value = (the significant digits) × 10^power.
        let significant = lastNonZero - firstNonZero + 1
        let power = exponent - fractionDigits + (digitCount - 1 - lastNonZero)
        guard power >= -maxFractionDigits else { return .failure(.tooPrecise("")) }
        guard significant + power <= 20 else { return .failure(.tooLarge("")) }
        // Now significant ≤ 38, so the coefficient fits in an Int128 (10^38 − 1 < 1.7 × 10^38).
        var coefficient: Int128 = 0
        var index = 0
        for k in mantissaStart..<mantissaEnd where isDigit(b[k]) {
            if index >= firstNonZero, index <= lastNonZero { coefficient = coefficient * 10 + Int128(b[k] - 48) }
            index += 1
        }
        if negative { coefficient = -coefficient }
        var scale: Int128 = 1
        for _ in 0..<abs(power) { scale *= 10 }
        return .success(MetricValue(unchecked: power >= 0 ? Ratio(coefficient * scale, 1) : Ratio(coefficient, scale)))
    }

    /// Compares over the common denominator: both denominators divide 10^18 and both magnitudes are below
    /// 10^20, so the scaled numerators stay below 10^38 and `Ratio`'s cross-multiplication cannot overflow.
    public static func < (a: MetricValue, b: MetricValue) -> Bool {
        let (x, y) = (a.exact, b.exact)
        if x.denominator == y.denominator { return x.numerator < y.numerator }
        let lcm = x.denominator / Checked.gcd(x.denominator, y.denominator) * y.denominator
        return x.numerator * (lcm / x.denominator) < y.numerator * (lcm / y.denominator)
    }

    /// Exact decimal text: `1027`, `0.25`, `-0.005`. The denominator divides 10^18 and the magnitude is below
    /// 10^20, so the scaled numerator (below 10^38) fits in 128 bits: no rounding, no overflow.
    public var description: String {
        var places = 0
        var power: Int128 = 1
        while power % exact.denominator != 0 { power *= 10; places += 1 }
        return DecimalText.format(scaled: exact.numerator * (power / exact.denominator), places: places)
    }
}

/// Why a sample value's text was rejected.
public enum MetricValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case notANumber
    case infinite(String)
    case tooLarge(String)
    case tooPrecise(String)

    public var description: String {
        switch self {
        case let .malformed(text): "not a number: \"\(text)\""
        case .notANumber: "NaN is not a sample value"
        case let .infinite(text): "an infinite value (\"\(text)\") is not a sample value"
        case let .tooLarge(text): "value \"\(text)\" is too large (the limit is 1e20)"
        case let .tooPrecise(text): "value \"\(text)\" has more than \(MetricValue.maxFractionDigits) decimal places"
        }
    }
}

/// A histogram bucket's upper bound, the `le` label: a finite value or `+Inf`.
public enum BucketBound: Hashable, Comparable, Sendable, CustomStringConvertible {
    case finite(MetricValue)
    case infinity

    /// Parses `le` label text: `0.005`, `1e0`, `.2`, `-0.1`, `+Inf` (also `Inf`, `+inf`, `+Infinity`, as Go's
    /// float parser reads them). nil for NaN, `-Inf` and anything malformed.
    public static func parse(_ text: Substring) -> BucketBound? {
        var word = text.lowercased()
        if word.hasPrefix("+") { word.removeFirst() }
        if word == "inf" || word == "infinity" { return .infinity }
        return MetricValue.parse(text).map { .finite($0) }
    }

    public static func < (a: BucketBound, b: BucketBound) -> Bool {
        switch (a, b) {
        case let (.finite(x), .finite(y)): x < y
        case (.finite, .infinity): true
        case (.infinity, _): false
        }
    }

    public var description: String {
        switch self {
        case let .finite(v): v.description
        case .infinity: "+Inf"
        }
    }
}
