/// Milliseconds since the Unix epoch (UTC). All instants in slareport are this type.
public typealias Millis = Int64

public enum Duration {
    public static let second: Millis = 1000
    public static let minute: Millis = 60_000
    public static let hour: Millis = 3_600_000
    public static let day: Millis = 86_400_000
}

/// Why a timestamp or duration text was rejected; the column offset is relative to the text.
public struct TimeParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

public enum Timestamp {
    /// Parses RFC 3339 (`2026-10-01T00:00:00Z`, `…+02:00`, fractional seconds kept to the millisecond)
    /// or Unix epoch seconds (`1790812800`, `1790812800.5`). A date-time without an offset is an error.
    public static func parse(_ text: Substring) throws(TimeParseError) -> Millis {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw TimeParseError("empty timestamp") }
        if bytes.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
           !bytes.dropFirst().contains(UInt8(ascii: "-")) {
            return try parseEpochSeconds(bytes, text: text)
        }
        return try parseRFC3339(bytes, text: text)
    }

    /// The common case of epoch seconds without allocating (a Prometheus response has one per sample): 1 to 12 digits,
    /// optionally a `.` and digits, truncated to the millisecond as `parse` does. nil for anything else (a sign, an
    /// exponent, a bare `.`), which `parse` then reads or refuses.
    public static func epochMillisFast(_ text: String) -> Millis? {
        var whole: Int64 = 0, wholeDigits = 0, fraction: Int64 = 0, fractionDigits = 0, inFraction = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                if inFraction { return nil }
                inFraction = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if inFraction {
                if fractionDigits < 3 { fraction = fraction * 10 + digit }
                fractionDigits += 1
            } else {
                wholeDigits += 1
                guard wholeDigits <= 12 else { return nil }
                whole = whole * 10 + digit
            }
        }
        guard wholeDigits > 0, !inFraction || fractionDigits > 0 else { return nil }
        for _ in min(fractionDigits, 3)..<3 { fraction *= 10 }
        return whole * 1000 + fraction
    }

    private static func parseEpochSeconds(_ bytes: [UInt8], text: Substring) throws(TimeParseError) -> Millis {
        var i = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { i = 1 }
        let parts = bytes[i...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, (1...12).contains(parts[0].count), let whole = Digits.value(parts[0]) else {
            throw TimeParseError("not a timestamp: \"\(text)\"")
        }
        var millis = Int64(whole) * 1000
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw TimeParseError("not a timestamp: \"\(text)\"")
            }
            let digits = Array(frac.prefix(3)) + Array(repeating: UInt8(ascii: "0"), count: max(0, 3 - frac.count))
            millis += Int64(Digits.value(digits[0..<3])!)
            // Sub-millisecond digits truncate toward the earlier millisecond, like the RFC 3339 path.
            if negative, frac.dropFirst(3).contains(where: { $0 != UInt8(ascii: "0") }) { millis += 1 }
        }
        return negative ? -millis : millis
    }

    private static func parseRFC3339(_ b: [UInt8], text: Substring) throws(TimeParseError) -> Millis {
        func bad() -> TimeParseError { TimeParseError("not an RFC 3339 timestamp: \"\(text)\"") }
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = Digits.value(b[0..<4]), let month = Digits.value(b[5..<7]), let day = Digits.value(b[8..<10]),
              let hour = Digits.value(b[11..<13]), let minute = Digits.value(b[14..<16]), let second = Digits.value(b[17..<19])
        else { throw bad() }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60
        else { throw TimeParseError("date or time out of range: \"\(text)\"") }
        var i = 19
        var millis = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start else { throw bad() }
            var scale = 100
            for d in b[start..<min(i, start + 3)] { millis += Int(d - 48) * scale; scale /= 10 }
        }
        guard i < b.count else { throw TimeParseError("timestamp has no UTC offset: \"\(text)\"") }
        var offsetSeconds = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard b.count - i == 6, b[i + 3] == UInt8(ascii: ":"),
                  let oh = Digits.value(b[(i + 1)..<(i + 3)]), let om = Digits.value(b[(i + 4)..<(i + 6)]),
                  oh < 24, om < 60
            else { throw bad() }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            throw bad()
        }
        guard i == b.count else { throw bad() }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1000 + Int64(millis)
    }

    /// Formats an instant as RFC 3339 in UTC: `2026-10-01T00:00:00Z`, with `.mmm` only when not whole seconds.
    public static func format(_ t: Millis) -> String {
        let days = Int(floorDiv(t, Duration.day))
        let msOfDay = Int(t - Int64(days) * Duration.day)
        let date = CivilDate(daysSinceEpoch: days)
        guard (0...9999).contains(date.year) else { return formatByParts(date: date, msOfDay: msOfDay) }
        // Reports print an instant per incident, credit line and violation: write the fixed-width text straight
        // into the string's storage (one allocation) rather than joining a dozen small strings.
        let secondsOfDay = msOfDay / 1000, ms = msOfDay % 1000
        let length = ms == 0 ? 20 : 24
        return String(unsafeUninitializedCapacity: length) { text in
            func put(_ value: Int, width: Int, at start: Int) {
                var value = value
                for i in (start..<start + width).reversed() {
                    text[i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(date.year, width: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(date.month, width: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(date.day, width: 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(secondsOfDay / 3600, width: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(secondsOfDay / 60 % 60, width: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(secondsOfDay % 60, width: 2, at: 17)
            if ms != 0 {
                text[19] = UInt8(ascii: ".")
                put(ms, width: 3, at: 20)
            }
            text[length - 1] = UInt8(ascii: "Z")
            return length
        }
    }

    /// The same text for years outside 0…9999, whose width is not fixed.
    static func formatByParts(date: CivilDate, msOfDay: Int) -> String {
        let secondsOfDay = msOfDay / 1000
        var s = date.description + "T" + Digits.pad(secondsOfDay / 3600, 2) + ":" + Digits.pad(secondsOfDay / 60 % 60, 2)
            + ":" + Digits.pad(secondsOfDay % 60, 2)
        if msOfDay % 1000 != 0 { s += "." + Digits.pad(msOfDay % 1000, 3) }
        return s + "Z"
    }

    /// Parses a duration such as `5m`, `90s`, `1h30m`, `24h`, `2d`, `250ms`.
    public static func parseDuration(_ text: Substring) throws(TimeParseError) -> Millis {
        let b = Array(text.utf8)
        guard !b.isEmpty else { throw TimeParseError("empty duration") }
        var i = 0
        var total: Int64 = 0
        while i < b.count {
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start, i - start <= 12, let n = Digits.value(b[start..<i]) else {
                throw TimeParseError("not a duration: \"\(text)\" (expected e.g. 5m, 1h30m, 24h, 250ms)")
            }
            let unitStart = i
            while i < b.count, !(b[i] >= 48 && b[i] <= 57) { i += 1 }
            let unit: Millis
            switch String(decoding: b[unitStart..<i], as: UTF8.self) {
            case "ms": unit = 1
            case "s": unit = Duration.second
            case "m": unit = Duration.minute
            case "h": unit = Duration.hour
            case "d": unit = Duration.day
            case "w": unit = 7 * Duration.day
            default: throw TimeParseError("not a duration: \"\(text)\" (units: ms, s, m, h, d, w)")
            }
            let (part, overflow) = Int64(n).multipliedReportingOverflow(by: unit)
            let (sum, overflowSum) = total.addingReportingOverflow(part)
            guard !overflow, !overflowSum else { throw TimeParseError("not a duration: \"\(text)\" (too large)") }
            total = sum
        }
        return total
    }
}

/// Floor division for possibly negative instants.
@inlinable public func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
