/// A reporting period: a calendar month, a (fiscal) quarter, or a custom run of whole days.
public struct Period: Equatable, Sendable {
    public enum Kind: String, Sendable { case month, quarter, custom }

    public var kind: Kind
    /// The canonical name: `2026-10`, `2026-Q4`, `2026-10-01..2026-10-15`.
    public var label: String
    public var firstDay: CivilDate
    /// Inclusive.
    public var lastDay: CivilDate
    public var interval: Interval
    /// The calendar months the period touches, each with its part inside the period.
    public var months: [MonthSlice]

    public struct MonthSlice: Equatable, Sendable {
        /// The first day of the month.
        public var month: CivilDate
        /// The whole calendar month.
        public var monthInterval: Interval
        /// The part of the month inside the period.
        public var interval: Interval
        /// `2026-10`.
        public var label: String { String(month.description.prefix(7)) }
    }

    init(kind: Kind, label: String, firstDay: CivilDate, lastDay: CivilDate, zone: Zone) {
        self.kind = kind
        self.label = label
        self.firstDay = firstDay
        self.lastDay = lastDay
        interval = Interval(start: zone.startOfDay(firstDay), end: zone.startOfDay(lastDay.adding(days: 1)))
        var slices: [MonthSlice] = []
        var month = firstDay.firstOfMonth(adding: 0)
        while month <= lastDay {
            let whole = Interval(start: zone.startOfDay(month), end: zone.startOfDay(month.firstOfMonth(adding: 1)))
            slices.append(MonthSlice(month: month, monthInterval: whole, interval: whole.clipped(to: interval)))
            month = month.firstOfMonth(adding: 1)
        }
        months = slices
    }

    /// The period of the same kind just before this one (the previous month or fiscal quarter); nil for a
    /// custom period, which has no natural predecessor.
    public func previous(zone: Zone, fiscalYearStartMonth: Int) -> Period? {
        switch kind {
        case .month: return PeriodSpec.month(firstDay.firstOfMonth(adding: -1), zone: zone)
        case .quarter:
            let first = firstDay.firstOfMonth(adding: -3)
            let monthsIntoFiscal = first.year * 12 + first.month - 1 - (fiscalYearStartMonth - 1)
            let fiscalYear = monthsIntoFiscal >= 0 ? monthsIntoFiscal / 12 : (monthsIntoFiscal - 11) / 12
            let quarter = (monthsIntoFiscal - fiscalYear * 12) / 3 + 1
            return PeriodSpec.quarter(fiscalYear: fiscalYear, quarter: quarter, startMonth: fiscalYearStartMonth, zone: zone)
        case .custom: return nil
        }
    }

    /// The interval covering every whole month the period touches.
    public var wholeMonths: Interval {
        Interval(start: months.first!.monthInterval.start, end: months.last!.monthInterval.end)
    }
}

/// The `--period` argument before it is resolved against a zone and "now".
public enum PeriodSpec: Equatable, Sendable {
    case month(year: Int, month: Int)
    case quarter(fiscalYear: Int, quarter: Int)
    case custom(first: CivilDate, last: CivilDate)
    case lastMonth
    case lastQuarter

    /// Parses `2026-10`, `2026-Q4`, `2026-10-01..2026-10-15`, `last-month`, `last-quarter`.
    public init(_ text: String) throws(TimeParseError) {
        let usage = TimeParseError(
            "not a period: \"\(text)\" (expected YYYY-MM, YYYY-Qn, YYYY-MM-DD..YYYY-MM-DD, last-month or last-quarter)")
        switch text {
        case "last-month": self = .lastMonth; return
        case "last-quarter": self = .lastQuarter; return
        default: break
        }
        let bytes = Array(text.utf8)
        if bytes.count == 22, bytes[10] == UInt8(ascii: "."), bytes[11] == UInt8(ascii: ".") {
            let s = Substring(text)
            guard let a = CivilDate(iso: s.prefix(10)), let b = CivilDate(iso: s.suffix(10)) else { throw usage }
            guard a <= b else { throw TimeParseError("period \"\(text)\" ends before it starts") }
            self = .custom(first: a, last: b)
        } else if bytes.count == 7, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "Q"),
                  let y = Digits.value(bytes[0..<4]), let q = Digits.value(bytes[6..<7]), (1...4).contains(q) {
            self = .quarter(fiscalYear: y, quarter: q)
        } else if bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
                  let y = Digits.value(bytes[0..<4]), let m = Digits.value(bytes[5..<7]), (1...12).contains(m) {
            self = .month(year: y, month: m)
        } else {
            throw usage
        }
        let years: ClosedRange<Int>
        switch self {
        case let .custom(a, b): years = a.year...b.year
        case let .month(y, _), let .quarter(y, _): years = y...y
        case .lastMonth, .lastQuarter: return
        }
        guard PeriodSpec.years.contains(years.lowerBound), PeriodSpec.years.contains(years.upperBound) else {
            throw TimeParseError("period \"\(text)\" is outside the years \(PeriodSpec.years.lowerBound) to "
                                 + "\(PeriodSpec.years.upperBound), where no monitoring data can be")
        }
    }

    /// The years a period may name: a report over `0001-01-01..9999-12-31` would build 120 000 months of empty
    /// timelines (2.2 GB) for data that cannot exist.
    public static let years = 1970...2100

    /// Resolves to concrete days in `zone`; `now` is only used by the relative forms.
    public func resolve(zone: Zone, fiscalYearStartMonth: Int, now: Millis) -> Period {
        let today = zone.localDate(at: now)
        switch self {
        case let .month(year, month):
            return Self.month(CivilDate(year: year, month: month, day: 1), zone: zone)
        case let .quarter(fy, q):
            return Self.quarter(fiscalYear: fy, quarter: q, startMonth: fiscalYearStartMonth, zone: zone)
        case let .custom(first, last):
            return Period(kind: .custom, label: "\(first)..\(last)", firstDay: first, lastDay: last, zone: zone)
        case .lastMonth:
            return Self.month(today.firstOfMonth(adding: -1), zone: zone)
        case .lastQuarter:
            let monthsIntoFiscal = today.year * 12 + today.month - 1 - (fiscalYearStartMonth - 1)
            let index = (monthsIntoFiscal >= 0 ? monthsIntoFiscal / 3 : (monthsIntoFiscal - 2) / 3) - 1
            let fy = index >= 0 ? index / 4 : (index - 3) / 4
            return Self.quarter(fiscalYear: fy, quarter: index - fy * 4 + 1, startMonth: fiscalYearStartMonth, zone: zone)
        }
    }

    static func month(_ first: CivilDate, zone: Zone) -> Period {
        let last = first.firstOfMonth(adding: 1).adding(days: -1)
        return Period(kind: .month, label: String(first.description.prefix(7)), firstDay: first, lastDay: last, zone: zone)
    }

    static func quarter(fiscalYear: Int, quarter: Int, startMonth: Int, zone: Zone) -> Period {
        let first = CivilDate(year: fiscalYear, month: startMonth, day: 1).firstOfMonth(adding: 3 * (quarter - 1))
        let last = first.firstOfMonth(adding: 3).adding(days: -1)
        return Period(kind: .quarter, label: "\(Digits.pad(fiscalYear, 4))-Q\(quarter)", firstDay: first, lastDay: last, zone: zone)
    }
}
