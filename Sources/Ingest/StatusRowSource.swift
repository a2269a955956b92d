import Calc

/// Anything that reads a status export into rows: it delivers them in batches and returns how many it read.
/// Each reader checks its own file (order within a series, in-file duplicates, bad values) and throws a
/// `Diagnostic` naming the place.
package protocol StatusRowSource {
    func parse(batch: ([StatusRow]) throws -> Void) throws -> Int
    /// The same rows as `parse`, as compact rows (what the store uses); returns how many it delivered.
    func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int
    /// Where the row whose `line` is `number` is in the file, for a diagnostic about the row found later (a
    /// conflict with a stored sample): the line, column 1, for text exports; the reader says when its rows carry
    /// another number (Uptime Kuma's heartbeat ids).
    func location(ofRow number: Int) -> Diagnostic.Location
    /// What the file holds that is read but deserves a word (Uptime Kuma monitors that share a name).
    func warnings() throws -> [Diagnostic]
}

extension StatusRowSource {
    package func location(ofRow number: Int) -> Diagnostic.Location { .line(number, column: 1) }
    package func warnings() throws -> [Diagnostic] { [] }

    /// Numbers the rows' series by their exact names (bytes), in order of first appearance, naming each by its NFC
    /// form (`NameText.canonical`: the one identity of names, whatever the reader did).
    package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
        var numbers: [StatusSeriesBytes: Int32] = [:]
        var out = StatusBatch()
        var last: (service: String, region: String, number: Int32)?
        return try parse { rows in
            out.rows.removeAll(keepingCapacity: true)
            out.rows.reserveCapacity(rows.count)
            for row in rows {
                let number: Int32
                if let last, last.service.utf8.elementsEqual(row.service.utf8), last.region.utf8.elementsEqual(row.region.utf8) {
                    number = last.number
                } else {
                    let key = StatusSeriesBytes(service: Array(row.service.utf8), region: Array(row.region.utf8))
                    if let known = numbers[key] {
                        number = known
                    } else {
                        number = Int32(out.series.count)
                        numbers[key] = number
                        out.series.append(StatusSeriesName(service: NameText.canonical(row.service),
                                                           region: NameText.canonical(row.region)))
                    }
                    last = (row.service, row.region, number)
                }
                out.rows.append(CompactStatusRow(time: row.time, line: row.line, series: number, status: row.status))
            }
            try batch(&out)
        }
    }
}

/// A series' names as bytes, for numbering series exactly as written.
package struct StatusSeriesBytes: Hashable {
    package var service: [UInt8]
    package var region: [UInt8]
}

extension StatusCSVParser: StatusRowSource {}
