import Calc

/// Reads a metrics CSV (SPEC §4.2 `csv`): a header naming `timestamp`, `series` and `value` (any order, any case,
/// no other columns), then one sample per row:
///
/// ```
/// timestamp,series,value
/// 2026-10-01T00:00:00Z,"http_requests_total{service=""api"",code=""200""}",1027
/// 1790812860,http_requests_total,5
/// ```
///
/// - CSV is RFC 4180 through `CSVReader` (a series with labels holds quotes, so its field is quoted and each
///   quote doubled); blank lines are skipped.
/// - `series` is `MetricSeriesText`; a malformed one names the column within the series text.
/// - `timestamp` is what `Timestamp.parse` accepts: RFC 3339 with an offset, or Unix epoch seconds.
/// - `value` is read exactly by `MetricValue`: NaN and ±Inf are errors, as are negative counter values.
/// - Each series must be in ascending time order within the file; an exact repeat is dropped.
package struct MetricCSVReader: MetricRowSource {
    package static let columns = ["timestamp", "series", "value"]

    package let path: String
    package let displayName: String
    package var batchSize: Int = StatusCSVParser.defaultBatchSize

    package init(path: String, displayName: String) {
        self.path = path
        self.displayName = displayName
    }

    package func parse(batch: ([MetricRow]) throws -> Void) throws -> Int {
        let reader = try CSVReader(path: path, displayName: displayName)
        var header: CSVRecord?
        while let record = try reader.next() {
            if !record.isBlank {
                header = record
                break
            }
        }
        guard let header else {
            throw Diagnostic(file: displayName, message: reader.bytesRead == 0 ? "file is empty" : "file has no header row")
        }
        var positions: [String: Int] = [:]
        for index in 0..<header.count {
            let field = header[index]
            let name = header.string(index).trimmingCharacters(in: [" ", "\t"]).lowercased()
            guard Self.columns.contains(name) else {
                throw Diagnostic(file: displayName, line: field.line, column: field.column, message:
                    "unknown column \(MessageText.quoted(header.string(index))) (a metrics CSV has the columns timestamp, series, value)")
            }
            guard positions.updateValue(index, forKey: name) == nil else {
                throw Diagnostic(file: displayName, line: field.line, column: field.column, message: "duplicate column \"\(name)\"")
            }
        }
        let missing = Self.columns.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw Diagnostic(file: displayName, line: header.line, message:
                "missing required column\(missing.count > 1 ? "s" : "") \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) "
                + "(a metrics CSV has the columns timestamp, series, value)")
        }
        let fieldCount = header.count
        let timeColumn = positions["timestamp"]!, seriesColumn = positions["series"]!, valueColumn = positions["value"]!

        var seriesText = ByteStringInterner()
        var seriesKeys: [MetricSeriesKey] = []
        var checker = MetricSampleChecker()
        var rows = RowBatch<MetricRow>(size: batchSize)
        while let record = try reader.next() {
            if record.isBlank { continue }
            func fail(_ index: Int, _ message: String) -> Diagnostic {
                Diagnostic(file: displayName, line: record[index].line, column: record[index].column, message: message)
            }
            guard record.count == fieldCount else {
                let message = "row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(fieldCount)"
                if record.count > fieldCount { throw fail(fieldCount, message) }
                throw Diagnostic(file: displayName, line: record.endLine, column: record.endColumn, message: message)
            }
            let id = seriesText.id(for: record.bytes(seriesColumn))
            if id == seriesKeys.count {
                let text = record.string(seriesColumn)
                let key: MetricSeriesKey
                do { key = try MetricSeriesText.parse(text) } catch {
                    throw fail(seriesColumn, "malformed series \(MessageText.quoted(text)): \(error) "
                        + "(write it as name{label=\"value\",…}, quoting the CSV field and doubling its quotes)")
                }
                if let problem = key.controlProblem { throw fail(seriesColumn, problem) }
                seriesKeys.append(key)
            }
            let series = seriesKeys[id]
            let time: Millis
            let timeText = record.string(timeColumn)
            do { time = try Timestamp.parse(Substring(timeText)) } catch {
                throw fail(timeColumn, timeText.utf8.count > 64 ? "not a timestamp: \(MessageText.quoted(timeText))" : error.reason)
            }
            let value: MetricValue
            do { value = try MetricText.value(Substring(record.string(valueColumn)), series: series, time: time) } catch {
                throw fail(valueColumn, error.message)
            }
            let timeField = record[timeColumn], valueField = record[valueColumn]
            guard try checker.admit(series, time: time, value: value, file: displayName,
                                    timePlace: (timeField.line, timeField.column), valuePlace: (valueField.line, valueField.column))
            else { continue }
            try rows.append(MetricRow(series: series, time: time, value: value, line: record.line), deliver: batch)
        }
        return try rows.finish(batch)
    }
}
