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

/// A number format of the XLSX report, as a key: the workbook looks formats up once per cell, and hashing this
/// is cheaper than building and hashing the format string each time.
enum XLSXNumberFormat: Hashable {
    case integer, percent, decimal3, instant, day
    case money(code: String, minorUnitDigits: Int)

    /// The format string Excel shows the cell with.
    var pattern: String {
        switch self {
        case .integer: "#,##0"
        case .percent: "0.0000"
        case .decimal3: "#,##0.000"
        case let .money(code, digits): XLSXCell.moneyFormat(code: code, minorUnitDigits: digits)
        case .instant: "yyyy-mm-dd hh:mm:ss"
        case .day: "yyyy-mm-dd"
        }
    }
}

extension XLSXCell {
    /// Excel counts days from 1899-12-30 (day 25 569 is 1970-01-01).
    static let excelEpochOffsetDays: Int64 = 25_569

    /// The number format this cell is shown with; nil for text and blanks.
    var numberFormatKind: XLSXNumberFormat? {
        switch self {
        case .text, .blank: nil
        case .integer: .integer
        case .percent: .percent
        case .decimal3: .decimal3
        case let .money(m): .money(code: m.currency.code, minorUnitDigits: m.currency.minorUnitDigits)
        case .instant: .instant
        case .day: .day
        case let .sum(_, cached): cached.numberFormatKind
        }
    }

    /// The number format string this cell is shown with; nil for text and blanks.
    var numberFormat: String? { numberFormatKind?.pattern }

    /// `#,##0.00 "EUR"`, `#,##0 "JPY"`, `#,##0.000 "KWD"`: the currency's minor-unit digits and its code.
    /// A code is letters by ISO 4217; anything else is dropped so it cannot break the format string.
    static func moneyFormat(_ currency: Currency) -> String {
        moneyFormat(code: currency.code, minorUnitDigits: currency.minorUnitDigits)
    }

    static func moneyFormat(code: String, minorUnitDigits: Int) -> String {
        let code = String(code.unicodeScalars.filter { ($0.properties.isAlphabetic || ("0"..."9").contains($0)) && $0.isASCII })
        let decimals = minorUnitDigits > 0 ? "." + String(repeating: "0", count: minorUnitDigits) : ""
        return "#,##0" + decimals + (code.isEmpty ? "" : " \"" + code + "\"")
    }

    /// The numeric cell value, made from the exact decimal text (never from arithmetic in `Double`).
    /// Dates are the one exception: serial days are `ms / 86 400 000`, one correctly rounded division
    /// of two exact integers (a serial day has no exact decimal form anyway).
    var number: Double? { measured.number }

    /// How many characters the cell shows, to size its column.
    var displayWidth: Int { measured.width }

    /// The cell's number and its width on screen, worked out together: both come from the same decimal text,
    /// which is formatted once (a Credits sheet has tens of thousands of amounts).
    var measured: (number: Double?, width: Int) {
        switch self {
        case let .text(s): return (nil, XLSXCell.characterCount(s))
        case .blank: return (nil, 0)
        case let .integer(v): return (Double(exactly: v) ?? Double(v), XLSXCell.groupedCount(String(v)))
        case let .percent(r):
            guard let text = r?.formatted(places: 4) else { return (nil, 0) }
            return (Double(text), text.utf8.count)
        case let .decimal3(r):
            let text = r.formatted(places: 3)
            return (Double(text), XLSXCell.groupedCount(text))
        case let .money(m):
            let text = m.formatted
            return (Double(text), XLSXCell.groupedCount(text) + 3 + m.currency.code.count)
        case let .instant(t):
            return (Double(t + XLSXCell.excelEpochOffsetDays * Duration.day) / Double(Duration.day), 19)
        case let .day(d): return (Double(Int64(d.daysSinceEpoch) + XLSXCell.excelEpochOffsetDays), 10)
        case let .sum(_, cached): return cached.measured
        }
    }

    /// Whether the cell holds a number (right-aligned by spreadsheets).
    var isNumber: Bool {
        switch self {
        case .text, .blank: false
        default: true
        }
    }

    /// The characters of `text` as a person counts them. Printable ASCII is one character per byte, which
    /// spares the grapheme breaking of `String.count` for ids and names (nearly every cell).
    static func characterCount(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? text.utf8.count : text.count
    }

    /// `grouped(text).count` without building the grouped text: one `,` per three whole digits.
    static func groupedCount(_ text: String) -> Int {
        let negative = text.utf8.first == UInt8(ascii: "-")
        let wholeDigits = text.utf8.prefix { $0 != UInt8(ascii: ".") }.count - (negative ? 1 : 0)
        return text.utf8.count + max(0, (wholeDigits - 1) / 3)
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
