/// The UTC offsets of one IANA time zone, read from its compiled TZif data (RFC 8536).
///
/// Calc never asks the operating system for a time zone: the caller reads
/// `/usr/share/zoneinfo/NAME` and hands the bytes in, so results depend only on that data.
public struct Zone: Sendable, Equatable {
    public let identifier: String
    /// UTC instants (seconds) at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[i]` holds before `transitions[i]`; the last one holds after the last transition
    /// unless a POSIX rule takes over.
    let offsets: [Int64]
    /// `abbreviations[i]` names `offsets[i]` (`CEST`, `+03`).
    let abbreviations: [String]
    let rule: PosixRule?

    public static let utc = Zone(identifier: "UTC", transitions: [], offsets: [0], abbreviations: ["UTC"], rule: nil)

    init(identifier: String, transitions: [Int64], offsets: [Int64], abbreviations: [String], rule: PosixRule?) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
        self.abbreviations = abbreviations
        self.rule = rule
    }

    /// A zone with a fixed offset, for tests; its abbreviation is `+HH:MM`.
    public static func fixed(_ identifier: String, offsetSeconds: Int64) -> Zone {
        Zone(identifier: identifier, transitions: [], offsets: [offsetSeconds],
             abbreviations: [numericOffset(offsetSeconds)], rule: nil)
    }

    public init(identifier: String, tzif bytes: [UInt8]) throws(TimeParseError) {
        var reader = TZifReader(bytes: bytes)
        (transitions, offsets, abbreviations, rule) = try reader.read()
        self.identifier = identifier
    }

    /// The offset from UTC at a UTC instant, in milliseconds.
    public func offsetMillis(at t: Millis) -> Millis { offset(atSecond: floorDiv(t, 1000)) * 1000 }

    /// The zone's name for its offset at a UTC instant, as the tz database gives it (`CEST`, `CET`, `EDT`; `+03` for
    /// zones without letters); `+HH:MM` when the data names none.
    public func abbreviation(at t: Millis) -> String {
        let seconds = floorDiv(t, 1000)
        if let rule, transitions.isEmpty || seconds >= transitions.last! {
            if let name = rule.name(atUTCSecond: seconds) { return name }
            return Self.numericOffset(rule.offset(atUTCSecond: seconds))
        }
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid] <= seconds { lo = mid + 1 } else { hi = mid }
        }
        let name = lo < abbreviations.count ? abbreviations[lo] : ""
        return name.isEmpty ? Self.numericOffset(offsets[lo]) : name
    }

    /// `+02:00`, `-03:30`, `+00:00`.
    static func numericOffset(_ seconds: Int64) -> String {
        let minutes = abs(seconds) / 60
        let hh = minutes / 60, mm = minutes % 60
        return (seconds < 0 ? "-" : "+") + (hh < 10 ? "0" : "") + String(hh) + ":" + (mm < 10 ? "0" : "") + String(mm)
    }

    /// The offset from UTC, in seconds, at a UTC instant (seconds).
    func offset(atSecond t: Int64) -> Int64 {
        if let rule, let last = transitions.last, t >= last { return rule.offset(atUTCSecond: t) }
        if transitions.isEmpty, let rule { return rule.offset(atUTCSecond: t) }
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return offsets[lo]
    }

    /// The local calendar date at a UTC instant.
    public func localDate(at t: Millis) -> CivilDate {
        let seconds = floorDiv(t, 1000)
        return CivilDate(daysSinceEpoch: Int(floorDiv(seconds + offset(atSecond: seconds), 86400)))
    }

    /// The UTC instant of local midnight starting `date`. When midnight falls in a gap, the first
    /// local instant after it; when it occurs twice, the earlier one.
    public func startOfDay(_ date: CivilDate) -> Millis {
        let local = Int64(date.daysSinceEpoch) * 86400
        let candidates = Set([offset(atSecond: local - 86400), offset(atSecond: local), offset(atSecond: local + 86400)])
        let valid = candidates.filter { offset(atSecond: local - $0) == $0 }.map { local - $0 }
        if let earliest = valid.min() { return earliest * 1000 }
        // In a gap: the instant the clocks jumped.
        let before = candidates.min()!
        var u = local - candidates.max()!
        while offset(atSecond: u) != offset(atSecond: local - before), u < local - before { u += 1 }
        return u * 1000
    }
}

/// A POSIX TZ footer such as `CET-1CEST,M3.5.0,M10.5.0/3`, for instants past the last transition.
struct PosixRule: Sendable, Equatable {
    var standardOffset: Int64
    /// The rule's names for standard and daylight time (`CET`, `CEST`; `+03` from `<+03>`); empty when absent.
    var standardName = ""
    var daylightName = ""
    var daylight: (offset: Int64, start: DayRule, startTime: Int64, end: DayRule, endTime: Int64)?

    struct DayRule: Sendable, Equatable { var month: Int, week: Int, weekday: Int }

    static func == (a: PosixRule, b: PosixRule) -> Bool {
        a.standardOffset == b.standardOffset && a.standardName == b.standardName && a.daylightName == b.daylightName
            && a.daylight?.offset == b.daylight?.offset
            && a.daylight?.start == b.daylight?.start && a.daylight?.startTime == b.daylight?.startTime
            && a.daylight?.end == b.daylight?.end && a.daylight?.endTime == b.daylight?.endTime
    }

    func offset(atUTCSecond t: Int64) -> Int64 {
        isDaylight(atUTCSecond: t) ? daylight!.offset : standardOffset
    }

    /// The abbreviation in force at `t`, nil when the rule gives none.
    func name(atUTCSecond t: Int64) -> String? {
        let name = isDaylight(atUTCSecond: t) ? daylightName : standardName
        return name.isEmpty ? nil : name
    }

    func isDaylight(atUTCSecond t: Int64) -> Bool {
        guard let dst = daylight else { return false }
        let year = CivilDate(daysSinceEpoch: Int(floorDiv(t + standardOffset, 86400))).year
        // Start is given in standard local time, end in daylight local time.
        let start = Int64(dst.start.date(in: year).daysSinceEpoch) * 86400 + dst.startTime - standardOffset
        let end = Int64(dst.end.date(in: year).daysSinceEpoch) * 86400 + dst.endTime - dst.offset
        return start < end ? (t >= start && t < end) : !(t >= end && t < start)
    }

    /// Parses the footer; only the `Mm.w.d` day form, which every current zone uses, is accepted.
    init(_ text: String) throws(TimeParseError) {
        var s = Substring(text)
        func name() throws(TimeParseError) -> String {
            if s.first == "<" {
                guard let close = s.firstIndex(of: ">") else { throw TimeParseError("bad TZ rule \(text)") }
                let quoted = String(s[s.index(after: s.startIndex)..<close])
                s = s[s.index(after: close)...]
                return quoted
            } else {
                let n = s.prefix(while: { $0.isLetter })
                guard n.count >= 3 else { throw TimeParseError("bad TZ rule \(text)") }
                s = s.dropFirst(n.count)
                return String(n)
            }
        }
        func time() throws(TimeParseError) -> Int64 {
            var sign: Int64 = 1
            if s.first == "-" { sign = -1; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
            var parts: [Int64] = []
            repeat {
                if !parts.isEmpty { s = s.dropFirst() }
                let d = s.prefix(while: { $0.isASCII && $0.isNumber })
                guard !d.isEmpty, let v = Int64(d) else { throw TimeParseError("bad TZ rule \(text)") }
                parts.append(v)
                s = s.dropFirst(d.count)
            } while s.first == ":" && parts.count < 3
            let seconds = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
            return sign * seconds
        }
        func day() throws(TimeParseError) -> (DayRule, Int64) {
            guard s.first == "M" else { throw TimeParseError("unsupported TZ rule \(text)") }
            s = s.dropFirst()
            var nums: [Int] = []
            for i in 0..<3 {
                if i > 0 { guard s.first == "." else { throw TimeParseError("bad TZ rule \(text)") }; s = s.dropFirst() }
                let d = s.prefix(while: { $0.isASCII && $0.isNumber })
                guard let v = Int(d) else { throw TimeParseError("bad TZ rule \(text)") }
                nums.append(v)
                s = s.dropFirst(d.count)
            }
            var at: Int64 = 7200
            if s.first == "/" { s = s.dropFirst(); at = try time() }
            return (DayRule(month: nums[0], week: nums[1], weekday: nums[2]), at)
        }
        standardName = try name()
        standardOffset = -(try time())
        guard !s.isEmpty else { daylight = nil; return }
        daylightName = try name()
        var dstOffset = standardOffset + 3600
        if s.first != "," { dstOffset = -(try time()) }
        guard s.first == "," else { throw TimeParseError("bad TZ rule \(text)") }
        s = s.dropFirst()
        let (start, startTime) = try day()
        guard s.first == "," else { throw TimeParseError("bad TZ rule \(text)") }
        s = s.dropFirst()
        let (end, endTime) = try day()
        guard s.isEmpty else { throw TimeParseError("bad TZ rule \(text)") }
        daylight = (dstOffset, start, startTime, end, endTime)
    }
}

extension PosixRule.DayRule {
    /// The `week`-th (5 = last) `weekday` of `month` in `year`.
    func date(in year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)
        var day = 1 + (weekday - first.weekday + 7) % 7 + (week - 1) * 7
        while day > CivilDate.daysInMonth(year: year, month: month) { day -= 7 }
        return CivilDate(year: year, month: month, day: day)
    }
}

/// Reads the version 2+ (64-bit) body of a TZif file and its footer.
private struct TZifReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func read() throws(TimeParseError) -> ([Int64], [Int64], [String], PosixRule?) {
        let header = try readHeader()
        guard header.version >= 2 else { throw TimeParseError("TZif version 1 is not supported") }
        position += header.count.timeCount * 5 + header.count.typeCount * 6 + header.count.charCount
            + header.count.leapCount * 8 + header.count.isStdCount + header.count.isUTCount
        let c = try readHeader().count
        var transitions: [Int64] = []
        for _ in 0..<c.timeCount { transitions.append(try int(8)) }
        var typeIndex: [Int] = []
        for _ in 0..<c.timeCount { typeIndex.append(Int(try int(1)) & 0xFF) }
        var typeOffsets: [Int64] = []
        var typeIsDST: [Bool] = []
        var typeNameIndex: [Int] = []
        for _ in 0..<c.typeCount {
            typeOffsets.append(try int(4))
            typeIsDST.append(try int(1) != 0)
            typeNameIndex.append(Int(try int(1)) & 0xFF)
        }
        guard position + c.charCount <= bytes.count else { throw TimeParseError("truncated TZif data") }
        let chars = Array(bytes[position..<position + c.charCount])
        // Each type's abbreviation: the NUL-terminated text at its index into the characters.
        let typeNames = typeNameIndex.map { start -> String in
            guard start < chars.count else { return "" }
            let end = chars[start...].firstIndex(of: 0) ?? chars.count
            return String(decoding: chars[start..<end], as: UTF8.self)
        }
        position += c.charCount + c.leapCount * 12 + c.isStdCount + c.isUTCount
        guard !typeOffsets.isEmpty, typeIndex.allSatisfy({ $0 < typeOffsets.count }) else {
            throw TimeParseError("corrupt TZif data")
        }
        // Before the first transition: the first standard-time type (RFC 8536 §3.2), else type 0.
        let initialType = typeIsDST.firstIndex(of: false) ?? 0
        var offsets = [typeOffsets[initialType]]
        offsets += typeIndex.map { typeOffsets[$0] }
        var names = [typeNames[initialType]]
        names += typeIndex.map { typeNames[$0] }
        var rule: PosixRule? = nil
        if position < bytes.count, bytes[position] == 10 {
            let rest = bytes[(position + 1)...]
            if let end = rest.firstIndex(of: 10), end > position + 1 {
                rule = try PosixRule(String(decoding: bytes[(position + 1)..<end], as: UTF8.self))
            }
        }
        return (transitions, offsets, names, rule)
    }

    struct Counts { var isUTCount = 0, isStdCount = 0, leapCount = 0, timeCount = 0, typeCount = 0, charCount = 0 }

    mutating func readHeader() throws(TimeParseError) -> (version: Int, count: Counts) {
        guard position + 44 <= bytes.count, bytes[position..<position + 4].elementsEqual("TZif".utf8) else {
            throw TimeParseError("not TZif data")
        }
        let v = bytes[position + 4]
        position += 20
        var c = Counts()
        c.isUTCount = Int(try int(4)); c.isStdCount = Int(try int(4)); c.leapCount = Int(try int(4))
        c.timeCount = Int(try int(4)); c.typeCount = Int(try int(4)); c.charCount = Int(try int(4))
        return (v == 0 ? 1 : Int(v) - 48, c)
    }

    mutating func int(_ width: Int) throws(TimeParseError) -> Int64 {
        guard position + width <= bytes.count else { throw TimeParseError("truncated TZif data") }
        var v: UInt64 = 0
        for b in bytes[position..<position + width] { v = v << 8 | UInt64(b) }
        position += width
        let shift = UInt64(64 - width * 8)
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }
}
