import Calc

extension ReportTable {
    /// The table as `fileName`: a header of the declared CSV names, one line per row. No totals: every row is data.
    public func csvFile(_ report: ComplianceReport) -> RenderedFile {
        let columns = csvColumns
        let cell = CSVCellWriter()
        let table = CSVTable(header: columns.compactMap(\.name),
                             rows: rows(report).map { row in columns.map { cell($0.value(row)) } })
        return RenderedFile(name: fileName, contents: table.bytes)
    }
}

/// How a typed cell is written in CSV: numbers and instants as plain text, text guarded (`CSVCell.text`), an
/// absent value as an empty cell. One per file (it remembers formatted instants; not shared between threads).
struct CSVCellWriter {
    private let timestamp = TimestampTexts()

    func callAsFunction(_ value: TableValue) -> CSVCell {
        switch value {
        case let .text(text): .text(text)
        case let .integer(n): .number(n.map { String($0) } ?? "")
        case let .instant(t), let .localInstant(t): .number(timestamp(t))
        case let .percent(r): .number(Format.percent(r))
        case let .money(m): .number(m.formatted)
        case let .metric(r, metric): .number(r.map { Format.metricValue($0, metric) } ?? "")
        case let .budgetAmount(r, unit): .number(r.map { Format.budgetAmount($0, unit) } ?? "")
        case let .flag(on): .text(on ? "true" : "false")
        }
    }
}
