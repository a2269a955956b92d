import CXlsxWriter
import Calc
import Foundation

/// `report.xlsx` (§6): sheets Summary, Uptime, Violations, Incidents, Credits and Escrow with typed cells,
/// frozen bold headers, autofilters, fitted columns, totals rows and a chart of uptime per service.
///
/// The same report always gives the same bytes (§7): the document's creation time is the report's
/// `generatedAt`, libxlsxwriter stamps zip entries 1980-01-01, and nothing reads the clock, `TZ` or the locale.
public enum XLSXReport {
    /// The name of the rendered file in the report directory.
    public static let fileName = "report.xlsx"

    /// Renders the workbook. libxlsxwriter writes only to a path, so the file is made under
    /// `scratchDirectory` (which must exist), read back and deleted.
    public static func render(_ report: ComplianceReport, tool: ToolInfo, scratchDirectory: String) throws -> RenderedFile {
        try withCNumericLocale { try write(report, tool: tool, scratchDirectory: scratchDirectory) }
    }

    static func write(_ report: ComplianceReport, tool: ToolInfo, scratchDirectory: String) throws -> RenderedFile {
        let path = try uniqueFile(in: scratchDirectory)
        defer { unlink(path) }
        let book = try XLSXWorkbook(path: path, tmpdir: scratchDirectory)
        book.setProperties(title: "SLA compliance report " + report.period.label,
                           subject: "SLA compliance, " + report.period.label,
                           author: tool.name + " " + tool.version, created: report.generatedAt)
        writeSummary(report, tool: tool, to: book.addSheet("Summary"), book: book)
        writeTable(uptimeTable(report), to: book.addSheet("Uptime"))
        writeTable(sheetTable(ReportTables.violations, report), to: book.addSheet("Violations"))
        writeTable(sheetTable(ReportTables.incidents, report), to: book.addSheet("Incidents"))
        writeTable(creditsTable(report), to: book.addSheet("Credits"))
        writeTable(escrowTable(report), to: book.addSheet("Escrow"))
        writeTable(sheetTable(ReportTables.budgets, report), to: book.addSheet("Budgets"))
        try book.close()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw XLSXError("cannot read back \(path)")
        }
        return RenderedFile(name: fileName, contents: Array(data))
    }

    /// Runs `body` with this thread's `LC_NUMERIC` set to "C". libxlsxwriter writes every cell number with
    /// `snprintf("%.16G")`, which follows the process locale: after a `setlocale(LC_ALL, "")` under
    /// `LANG=de_DE.UTF-8`, 99.5 would be stored as `99,5`, a broken number (and different bytes, §7).
    /// `uselocale` changes only the calling thread, and `render` never leaves it.
    static func withCNumericLocale<T>(_ body: () throws -> T) rethrows -> T {
        #if canImport(Glibc)
        let mask = Int32(1) << LC_NUMERIC
        #else
        let mask = LC_NUMERIC_MASK
        #endif
        guard let cLocale = newlocale(mask, "C", nil) else { return try body() }
        let previous = uselocale(cLocale)
        defer {
            uselocale(previous)
            freelocale(cLocale)
        }
        return try body()
    }

    /// A new empty file `report-XXXXXX.xlsx` in `directory`, so concurrent renders never share a path.
    static func uniqueFile(in directory: String) throws(XLSXError) -> String {
        var template = Array((directory + "/report-XXXXXX.xlsx").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 5) }
        guard fd >= 0 else {
            throw XLSXError("cannot create a scratch file in \(directory): " + String(cString: strerror(errno)))
        }
        close(fd)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    // MARK: Data sheets

    /// A data sheet: a header row, data rows and an optional totals row below the autofilter.
    struct Table {
        var headers: [String]
        var rows: [[XLSXCell]]
        var totals: [XLSXCell]?

        /// A column's total: `=SUM` over its data rows with `cached` as the stored result, or just
        /// `cached` when there are no rows to add up.
        func sum(column: Int, cached: XLSXCell) -> XLSXCell {
            rows.isEmpty ? cached : .sum(range: XLSXSheet.columnRange(column, rows: 1...rows.count), cached: cached)
        }
    }

    static func writeTable(_ table: Table, to sheet: XLSXSheet) {
        var numberColumns = Set<Int>()
        for row in table.rows + (table.totals.map { [$0] } ?? []) {
            for (column, cell) in row.enumerated() where cell.isNumber { numberColumns.insert(column) }
        }
        sheet.indentedColumns = Set(table.headers.indices.filter { !numberColumns.contains($0) && numberColumns.contains($0 - 1) })
        sheet.writeHeader(table.headers, row: 0, numberColumns: numberColumns)
        for (i, row) in table.rows.enumerated() {
            precondition(row.count == table.headers.count, "XLSX row width differs from its header")
            sheet.writeRow(row, row: i + 1)
        }
        if let totals = table.totals { sheet.writeRow(totals, row: table.rows.count + 1, style: .total) }
        sheet.frameTable(columns: table.headers.count, dataRows: table.rows.count)
        sheet.applyColumnWidths()
    }

    /// A table's sheet: the declared sheet columns, one row per report row.
    static func sheetTable<Row>(_ table: ReportTable<Row>, _ report: ComplianceReport) -> Table {
        let columns = table.sheetColumns
        return Table(headers: columns.compactMap(\.title),
                     rows: table.rows(report).map { row in columns.map { cell($0.value(row), zone: report.zone) } })
    }

    /// How a typed cell is stored: numbers with their number format, an absent value as a blank cell.
    static func cell(_ value: TableValue, zone: Zone) -> XLSXCell {
        switch value {
        case let .text(text): .text(text)
        case let .integer(n): n.map(XLSXCell.integer) ?? .blank
        case let .instant(t): .instant(t)
        // Text: a date cell has no zone, and the abbreviation is what tells 02:40 CEST from 02:40 CET.
        case let .localInstant(t): .text(Format.localTime(t, zone))
        case let .percent(r): .percent(r)
        case let .money(m): .money(m)
        // Percent for uptime, availability and error rate; milliseconds or requests/s, 3 decimals, otherwise.
        case let .metric(r, metric): metric.isLatency || metric == .throughput ? r.map(XLSXCell.decimal3) ?? .blank : .percent(r)
        case let .budgetAmount(r, _): r.map(XLSXCell.decimal3) ?? .blank
        case let .flag(on): .text(on ? "yes" : "no")
        }
    }

    /// The Uptime sheet with a totals row: summed times and the estate's uptime.
    static func uptimeTable(_ report: ComplianceReport) -> Table {
        var table = sheetTable(ReportTables.uptime, report)
        let stats = report.services.map(\.stats)
        func total(_ column: Int, _ value: (UptimeStats) -> Int64) -> XLSXCell {
            table.sum(column: column, cached: .integer(stats.reduce(0) { $0 + value($1) }))
        }
        table.totals = [
            .text("Total"), .blank, .blank, .blank, total(4, \.totalMs), total(5, \.maintenanceMs), total(6, \.unknownMs),
            total(7, \.eligibleMs), total(8, \.upMs), total(9, \.degradedMs), total(10, \.downMs),
            .percent(report.estate.uptimePercent), .blank, total(13) { Int64($0.incidentCount) }, .blank, .blank,
        ]
        return table
    }

    /// The Credits sheet; the totals row adds up the rounded credit lines (`totalCredits`).
    static func creditsTable(_ report: ComplianceReport) -> Table {
        var table = sheetTable(ReportTables.credits, report)
        var totals = [XLSXCell](repeating: .blank, count: table.headers.count)
        totals[0] = .text("Total")
        // Found by title, not position: a column added to the table moves them.
        if let currency = table.headers.firstIndex(of: "Currency") { totals[currency] = .text(report.currency.code) }
        if let amount = table.headers.firstIndex(of: "Credit amount") {
            totals[amount] = table.sum(column: amount, cached: .money(report.totalCredits))
        }
        table.totals = totals
        return table
    }

    /// The Escrow sheet, with every amount column totalled.
    static func escrowTable(_ report: ComplianceReport) -> Table {
        var table = sheetTable(ReportTables.escrow, report)
        let currency = report.currency
        // Amounts of different currencies do not add up; an estate has one currency, so this is a guard.
        guard report.escrow.allSatisfy({ $0.currency == currency }) else { return table }
        let totals = report.escrowTotals
        table.totals = [.text("Total"), .text(currency.code),
                        table.sum(column: 2, cached: .money(totals.openingBalance)),
                        table.sum(column: 3, cached: .money(totals.credits)),
                        table.sum(column: 4, cached: .money(totals.closingBalance)),
                        table.sum(column: 5, cached: .money(totals.shortfall))]
        return table
    }

    // MARK: Summary

    /// The headline figures, a per-service uptime table and a column chart of uptime per service.
    static func writeSummary(_ report: ComplianceReport, tool: ToolInfo, to sheet: XLSXSheet, book: XLSXWorkbook) {
        let p = report.period
        let facts: [(String, XLSXCell)] = [
            ("Period", .text(p.label)),
            ("First day", .day(p.firstDay)),
            ("Last day", .day(p.lastDay)),
            ("Time zone", .text(report.timezone)),
            ("Period start (UTC)", .instant(p.interval.start)),
            ("Period end (UTC, exclusive)", .instant(p.interval.end)),
            ("Generated at (UTC)", .instant(report.generatedAt)),
            ("Generated by", .text(tool.name + " " + tool.version)),
            ("Services", .integer(Int64(report.estate.services))),
            ("Estate uptime %", .percent(report.estate.uptimePercent)),
            ("Outages", .integer(Int64(report.estate.incidents))),
            ("Total downtime", .text(Format.humanDuration(report.estate.downMs))),
            ("Total downtime (ms)", .integer(report.estate.downMs)),
            ("Total credits", .money(report.totalCredits)),
            ("Currency", .text(report.currency.code)),
            ("Escrow shortfall", .money(report.escrowTotals.shortfall)),
        ]
        // The title spans the sheet; it must not widen column A.
        sheet.write(.text("SLA compliance report " + p.label), row: 0, column: 0, style: .title, measure: false)
        var row = 2
        for (label, value) in facts {
            sheet.write(.text(label), row: row, column: 0, style: .label)
            sheet.write(value, row: row, column: 1, style: .fact)
            row += 1
        }

        row += 1
        sheet.write(.text("Uptime per service"), row: row, column: 0, style: .label)
        row += 1
        let headerRow = row
        sheet.writeHeader(["Service", "Name", "Provider", "Uptime %", "Coverage %", "Outages", "Downtime (ms)"],
                          row: headerRow, numberColumns: [3, 4, 5, 6])
        for service in report.services {
            row += 1
            let s = service.stats
            sheet.writeRow([.text(service.id), .text(service.name), .text(service.providerName), .percent(s.uptimePercent),
                            .percent(s.coveragePercent), .integer(Int64(s.incidentCount)), .integer(s.downMs)], row: row)
        }
        sheet.setUpPrinting()
        sheet.applyColumnWidths()
        if !report.services.isEmpty {
            insertUptimeChart(report, on: sheet, book: book, dataRows: (headerRow + 1)...row, at: row + 2)
        }
    }

    /// A column chart of the Summary table's Uptime % (column D) by service id (column A).
    static func insertUptimeChart(_ report: ComplianceReport, on sheet: XLSXSheet, book: XLSXWorkbook,
                                  dataRows: ClosedRange<Int>, at row: Int) {
        guard let worksheet = sheet.worksheet, let chart = book.addColumnChart() else { return }
        let series = chart_add_series(chart, nil, nil)
        chart_series_set_categories(series, sheet.name, lxw_row_t(dataRows.lowerBound), 0, lxw_row_t(dataRows.upperBound), 0)
        chart_series_set_values(series, sheet.name, lxw_row_t(dataRows.lowerBound), 3, lxw_row_t(dataRows.upperBound), 3)
        chart_title_set_name(chart, "Uptime % per service")
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        chart_axis_set_max(chart.pointee.y_axis, 100)
        chart_axis_set_min(chart.pointee.y_axis, Double(uptimeAxisMinimum(report.services.compactMap(\.stats.uptimePercent))))
        chart_axis_set_num_format(chart.pointee.y_axis, "0.0")
        // Wider for many services, so their labels stay readable.
        var options = lxw_chart_options()
        options.x_scale = min(3, max(1, Double(report.services.count) / 8))
        options.y_scale = 1
        sheet.check(worksheet_insert_chart_opt(worksheet, lxw_row_t(row), 0, chart, &options), "uptime chart")
    }

    /// The y axis starts one whole percent below the lowest uptime (never below 0), so differences
    /// between 99.5 % and 99.99 % are visible rather than flattened against 0–100.
    static func uptimeAxisMinimum(_ uptimes: [Ratio]) -> Int128 {
        guard let lowest = uptimes.min() else { return 0 }
        let floor = lowest.numerator >= 0 ? lowest.numerator / lowest.denominator : 0
        return max(0, min(floor - 1, 99))
    }
}
