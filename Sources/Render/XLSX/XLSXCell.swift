import Calc

/// One typed cell of the XLSX report. Values stay exact (`Ratio`, `Money`, `Millis`) until they are
/// written; the only `Double` is the final cell value, made from the decimal text the other formats show.
enum XLSXCell {
    /// User or report text (ids, names, states). Always written as a string, never as a formula.
    case text(String)
    /// A count or a duration in milliseconds, shown with thousands separators.
    case integer(Int64)
    /// A percentage with 4 decimals (half-even, as in CSV/JSON); nil is "no data", a blank cell.
    case percent(Ratio?)
    /// Latency (ms) or throughput (requests/s) with 3 decimals.
    case decimal3(Ratio)
    /// Money with its currency's minor-unit digits and a currency number format.
    case money(Money)
    /// An instant, as an Excel date-time in UTC.
    case instant(Millis)
    /// A local calendar day, as an Excel date.
    case day(CivilDate)
    /// A `=SUM(...)` over a column of this sheet, with the value it adds up to stored as the cached result
    /// (readers that do not recalculate show it). `cached` is `.money` or `.integer`.
    indirect case sum(range: String, cached: XLSXCell)
    /// Nothing.
    case blank
}

/// How a cell looks besides its number format.
enum XLSXStyle: Hashable {
    case body
    /// The bold header row of a table; over a column of numbers it is right-aligned like them.
    case header
    case numberHeader
    /// A totals row: bold, with a rule above.
    case total
    /// The Summary sheet's title.
    case title
    /// A Summary label.
    case label
    /// A Summary value: left-aligned, numbers too, so the block reads as one column.
    case fact
}

extension XLSXCell {
    /// Excel counts days from 1899-12-30 (day 25 569 is 1970-01-01).
    static let excelEpochOffsetDays: Int64 = 25_569

    /// The number format this cell is shown with; nil for text and blanks.
    var numberFormat: String? {
        switch self {
        case .text, .blank: nil
        case .integer: "#,##0"
        case .percent: "0.0000"
        case .decimal3: "#,##0.000"
        case let .money(m): XLSXCell.moneyFormat(m.currency)
        case .instant: "yyyy-mm-dd hh:mm:ss"
        case .day: "yyyy-mm-dd"
        case let .sum(_, cached): cached.numberFormat
        }
    }

    /// `#,##0.00 "EUR"`, `#,##0 "JPY"`, `#,##0.000 "KWD"`: the currency's minor-unit digits and its code.
    /// A code is letters by ISO 4217; anything else is dropped so it cannot break the format string.
    static func moneyFormat(_ currency: Currency) -> String {
        let code = String(currency.code.unicodeScalars.filter { ($0.properties.isAlphabetic || ("0"..."9").contains($0)) && $0.isASCII })
        let decimals = currency.minorUnitDigits > 0 ? "." + String(repeating: "0", count: currency.minorUnitDigits) : ""
        return "#,##0" + decimals + (code.isEmpty ? "" : " \"" + code + "\"")
    }

    /// The numeric cell value, made from the exact decimal text (never from arithmetic in `Double`).
    /// Dates are the one exception: serial days are `ms / 86 400 000`, one correctly rounded division
    /// of two exact integers (a serial day has no exact decimal form anyway).
    var number: Double? {
        switch self {
        case .text, .blank: return nil
        case let .integer(v): return Double(exactly: v) ?? Double(v)
        case let .percent(r): return r.flatMap { Double($0.formatted(places: 4)) }
        case let .decimal3(r): return Double(r.formatted(places: 3))
        case let .money(m): return Double(m.formatted)
        case let .instant(t):
            return Double(t + XLSXCell.excelEpochOffsetDays * Duration.day) / Double(Duration.day)
        case let .day(d): return Double(Int64(d.daysSinceEpoch) + XLSXCell.excelEpochOffsetDays)
        case let .sum(_, cached): return cached.number
        }
    }

    /// Whether the cell holds a number (right-aligned by spreadsheets).
    var isNumber: Bool {
        switch self {
        case .text, .blank: false
        default: true
        }
    }

    /// How many characters the cell shows, to size its column.
    var displayWidth: Int {
        switch self {
        case let .text(s): return s.count
        case .blank: return 0
        case let .integer(v): return XLSXCell.grouped(String(v)).count
        case let .percent(r): return r.map { $0.formatted(places: 4).count } ?? 0
        case let .decimal3(r): return XLSXCell.grouped(r.formatted(places: 3)).count
        case let .money(m): return XLSXCell.grouped(m.formatted).count + 3 + m.currency.code.count
        case .instant: return 19
        case .day: return 10
        case let .sum(_, cached): return cached.displayWidth
        }
    }

    /// `1234567.89` → `1,234,567.89`, the way `#,##0.00` shows it.
    static func grouped(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = ""
        for (i, c) in parts[0].reversed().enumerated() {
            if i > 0, i % 3 == 0 { whole.append(",") }
            whole.append(c)
        }
        return (negative ? "-" : "") + String(whole.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }
}
