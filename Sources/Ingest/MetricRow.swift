import Calc

/// A metric series as a reader names it: the metric name, its labels (without `__name__`, none with an empty
/// value) and its canonical text, which is what the store keys it by.
package struct MetricSeriesKey: Hashable {
    package let name: String
    package let labels: [String: String]
    /// `name{a="1",b="2"}`, labels sorted by name (`MetricSeries.identity`); just `name` without labels.
    package let identity: String

    /// Labels with an empty value are dropped: Prometheus treats `code=""` and a missing `code` alike.
    package init(name: String, labels: [String: String]) {
        self.name = name
        self.labels = labels.filter { !$0.value.isEmpty }
        identity = MetricSeries(name: name, labels: self.labels, samples: []).identity
    }

    /// The label text after the name: `{a="1",b="2"}`, or `""` without labels.
    package var labelText: String { String(identity.dropFirst(name.count)) }

    package static func == (a: MetricSeriesKey, b: MetricSeriesKey) -> Bool { a.identity == b.identity }
    package func hash(into hasher: inout Hasher) { hasher.combine(identity) }

    /// Counters and histogram parts by their name (SPEC §8 negative counters): `_total`, `_count`, `_bucket`, `_sum`.
    package static let counterSuffixes = ["_total", "_count", "_bucket", "_sum"]

    package var hasCounterName: Bool { Self.counterSuffixes.contains { name.hasSuffix($0) } }
}

/// One metric sample read from an export (SPEC §4.2).
package struct MetricRow: Equatable {
    package var series: MetricSeriesKey
    package var time: Millis
    package var value: MetricValue
    /// The physical line (1-based) the sample is on; for JSON, the line of its `[t, "v"]` pair.
    package var line: Int

    package init(series: MetricSeriesKey, time: Millis, value: MetricValue, line: Int) {
        self.series = series
        self.time = time
        self.value = value
        self.line = line
    }

    package init(name: String, labels: [String: String], time: Millis, value: MetricValue, line: Int) {
        self.init(series: MetricSeriesKey(name: name, labels: labels), time: time, value: value, line: line)
    }

    package var name: String { series.name }
    package var labels: [String: String] { series.labels }
}

/// Anything that reads a metric export into rows: it delivers them in batches and returns how many it read.
/// Each reader checks its own file (per-series time order, in-file duplicates, NaN/Inf, negative counters) and
/// throws a `Diagnostic` naming the place; rows already delivered are the caller's to discard.
package protocol MetricRowSource {
    func parse(batch: ([MetricRow]) throws -> Void) throws -> Int
    /// What the file said besides its rows, after `parse` (a server's warnings in a Prometheus response).
    func warnings() throws -> [Diagnostic]
}

extension MetricRowSource {
    package func warnings() throws -> [Diagnostic] { [] }
}

/// The checks every metric reader makes on each sample, in one place so the three formats say the same things.
///
/// Keeps the last sample of every series seen (memory grows with the number of series, not samples).
package struct MetricSampleChecker {
    private var last: [MetricSeriesKey: (time: Millis, value: MetricValue, line: Int)] = [:]

    /// Whether to keep the sample: false for an exact repeat of its series' previous sample. Throws for an
    /// earlier time, the same time with another value, a negative counter value, or a `_bucket` series whose
    /// `le` is not a bound. `isCounter` adds to the name rule (`# TYPE … counter|histogram`).
    /// `timePlace`/`valuePlace` are the (line, column) the messages point at.
    package mutating func admit(_ series: MetricSeriesKey, time: Millis, value: MetricValue, isCounter: Bool = false,
                        file: String, timePlace: (line: Int, column: Int), valuePlace: (line: Int, column: Int))
        throws(Diagnostic) -> Bool {
        func fail(_ place: (line: Int, column: Int), _ message: String) -> Diagnostic {
            Diagnostic(file: file, line: place.line, column: place.column, message: message)
        }
        if let previous = last[series] {
            if time < previous.time {
                throw fail(timePlace, "out of order: \(series.identity) at \(Timestamp.format(time)) is earlier than "
                    + "\(Timestamp.format(previous.time)) on line \(previous.line) (each series must be in ascending time order)")
            }
            if time == previous.time {
                if value == previous.value { return false }
                throw fail(valuePlace, "conflicting values for \(series.identity) at \(Timestamp.format(time)): "
                    + "\(value) here, \(previous.value) on line \(previous.line)")
            }
        } else if series.name.hasSuffix("_bucket") {
            guard let le = series.labels["le"] else {
                throw fail(valuePlace, "histogram bucket \(series.identity) has no \"le\" label (its upper bound)")
            }
            guard BucketBound.parse(Substring(le)) != nil else {
                throw fail(valuePlace, "histogram bucket \(series.identity) has \"le\" \(MessageText.quoted(le)), "
                    + "which is not a bucket bound (expected a number or +Inf)")
            }
        }
        if value < MetricValue(0), isCounter || series.hasCounterName {
            throw fail(valuePlace, "negative value \(value) for counter \(series.identity) at \(Timestamp.format(time)) "
                + "(counters never go below 0; a reset starts again from 0)")
        }
        last[series] = (time, value, timePlace.line)
        return true
    }
}

/// Shared text rules of the metric readers.
package enum MetricText {
    /// Metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    package static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x3A
        }
    }

    /// A sample value, exactly; the reason when it is not one (NaN, ±Inf, malformed, out of range).
    package static func value(_ text: Substring, series: MetricSeriesKey, time: Millis) throws(MetricValueReason) -> MetricValue {
        do {
            return try MetricValue.parsing(text)
        } catch {
            throw MetricValueReason(message: "\(error) (\(series.identity) at \(Timestamp.format(time)))")
        }
    }

    /// Unix seconds as Prometheus writes them (`1790812800`, `1790812800.125`, `1.7908128e9`) → milliseconds,
    /// exactly, sub-millisecond digits truncated toward the earlier millisecond (as `Timestamp.parse` does).
    package static func epochSeconds(_ text: Substring) throws(MetricValueReason) -> Millis {
        let seconds: MetricValue
        do { seconds = try MetricValue.parsing(text) } catch {
            throw MetricValueReason(message: "not a timestamp: \(MessageText.quoted(String(text))) (expected Unix seconds such as 1790812800 or 1790812800.5)")
        }
        // Years 0001–9999, as RFC 3339 can write them.
        let limit = Ratio(253_402_300_800, 1)
        guard Ratio(-62_135_596_800, 1) <= seconds.exact, seconds.exact < limit else {
            throw MetricValueReason(message: "timestamp \(MessageText.quoted(String(text))) is out of range (expected Unix seconds)")
        }
        let scaled = seconds.exact.numerator * 1000
        let d = seconds.exact.denominator
        var millis = scaled / d
        if scaled % d != 0 && scaled < 0 { millis -= 1 }
        return Millis(millis)
    }
}

/// A float field as Prometheus's text parsers read it: Go's `strconv.ParseFloat` less the hexadecimal and `_` forms
/// they refuse ("unsupported character in float"). For the fields slareport checks but drops (exemplars), so that it
/// refuses what promtool refuses; sample values and timestamps are read exactly by `MetricValue` instead.
package enum PrometheusFloat: Equatable {
    case finite, infinite, notANumber

    /// An optionally signed decimal (`1`, `-.5`, `5.`, `1e-3`), `Inf` or `Infinity` with an optional sign, or `NaN`,
    /// case aside; nil for anything else, a decimal beyond a Double's range included (Go: "value out of range").
    package static func parse(_ text: Substring) -> PrometheusFloat? {
        var bytes = Array(text.utf8)[...]
        let signed = bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-")
        if signed { bytes = bytes.dropFirst() }
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "inf", "infinity": return .infinite
        case "nan": return signed ? nil : .notANumber
        default: break
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var i = bytes.startIndex
        var mantissaDigits = 0
        while i < bytes.endIndex, isDigit(bytes[i]) { i += 1; mantissaDigits += 1 }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.endIndex, isDigit(bytes[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < bytes.endIndex, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let exponentStart = i
            while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
            guard i > exponentStart else { return nil }
        }
        guard i == bytes.endIndex, let value = Double(String(text)), value.isFinite else { return nil }
        return .finite
    }
}

/// Why a value or timestamp text was rejected; the reader adds the place.
package struct MetricValueReason: Error {
    package var message: String
}
