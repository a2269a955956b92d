/// An exact amount of money: a whole number of minor units (cents, fils, yen) of one currency.
///
/// Amounts are rounded to the minor unit exactly once, where they are made from an exact `Ratio`;
/// after that they only add and subtract, so every total adds up to the last minor unit (§5.5.4).
/// Arithmetic is overflow-checked (an overflow throws `ArithmeticOverflowError`, never wraps) and never mixes
/// currencies (a report has one currency, so mixing is a programming error, and traps).
public struct Money: Equatable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in the currency's minor unit: 123450 is `1234.50` USD, `1234` JPY, `123.450` KWD.
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Nothing, in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Rounds an exact amount once to the currency's minor unit (`12.345` USD → `12.34` half-even,
    /// `12.35` half-up). Throws if the result does not fit in 64-bit minor units (about 9.2 × 10^16 USD).
    public init(rounding ratio: Ratio, currency: Currency, rounding: Rounding) throws(ArithmeticOverflowError) {
        let scaled = try ratio.scaled(places: currency.minorUnitDigits, rounding: rounding)
        guard let units = Int64(exactly: scaled) else { throw ArithmeticOverflowError() }
        self.init(minorUnits: units, currency: currency)
    }

    /// Reads decimal text such as `1234.50`, `-8.90`, `1200` or `1.5`: an optional `-`, digits, and
    /// optionally `.` and at most the currency's minor-unit digits. No `+`, exponent, grouping, spaces
    /// or currency symbol; more decimals than the currency has (`12.345` USD, `1235.0` JPY) is an
    /// error rather than a silent rounding.
    public init(parsing text: Substring, currency: Currency) throws(MoneyParseError) {
        let places = currency.minorUnitDigits
        let bytes = Array(text.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        var i = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { i = 1 }
        let wholeStart = i
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        let whole = bytes[wholeStart..<i]
        var fraction: ArraySlice<UInt8> = []
        var wellFormed = !whole.isEmpty
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            fraction = bytes[fractionStart..<i]
            wellFormed = wellFormed && !fraction.isEmpty   // `12.` is not an amount
        }
        guard wellFormed, i == bytes.count else {
            throw MoneyParseError("not an amount: \"\(text)\" (expected digits with an optional - and decimal point, e.g. 1234.50)")
        }
        guard fraction.count <= places else {
            throw MoneyParseError(
                "too many decimals in \"\(text)\": \(currency.code) has \(places) minor-unit digit\(places == 1 ? "" : "s")")
        }
        // Accumulate whole digits, then the decimals padded to `places`: "1.5" USD → 150.
        let digits = Array(whole) + Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: places - fraction.count)
        var units: Int64 = 0
        for d in digits {
            let (times10, o1) = units.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(d - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw MoneyParseError("amount out of range: \"\(text)\"") }
            units = next
        }
        self.init(minorUnits: negative ? -units : units, currency: currency)
    }

    /// The exact value in major units: 123450 cents → 123450/100.
    public var ratio: Ratio {
        var scale: Int128 = 1
        for _ in 0..<currency.minorUnitDigits { scale *= 10 }
        return Ratio(Int128(minorUnits), scale)
    }

    /// The amount with exactly the currency's minor-unit digits, no grouping and no symbol:
    /// `1234.50`, `-8.90`, `0.00`, `1235` (JPY), `1.234` (KWD).
    public var formatted: String {
        DecimalText.format(scaled: Int128(minorUnits), places: currency.minorUnitDigits)
    }

    /// `1234.50 USD`, for diagnostics and test failures; reports use `formatted` and the code separately.
    public var description: String { formatted + " " + currency.code }

    public var isNegative: Bool { minorUnits < 0 }

    // Sums of many credit lines can leave 64 bits with absurd fees: that is bad input, so it throws.

    public static func + (a: Money, b: Money) throws(ArithmeticOverflowError) -> Money {
        let currency = sameCurrency(a, b, "+")
        let (sum, overflow) = a.minorUnits.addingReportingOverflow(b.minorUnits)
        if overflow { throw ArithmeticOverflowError() }
        return Money(minorUnits: sum, currency: currency)
    }

    public static func - (a: Money, b: Money) throws(ArithmeticOverflowError) -> Money {
        let currency = sameCurrency(a, b, "-")
        let (difference, overflow) = a.minorUnits.subtractingReportingOverflow(b.minorUnits)
        if overflow { throw ArithmeticOverflowError() }
        return Money(minorUnits: difference, currency: currency)
    }

    public static prefix func - (a: Money) throws(ArithmeticOverflowError) -> Money {
        if a.minorUnits == .min { throw ArithmeticOverflowError() }
        return Money(minorUnits: -a.minorUnits, currency: a.currency)
    }

    public static func += (a: inout Money, b: Money) throws(ArithmeticOverflowError) { a = try a + b }
    public static func -= (a: inout Money, b: Money) throws(ArithmeticOverflowError) { a = try a - b }

    /// Orders amounts of one currency; comparing different currencies traps.
    public static func < (a: Money, b: Money) -> Bool {
        _ = sameCurrency(a, b, "<")
        return a.minorUnits < b.minorUnits
    }

    /// The sum of `amounts`, all in `currency`; zero when there are none.
    public static func sum<S: Sequence>(_ amounts: S,
                                        currency: Currency) throws(ArithmeticOverflowError) -> Money where S.Element == Money {
        var total = zero(currency)
        for amount in amounts { total = try total + amount }
        return total
    }

    private static func sameCurrency(_ a: Money, _ b: Money, _ operation: String) -> Currency {
        precondition(a.currency == b.currency, "money in different currencies: \(a) \(operation) \(b)")
        return a.currency
    }
}

/// Why a money text was rejected.
public struct MoneyParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
