import CXlsxWriter
import Calc
import Foundation

/// Why `report.xlsx` could not be written: libxlsxwriter's own message, and where.
public struct XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "report.xlsx: " + message }
}

/// A thin owner of one libxlsxwriter workbook: formats made once per look, typed cell writes, and the first
/// error kept with its place (libxlsxwriter reports errors per call and carries on).
final class XLSXWorkbook {
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [FormatKey: UnsafeMutablePointer<lxw_format>] = [:]
    private(set) var firstError: XLSXError?
    private var tmpdir: UnsafeMutablePointer<CChar>?

    fileprivate struct FormatKey: Hashable {
        var style: XLSXStyle
        var numberFormat: XLSXNumberFormat?
        var indented: Bool
    }

    /// Opens a workbook that will be written to `path`; libxlsxwriter's temporary files go to `tmpdir`.
    init(path: String, tmpdir: String) throws(XLSXError) {
        self.tmpdir = strdup(tmpdir)
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: self.tmpdir, use_zip64: 0)
        // On failure `deinit` still runs and frees `tmpdir`.
        guard let workbook = workbook_new_opt(path, &options) else { throw XLSXError("cannot create a workbook at \(path)") }
        self.workbook = workbook
    }

    deinit {
        // Only reached without `close()` after an error: free libxlsxwriter's memory (this writes the
        // half-made file, which the caller deletes).
        if let workbook { _ = workbook_close(workbook) }
        free(tmpdir)
    }

    /// Records `error` unless an earlier one is already kept.
    func check(_ error: lxw_error, _ place: @autoclosure () -> String) {
        guard error != LXW_NO_ERROR, firstError == nil else { return }
        firstError = XLSXError(String(cString: lxw_strerror(error)) + " (" + place() + ")")
    }

    /// Title, author and a fixed creation time, so the same report gives the same bytes (§7).
    func setProperties(title: String, subject: String, author: String, created: Millis) {
        // `created == 0` means "now" to libxlsxwriter: 1970-01-01T00:00:00Z is written one second later.
        let seconds = floorDiv(created, Duration.second)
        let strings = [title, subject, author].map { (text: String) in strdup(text) }
        defer { strings.forEach { free($0) } }
        var properties = lxw_doc_properties()
        properties.title = strings[0]
        properties.subject = strings[1]
        properties.author = strings[2]
        properties.created = time_t(seconds == 0 ? 1 : seconds)
        check(workbook_set_properties(workbook, &properties), "document properties")
    }

    func addSheet(_ name: String) -> XLSXSheet {
        XLSXSheet(book: self, name: name, worksheet: workbook_add_worksheet(workbook, name))
    }

    func addColumnChart() -> UnsafeMutablePointer<lxw_chart>? {
        workbook_add_chart(workbook, UInt8(LXW_CHART_COLUMN.rawValue))
    }

    /// The format for `style` with `numberFormat`, made on first use.
    func format(_ style: XLSXStyle, numberFormat: XLSXNumberFormat?, indented: Bool = false) -> UnsafeMutablePointer<lxw_format>? {
        format(FormatKey(style: style, numberFormat: numberFormat, indented: indented))
    }

    fileprivate func format(_ key: FormatKey) -> UnsafeMutablePointer<lxw_format>? {
        let (style, numberFormat, indented) = (key.style, key.numberFormat, key.indented)
        if style == .body, numberFormat == nil, !indented { return nil }
        if let made = formats[key] { return made }
        guard let format = workbook_add_format(workbook) else { return nil }
        switch style {
        case .body: break
        case .header, .numberHeader:
            format_set_bold(format)
            format_set_bottom(format, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_bg_color(format, 0xDDE4EE)
            if style == .numberHeader { format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue)) }
        case .total:
            format_set_bold(format)
            format_set_top(format, UInt8(LXW_BORDER_THIN.rawValue))
        case .title:
            format_set_bold(format)
            format_set_font_size(format, 14)
        case .label:
            format_set_bold(format)
        case .fact:
            format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
        }
        if let numberFormat { format_set_num_format(format, numberFormat.pattern) }
        if indented { format_set_indent(format, 1) }
        formats[key] = format
        return format
    }

    /// Writes the file and frees the workbook.
    func close() throws(XLSXError) {
        guard let workbook else { return }
        self.workbook = nil
        let error = workbook_close(workbook)
        if let firstError { throw firstError }
        if error != LXW_NO_ERROR { throw XLSXError(String(cString: lxw_strerror(error))) }
    }
}

/// One worksheet: typed writes that keep track of how wide each column must be.
final class XLSXSheet {
    let name: String
    let worksheet: UnsafeMutablePointer<lxw_worksheet>?
    private unowned let book: XLSXWorkbook
    /// The widest content seen per column, in characters; nil for a column nothing was measured in.
    private var contentWidths: [Int?] = []
    /// The format last used in each column, with its key: a column's cells nearly always share one, and
    /// comparing the key is cheaper than hashing it for each of a Credits sheet's 140 000 cells.
    private var lastFormats: [(key: XLSXWorkbook.FormatKey, format: UnsafeMutablePointer<lxw_format>?)?] = []
    /// Text columns right of a number column: indented a little, so `99.5000` and `breached` do not run
    /// together.
    var indentedColumns: Set<Int> = []

    /// Columns are never narrower than this or wider than `maxWidth` characters (longer text is cut off
    /// on screen, not lost).
    static let minWidth = 8
    static let maxWidth = 48

    fileprivate init(book: XLSXWorkbook, name: String, worksheet: UnsafeMutablePointer<lxw_worksheet>?) {
        self.book = book
        self.name = name
        self.worksheet = worksheet
        if worksheet == nil { book.check(LXW_ERROR_MEMORY_MALLOC_FAILED, "sheet \(name)") }
    }

    /// Records a libxlsxwriter error of this sheet (the workbook keeps the first one).
    func check(_ error: lxw_error, _ place: @autoclosure () -> String) { book.check(error, place()) }

    /// `Credits!N7`, for error messages.
    func place(_ row: Int, _ column: Int) -> String { name + "!" + XLSXSheet.cellName(row: row, column: column) }

    /// Writes one cell. Text goes through `worksheet_write_string` whatever it starts with.
    func write(_ cell: XLSXCell, row: Int, column: Int, style: XLSXStyle = .body, measure: Bool = true) {
        guard let worksheet else { return }
        let r = lxw_row_t(row), c = lxw_col_t(column)
        let indented = !cell.isNumber && indentedColumns.contains(column)
        let format = format(XLSXWorkbook.FormatKey(style: style, numberFormat: cell.numberFormatKind, indented: indented),
                            column: column)
        let (number, displayWidth) = cell.measured
        let error: lxw_error
        switch cell {
        case let .text(text):
            // A C string ends at NUL; no id or name legitimately holds one.
            let cString = text.utf8.contains(0) ? String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" })) : text
            error = worksheet_write_string(worksheet, r, c, cString, format)
        case .blank:
            error = format == nil ? LXW_NO_ERROR : worksheet_write_blank(worksheet, r, c, format)
        case let .sum(range, _):
            error = worksheet_write_formula_num(worksheet, r, c, "=SUM(" + range + ")", format, number ?? 0)
        default:
            if let number {
                error = worksheet_write_number(worksheet, r, c, number, format)
            } else if let format = book.format(style, numberFormat: nil) {
                error = worksheet_write_blank(worksheet, r, c, format)   // "no data" keeps the row's look
            } else {
                error = LXW_NO_ERROR
            }
        }
        book.check(error, place(row, column))
        if measure {
            // Bold text is wider; a header also carries the autofilter button.
            let width = displayWidth + (style == .header || style == .numberHeader ? 4 : style == .total ? 1 : 0)
                + (indented ? 2 : 0)
            if contentWidths.count <= column { contentWidths += [Int?](repeating: nil, count: column + 1 - contentWidths.count) }
            contentWidths[column] = max(contentWidths[column] ?? 0, width)
        }
    }

    /// `book.format(key)`, remembered per column.
    private func format(_ key: XLSXWorkbook.FormatKey, column: Int) -> UnsafeMutablePointer<lxw_format>? {
        if column < lastFormats.count, let last = lastFormats[column], last.key == key { return last.format }
        let format = book.format(key)
        if lastFormats.count <= column { lastFormats += [(key: XLSXWorkbook.FormatKey, format: UnsafeMutablePointer<lxw_format>?)?](repeating: nil, count: column + 1 - lastFormats.count) }
        lastFormats[column] = (key, format)
        return format
    }

    func writeRow(_ cells: [XLSXCell], row: Int, style: XLSXStyle = .body, from column: Int = 0) {
        for (i, cell) in cells.enumerated() { write(cell, row: row, column: column + i, style: style) }
    }

    /// A bold header row; the titles of `numberColumns` are right-aligned over their numbers.
    func writeHeader(_ titles: [String], row: Int, numberColumns: Set<Int>) {
        for (i, title) in titles.enumerated() {
            write(.text(title), row: row, column: i, style: numberColumns.contains(i) ? .numberHeader : .header)
        }
    }

    /// Sets every measured column to its content width plus a margin, within the limits.
    func applyColumnWidths() {
        guard let worksheet else { return }
        for (column, width) in contentWidths.enumerated() {
            guard let width else { continue }
            // Three characters of air, so a right-aligned number never touches the text of the next column.
            let chars = min(max(width + 3, XLSXSheet.minWidth), XLSXSheet.maxWidth)
            book.check(worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), Double(chars), nil),
                       "column widths of \(name)")
        }
    }

    /// A data sheet's frame: frozen header row, autofilter over header and data, printing setup.
    func frameTable(columns: Int, dataRows: Int) {
        guard let worksheet, columns > 0 else { return }
        worksheet_freeze_panes(worksheet, 1, 0)
        book.check(worksheet_autofilter(worksheet, 0, 0, lxw_row_t(dataRows), lxw_col_t(columns - 1)), "autofilter of \(name)")
        book.check(worksheet_repeat_rows(worksheet, 0, 0), "print titles of \(name)")
        setUpPrinting()
    }

    /// Landscape, one page wide, the sheet name and page number in the footer.
    func setUpPrinting() {
        guard let worksheet else { return }
        worksheet_set_landscape(worksheet)
        worksheet_fit_to_pages(worksheet, 1, 0)
        book.check(worksheet_set_footer(worksheet, "&L&A&RPage &P of &N"), "footer of \(name)")
    }

    /// `A`, `Z`, `AA`, … for a zero-based column.
    static func columnName(_ column: Int) -> String {
        var n = column + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// `N7` for zero-based row 6, column 13.
    static func cellName(row: Int, column: Int) -> String { columnName(column) + String(row + 1) }

    /// `N2:N9`: a column's data rows `first...last` (zero-based), for `=SUM(...)`.
    static func columnRange(_ column: Int, rows: ClosedRange<Int>) -> String {
        cellName(row: rows.lowerBound, column: column) + ":" + cellName(row: rows.upperBound, column: column)
    }
}
