import Calc

/// A cell of an output table as a typed value; each writer decides how to show it (CSV text, an XLSX cell with
/// a number format, and later HTML). Keeping the value typed is what lets one declaration serve every format.
public enum TableValue: Sendable {
    /// Ids, names, states: text (guarded against formula injection in CSV).
    case text(String)
    /// Milliseconds, counts; nil is an empty cell.
    case integer(Int64?)
    /// An instant, written in UTC (RFC 3339).
    case instant(Millis)
    /// An instant on the config's wall clock with its abbreviation, for people (§10.8): XLSX text beside the UTC
    /// date column; never a CSV column (CSV keeps UTC), where it would be written in UTC.
    case localInstant(Millis)
    /// A percentage with 4 decimals; nil ("no data") is an empty cell.
    case percent(Ratio?)
    case money(Money)
    /// An objective's value in its unit: percent for uptime and error rate, 3 decimals for latency (ms) and
    /// throughput (req/s); nil ("no data") is an empty cell.
    case metric(Ratio?, MetricKind)
    /// An error budget amount in its unit (ms whole, requests with 3 decimals in CSV); nil: no data.
    case budgetAmount(Ratio?, ErrorBudget.Unit)
    /// A yes/no flag.
    case flag(Bool)
}

/// One column of an output table, declared once for every format that shows the table.
public struct TableColumn<Row>: Sendable {
    /// The CSV header (`credit_amount`); nil when the CSV does not have the column.
    public let name: String?
    /// The heading people read in the XLSX sheet (`Credit amount`); nil when the sheet does not have it.
    public let title: String?
    /// Part of the row's key: rows of two versions of a report pair up by these (restatements, `verify`).
    public let isKey: Bool
    public let value: @Sendable (Row) -> TableValue
    /// The name the Markdown template gives this column's text (`{{amount}}`); nil when report.md does not show it.
    public let template: String?
    /// The column's text for people (report.md): names instead of ids, durations in days and hours, units.
    let people: (@Sendable (Row, DisplayText) -> String)?

    /// A column of the CSV and/or the sheet; with `template`, report.md shows it too, as `people` writes it.
    public init(_ name: String?, _ title: String?, key: Bool = false, _ value: @escaping @Sendable (Row) -> TableValue) {
        self.name = name
        self.title = title
        self.isKey = key
        self.value = value
        self.template = nil
        self.people = nil
    }

    init(_ name: String?, _ title: String?, key: Bool = false, _ value: @escaping @Sendable (Row) -> TableValue,
         template: String, _ people: @escaping @Sendable (Row, DisplayText) -> String) {
        self.name = name
        self.title = title
        self.isKey = key
        self.value = value
        self.template = template
        self.people = people
    }

    /// A column only report.md shows (`{{down}}` as `2 h 05 min`).
    static func markdown(_ template: String, _ people: @escaping @Sendable (Row, DisplayText) -> String) -> TableColumn {
        TableColumn(nil, nil, { _ in .text("") }, template: template, people)
    }
}

/// What a table's text for people needs besides the row: display names by id (escaped for a Markdown cell) and
/// formatted instants, remembered per writer (not shared between threads).
final class DisplayText {
    private let services: [String: String], providers: [String: String], customers: [String: String]
    let timestamp = TimestampTexts()
    let zone: Zone

    init(_ report: ComplianceReport) {
        services = Dictionary(report.services.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        providers = report.providerNames
        customers = report.customerNames
        zone = report.zone
    }

    /// `2026-10-25 02:40 CEST` (`Format.localTime`).
    func local(_ t: Millis) -> String { Format.localTime(t, zone) }

    func service(_ id: String) -> String { MarkdownText.cell(services[id] ?? id) }
    func provider(_ id: String) -> String { MarkdownText.cell(providers[id] ?? id) }
    func customer(_ id: String) -> String { MarkdownText.cell(customers[id] ?? id) }
}

/// An output table: its file, its sheet, its columns and where its rows come from.
public struct ReportTable<Row>: Sendable {
    /// The CSV file (`credits.csv`).
    public let fileName: String
    /// The XLSX sheet (`Credits`).
    public let sheetName: String
    /// The list report.md's template iterates over (`{{#credits}}`).
    public let listName: String
    public let columns: [TableColumn<Row>]
    public let rows: @Sendable (ComplianceReport) -> [Row]

    /// The columns the CSV writes, in order.
    public var csvColumns: [TableColumn<Row>] { columns.filter { $0.name != nil } }
    /// The columns report.md shows.
    public var markdownColumns: [TableColumn<Row>] { columns.filter { $0.template != nil } }
    /// The columns the sheet shows, in order.
    public var sheetColumns: [TableColumn<Row>] { columns.filter { $0.title != nil } }
    /// What a restatement or `verify` needs to know of the table, without its row type.
    public var description: TableDescription {
        TableDescription(fileName: fileName, sheetName: sheetName, csvHeader: csvColumns.compactMap(\.name),
                         keyColumns: columns.filter(\.isKey).compactMap(\.name))
    }
}

/// A table's file, sheet, CSV header and key columns.
public struct TableDescription: Sendable, Equatable {
    public var fileName: String
    public var sheetName: String
    public var csvHeader: [String]
    /// The CSV columns whose values identify a row (empty: the whole row).
    public var keyColumns: [String]
}
