/// A list the report template iterates over (`{{#credits}}…{{/credits}}`): rows of named, final texts.
///
/// Each column's name and text are defined once, here, and serve both ways a row can be rendered: as a
/// dictionary for Mustache, or straight into a table row of the template by `MarkdownRowSections`, so the
/// two cannot drift apart.
struct MarkdownList {
    /// The name the template uses for the list (`credits`).
    let name: String
    /// The keys of a row whose values are text (`lease`, `amount`, …), in a fixed order.
    let columnNames: [String]
    let count: Int
    private let cellText: (_ row: Int, _ column: Int) -> String
    private let extraValues: (_ row: Int) -> [String: Any]

    /// A list of `rows`; `columns` names each text a row shows; `extras` adds values that are not text (a
    /// service's `months`), which only Mustache itself can render.
    init<Row>(_ name: String, _ rows: [Row], columns: [(String, (Row) -> String)],
              extras: @escaping (Row) -> [String: Any] = { _ in [:] }) {
        self.name = name
        columnNames = columns.map(\.0)
        count = rows.count
        let texts = columns.map(\.1)
        cellText = { row, column in texts[column](rows[row]) }
        extraValues = { row in extras(rows[row]) }
    }

    /// The index of the text column `name`, if the list has one.
    func column(named name: String) -> Int? { columnNames.firstIndex(of: name) }

    /// The text of `column` in `row`.
    func text(row: Int, column: Int) -> String { cellText(row, column) }

    /// The rows as Mustache's context holds them.
    var dictionaries: [[String: Any]] {
        (0..<count).map { row in
            var values = extraValues(row)
            for column in columnNames.indices { values[columnNames[column]] = cellText(row, column) }
            return values
        }
    }
}
