import Calc

/// Reads OpenMetrics text with timestamps, as `promtool tsdb create-blocks-from openmetrics` takes it
/// (SPEC §4.2 `openmetrics`):
///
/// ```
/// # HELP http_requests_total Requests served.
/// # TYPE http_requests_total counter
/// http_requests_total{service="api",code="200"} 1027 1790812800
/// http_requests_total{service="api",code="200"} 1090 1790812860.5
/// # EOF
/// ```
///
/// - Lines end with `\n`; the last line is `# EOF` (its `\n` optional) and nothing may follow it. A file
///   without it is rejected as truncated. Blank lines and other `#` comments are errors, as in OpenMetrics.
/// - `# HELP name text`, `# TYPE name type` (counter, gauge, histogram, gaugehistogram, summary, info, stateset,
///   unknown) and `# UNIT name unit` (a suffix of the name) are checked, HELP's text and the unit after a space
///   even when empty (`# HELP name ` is fine, `# HELP name` is not, as promtool has it); `TYPE` marks a family's samples
///   (`x_total`, `x_bucket`, `x_count`, `x_sum`, `x_created`) as counters for the negative-value check.
/// - A sample is `name{label="value",…} value timestamp [# {exemplar labels} value [timestamp]]`, fields
///   separated by one space; no trailing comma in a label set; label values take `\\`, `\"` and `\n`
///   escapes (any other backslash is kept as written, as Prometheus does). The timestamp is required (promtool
///   refuses a sample without one) and is Unix seconds, possibly fractional, kept to the millisecond.
///   Exemplars are checked for shape (a value and an optional timestamp that Prometheus reads as floats, the
///   timestamp finite) and for being on a `…_total` or `…_bucket` sample, then dropped. Quoted (UTF-8) metric and label names are not supported.
/// - Values are read exactly by `MetricValue`; NaN and ±Inf are errors, as are negative counter values.
/// - A histogram's or gauge histogram's points keep OpenMetrics' rules (`OpenMetricsHistogramCheck`): buckets in
///   ascending `le` order, cumulative, ending with `le="+Inf"`, which equals `_count`.
/// - Each series must be in ascending time order within the file; an exact repeat is dropped.
package struct OpenMetricsReader: MetricRowSource {
    package let path: String
    package let displayName: String
    package var batchSize: Int = StatusCSVParser.defaultBatchSize

    package init(path: String, displayName: String) {
        self.path = path
        self.displayName = displayName
    }

    package func parse(batch: ([MetricRow]) throws -> Void) throws -> Int {
        let lines = try LineReader(path: path, displayName: displayName)
        var parser = OpenMetricsLineParser(file: displayName)
        var rows = RowBatch<MetricRow>(size: batchSize)
        var sawEOF = false
        /// Where the file ends: after the last line's `\n`, or after its last byte when it has none.
        var end = (line: 1, column: 1)
        while let line = try lines.next() {
            end = line.isTerminated ? (line.number + 1, 1) : (line.number, line.bytes.count + 1)
            if sawEOF {
                throw Diagnostic(file: displayName, line: line.number, column: 1,
                                 message: "unexpected data after \"# EOF\" (it must be the last line)")
            }
            switch try parser.parse(line) {
            case .none: break
            case .endOfFile: sawEOF = true
            case .sample(let row):
                try rows.append(row, deliver: batch)
            }
        }
        if !sawEOF {
            if lines.bytesRead == 0 { throw Diagnostic(file: displayName, message: "file is empty") }
            throw Diagnostic(file: displayName, line: end.line, column: end.column, message:
                "missing \"# EOF\" at the end: OpenMetrics text ends with a \"# EOF\" line (was the export cut short?)")
        }
        return try rows.finish(batch)
    }
}

/// Parses one line at a time; keeps the families' types, the series seen (interned by their text) and the
/// per-series checks.
private struct OpenMetricsLineParser {
    enum Outcome {
        case none
        case endOfFile
        case sample(MetricRow)
    }

    static let types: Set<String> = ["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"]
    /// The sample-name suffixes of a family, to find a sample's family from its name.
    static let familySuffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"]

    let file: String
    var familyTypes: [String: String] = [:]
    var seriesText = ByteStringInterner()
    var seriesKeys: [MetricSeriesKey] = []
    var seriesIsCounter: [Bool] = []
    var seriesHistogramRole: [OpenMetricsHistogramCheck.Role?] = []
    var checker = MetricSampleChecker()
    var histograms: OpenMetricsHistogramCheck

    init(file: String) {
        self.file = file
        histograms = OpenMetricsHistogramCheck(file: file)
    }

    private func fail(_ line: TextLine, _ index: Int, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line.number, column: index + 1, message: message)
    }

    mutating func parse(_ line: TextLine) throws(Diagnostic) -> Outcome {
        let b = line.bytes
        guard let first = b.first else {
            throw fail(line, 0, "empty line (OpenMetrics text has no blank lines)")
        }
        if let cr = b.firstIndex(of: 0x0D) {
            throw fail(line, cr, "carriage return: OpenMetrics lines end with \\n alone (convert the file with dos2unix)")
        }
        if first == UInt8(ascii: "#") {
            try histograms.finish()
            return try metadata(line)
        }
        return try sample(line).map { .sample($0) } ?? .none
    }

    // MARK: - # lines

    private mutating func metadata(_ line: TextLine) throws(Diagnostic) -> Outcome {
        let text = String(decoding: line.bytes, as: UTF8.self)
        if text == "# EOF" { return .endOfFile }
        let keyword = text.hasPrefix("# HELP ") ? "HELP" : text.hasPrefix("# TYPE ") ? "TYPE" : text.hasPrefix("# UNIT ") ? "UNIT" : nil
        guard let keyword else {
            if text.hasPrefix("# EOF") {
                throw fail(line, 5, "unexpected data after \"# EOF\" (it must be the last line)")
            }
            throw fail(line, 0, "unexpected comment: OpenMetrics allows only \"# HELP\", \"# TYPE\", \"# UNIT\" and \"# EOF\" lines")
        }
        let rest = text.utf8.dropFirst(7)
        let nameEnd = rest.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
        let name = String(decoding: rest[rest.startIndex..<nameEnd], as: UTF8.self)
        guard MetricText.isValidMetricName(name) else {
            let what = name.hasPrefix("\"") ? "quoted metric names are not supported" : "not a metric name: \(MessageText.quoted(name))"
            throw fail(line, 7, "# \(keyword): \(what)")
        }
        let argumentColumn = 7 + name.utf8.count + 1
        let argument = nameEnd == rest.endIndex ? nil : String(decoding: rest[rest.index(after: nameEnd)...], as: UTF8.self)
        // promtool's lexer takes the text after HELP's and UNIT's name only after a space, which an empty text keeps
        // (`# HELP a ` is fine, `# HELP a` is "expected text in HELP").
        if argument == nil, keyword != "TYPE" {
            let what = keyword == "HELP" ? "help text" : "unit"
            throw fail(line, argumentColumn - 1, "# \(keyword) \(name): expected a space and the \(what) after the metric name "
                + "(an empty \(what) still needs the space: \"# \(keyword) \(name) \")")
        }
        switch keyword {
        case "TYPE":
            guard let type = argument, Self.types.contains(type) else {
                throw fail(line, argumentColumn, "# TYPE \(name): unknown type \(MessageText.quoted(argument ?? "")) "
                    + "(expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)")
            }
            familyTypes[name] = type
        case "UNIT":
            if let unit = argument, !unit.isEmpty, !name.hasSuffix("_" + unit) {
                throw fail(line, argumentColumn, "# UNIT \(name): unit \(MessageText.quoted(unit)) is not a suffix of the metric name")
            }
        default:
            break
        }
        return .none
    }

    // MARK: - Samples

    /// The sample on the line, or nil when it exactly repeats its series' previous sample (dropped).
    private mutating func sample(_ line: TextLine) throws(Diagnostic) -> MetricRow? {
        let b = line.bytes
        let seriesEnd = Self.seriesEnd(b)
        let id = seriesText.id(for: UnsafeBufferPointer(rebasing: b[0..<seriesEnd]))
        if id == seriesKeys.count {
            let (key, end) = try parseSeries(line)
            guard end == seriesEnd else { throw fail(line, end, "expected a space after the series, found \(Self.describe(b, end))") }
            seriesKeys.append(key)
            seriesIsCounter.append(isCounterFamily(key.name))
            seriesHistogramRole.append(OpenMetricsHistogramCheck.role(of: key.name, labels: key.labels, familyTypes: familyTypes))
        }
        let key = seriesKeys[id]

        var i = seriesEnd
        guard i < b.count else { throw fail(line, i, "expected a value after the series") }
        guard b[i] == UInt8(ascii: " ") else { throw fail(line, i, "expected a space after the series, found \(Self.describe(b, i))") }
        i += 1
        let valueStart = i
        while i < b.count, b[i] != UInt8(ascii: " ") { i += 1 }
        guard i > valueStart else { throw fail(line, valueStart, "expected a value after the series, found \(Self.describe(b, valueStart))") }
        let valueEnd = i
        guard i < b.count, i + 1 < b.count, b[i + 1] != UInt8(ascii: "#") else {
            throw fail(line, i, "sample of \(key.identity) has no timestamp (promtool tsdb create-blocks-from openmetrics "
                + "needs one on every sample: Unix seconds after the value)")
        }
        i += 1
        let timeStart = i
        while i < b.count, b[i] != UInt8(ascii: " ") { i += 1 }
        guard i > timeStart else { throw fail(line, timeStart, "expected a timestamp after the value, found \(Self.describe(b, timeStart))") }
        let timeEnd = i
        if i < b.count { try exemplar(line, from: i, of: key.name) }

        let time: Millis
        do { time = try MetricText.epochSeconds(Self.text(b, timeStart, timeEnd)) } catch { throw fail(line, timeStart, error.message) }
        let value: MetricValue
        do { value = try MetricText.value(Self.text(b, valueStart, valueEnd), series: key, time: time) } catch {
            throw fail(line, valueStart, error.message)
        }
        guard try checker.admit(key, time: time, value: value, isCounter: seriesIsCounter[id], file: file,
                                timePlace: (line.number, timeStart + 1), valuePlace: (line.number, valueStart + 1))
        else { return nil }
        if let role = seriesHistogramRole[id] {
            try histograms.add(role, time: time, value: value, line: line.number, column: valueStart + 1)
        } else {
            try histograms.finish()
        }
        return MetricRow(series: key, time: time, value: value, line: line.number)
    }

    /// Whether a `# TYPE` line made the sample's family a counter or histogram.
    private func isCounterFamily(_ name: String) -> Bool {
        var candidates = [name]
        for suffix in Self.familySuffixes where name.hasSuffix(suffix) { candidates.append(String(name.dropLast(suffix.count))) }
        return candidates.contains { familyTypes[$0] == "counter" || familyTypes[$0] == "histogram" }
    }

    /// The sample names that may carry an exemplar: promtool's parser takes one only on a name ending so, whatever
    /// the family's `# TYPE` (a counter's `_total`, a histogram's or gauge histogram's `_bucket`).
    static let exemplarSuffixes = ["_total", "_bucket"]

    /// ` # {labels} value [timestamp]` after a sample's timestamp: checked for shape, then dropped.
    private func exemplar(_ line: TextLine, from start: Int, of name: String) throws(Diagnostic) {
        let b = line.bytes
        var i = start
        let prefix = Array(" # {".utf8)
        guard b.count - i >= prefix.count, Array(b[i..<(i + prefix.count)]) == prefix else {
            throw fail(line, i, "unexpected text after the timestamp (expected the end of the line or an exemplar \" # {…} value\")")
        }
        guard Self.exemplarSuffixes.contains(where: name.hasSuffix) else {
            throw fail(line, i + 1, "\(name) may not carry an exemplar: only samples named …_total or …_bucket do, "
                + "as promtool has it (remove the \" # {…} …\" part)")
        }
        i += prefix.count - 1
        var labels: [String: String] = [:]
        i = try labelSet(line, openBrace: i, into: &labels)
        guard i < b.count, b[i] == UInt8(ascii: " "), i + 1 < b.count, b[i + 1] != UInt8(ascii: " ") else {
            throw fail(line, i, "expected a value after the exemplar's labels")
        }
        i += 1
        let valueStart = i
        while i < b.count, b[i] != UInt8(ascii: " ") { i += 1 }
        let value = Self.text(b, valueStart, i)
        guard PrometheusFloat.parse(value) != nil else {
            throw fail(line, valueStart, "the exemplar's value \(MessageText.quoted(String(value))) is not a number "
                + "(write a decimal such as 0.25 or 1e-3, as promtool reads it)")
        }
        if i < b.count {
            i += 1
            let timeStart = i
            while i < b.count, b[i] != UInt8(ascii: " ") { i += 1 }
            guard i > timeStart, i == b.count else { throw fail(line, i, "unexpected text after the exemplar") }
            let time = Self.text(b, timeStart, i)
            guard PrometheusFloat.parse(time) == .finite else {
                throw fail(line, timeStart, "the exemplar's timestamp \(MessageText.quoted(String(time))) is not a time "
                    + "(write Unix seconds such as 1790812800 or 1790812800.5, or leave it out)")
            }
        }
    }

    /// Where the series text (`name` or `name{…}`) ends: a quick scan that respects quoted label values. The
    /// full parse checks it the first time the text is seen.
    static func seriesEnd(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while i < b.count, b[i] != UInt8(ascii: " "), b[i] != UInt8(ascii: "{") { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return i }
        var quoted = false
        i += 1
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { quoted = false }
            } else if c == UInt8(ascii: "\"") {
                quoted = true
            } else if c == UInt8(ascii: "}") {
                return i + 1
            }
            i += 1
        }
        return b.count
    }

    /// `name{label="value",…}` at the start of the line; returns the key and the index after it.
    private func parseSeries(_ line: TextLine) throws(Diagnostic) -> (MetricSeriesKey, Int) {
        let b = line.bytes
        var i = 0
        while i < b.count, Self.isNameByte(b[i], first: i == 0, colon: true) { i += 1 }
        if i == 0 {
            if b[0] == UInt8(ascii: "{") {
                throw fail(line, 0, "a sample needs a metric name before \"{\" (quoted metric names are not supported)")
            }
            throw fail(line, 0, "expected a metric name, found \(Self.describe(b, 0))")
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[0..<i]), as: UTF8.self)
        var labels: [String: String] = [:]
        if i < b.count, b[i] == UInt8(ascii: "{") { i = try labelSet(line, openBrace: i, into: &labels) }
        return (MetricSeriesKey(name: name, labels: labels), i)
    }

    /// `{label="value",…}` starting at `openBrace`; returns the index after `}`.
    private func labelSet(_ line: TextLine, openBrace: Int, into labels: inout [String: String]) throws(Diagnostic) -> Int {
        let b = line.bytes
        var i = openBrace + 1
        while true {
            guard i < b.count else { throw fail(line, i, "expected a label name or \"}\", found the end of the line") }
            if b[i] == UInt8(ascii: "}") { return i + 1 }
            let nameStart = i
            while i < b.count, Self.isNameByte(b[i], first: i == nameStart, colon: false) { i += 1 }
            guard i > nameStart else {
                let hint = b[i] == UInt8(ascii: "\"") ? " (quoted label names are not supported)" : ""
                throw fail(line, i, "expected a label name or \"}\", found \(Self.describe(b, i))\(hint)")
            }
            let label = String(decoding: UnsafeBufferPointer(rebasing: b[nameStart..<i]), as: UTF8.self)
            guard i < b.count, b[i] == UInt8(ascii: "=") else {
                throw fail(line, i, "expected \"=\" after label \(label), found \(Self.describe(b, i))")
            }
            i += 1
            guard i < b.count, b[i] == UInt8(ascii: "\"") else {
                throw fail(line, i, "expected a quoted value for label \(label), found \(Self.describe(b, i))")
            }
            let quote = i
            i += 1
            var value: [UInt8] = []
            while true {
                guard i < b.count else { throw fail(line, quote, "unterminated value of label \(label)") }
                let c = b[i]
                if c == UInt8(ascii: "\"") { break }
                if c == UInt8(ascii: "\\"), i + 1 < b.count {
                    switch b[i + 1] {
                    case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "n"): value.append(0x0A)
                    default: value.append(contentsOf: [c, b[i + 1]])
                    }
                    i += 2
                    continue
                }
                value.append(c)
                i += 1
            }
            i += 1
            if label == SeriesSelector.nameLabel {
                throw fail(line, nameStart, "label __name__ inside the braces: write the metric name before \"{\"")
            }
            guard labels.updateValue(String(decoding: value, as: UTF8.self), forKey: label) == nil else {
                throw fail(line, nameStart, "label \(label) is given twice")
            }
            guard i < b.count else { throw fail(line, i, "expected \",\" or \"}\" after the value of label \(label), found the end of the line") }
            if b[i] == UInt8(ascii: ",") {
                // promtool's parser wants a label name after every comma (`expected label name, got "BCLOSE"`).
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "}") {
                    throw fail(line, i, "a label set may not end with a comma: remove the \",\" before \"}\" (promtool refuses it)")
                }
                i += 1
            } else if b[i] != UInt8(ascii: "}") {
                throw fail(line, i, "expected \",\" or \"}\" after the value of label \(label), found \(Self.describe(b, i))")
            }
        }
    }

    @inline(__always)
    static func isNameByte(_ c: UInt8, first: Bool, colon: Bool) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || (colon && c == 0x3A) || (!first && c >= 0x30 && c <= 0x39)
    }

    static func text(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Substring {
        Substring(String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self))
    }

    /// `"x"`, `a space` or `the end of the line`, for messages.
    static func describe(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> String {
        guard i < b.count else { return "the end of the line" }
        if b[i] == 0x20 { return "a space" }
        if b[i] == 0x09 { return "a tab" }
        if b[i] >= 0x80 { return "a non-ASCII character" }
        return JSONTokenizer.describe(b[i])
    }
}
