import Calc

/// Reads Prometheus HTTP API `query_range` responses of raw counters and histogram buckets as metric rows
/// (SPEC §4.2 `prometheus-json`).
///
/// ```json
/// {"status":"success","data":{"resultType":"matrix","result":[
///   {"metric":{"__name__":"http_requests_total","service":"api","code":"200"},"values":[[1790812800,"1027"],…]}]}}
/// ```
///
/// - The series' name is its `__name__` label (a series without one, the result of an expression such as
///   `rate(…)`, is an error: export the raw series); the other labels are its labels.
/// - Timestamps are JSON numbers of Unix seconds, kept to the millisecond; values are strings read exactly by
///   `MetricValue` (`"NaN"`, `"+Inf"` are errors naming the series and time), negative counters are errors.
/// - Each series' samples must be in ascending time order; an exact repeat is dropped, the same time with another
///   value is an error. Two `result` entries with the same labels are one series.
/// - `"status":"error"` is rejected with Prometheus's `error` text; other `resultType`s than `matrix`, an instant
///   query's `value` and native `histograms` are rejected. Members may come in any order (a series' `values`
///   before its `metric` are held until the `metric` arrives; Prometheus writes `metric` first).
/// - The file is streamed through `JSONTokenizer`.
package struct PrometheusMetricsReader: MetricRowSource {
    package let path: String
    package let displayName: String
    package var batchSize: Int = StatusCSVParser.defaultBatchSize
    package var chunkSize: Int = JSONTokenizer.defaultChunkSize
    /// The response's `warnings`, read by the last `parse`.
    private let notes = PrometheusResponse.Notes()

    package init(path: String, displayName: String) {
        self.path = path
        self.displayName = displayName
    }

    package func parse(batch: ([MetricRow]) throws -> Void) throws -> Int {
        let json = try JSONTokenizer(path: path, displayName: displayName, chunkSize: chunkSize)
        notes.warnings = []
        return try withoutActuallyEscaping(batch) { deliver in
            try PrometheusMatrixReader(json: json, batchSize: batchSize, notes: notes, deliver: deliver).read()
        }
    }

    package func warnings() throws -> [Diagnostic] { notes.diagnostics(file: displayName) }
}

/// One pass over a response; holds the batch being filled and the per-series checks.
private final class PrometheusMatrixReader {
    let json: JSONTokenizer
    let notes: PrometheusResponse.Notes
    let deliver: ([MetricRow]) throws -> Void
    var rows: RowBatch<MetricRow>
    var checker = MetricSampleChecker()

    init(json: JSONTokenizer, batchSize: Int, notes: PrometheusResponse.Notes, deliver: @escaping ([MetricRow]) throws -> Void) {
        self.json = json
        self.notes = notes
        self.deliver = deliver
        rows = RowBatch(size: batchSize)
    }

    func read() throws -> Int {
        try PrometheusResponse.readMatrix(json, what: "metrics", notes: notes) { try readSeries($0) }
        return try rows.finish(deliver)
    }

    /// One element of `result`: `{"metric": {...}, "values": [[t, "v"], ...]}`.
    func readSeries(_ first: JSONToken) throws {
        guard first == .beginObject else {
            throw json.error("each element of \"result\" must be a series object, not \(first.kind)")
        }
        let start = json.position
        var series: MetricSeriesKey?
        /// Samples read before the series' `metric`: their text, checked once the series is known.
        var early: [(time: Millis, value: String, place: JSONPosition, valuePlace: JSONPosition)] = []

        func take(_ time: Millis, _ text: String, _ place: JSONPosition, _ valuePlace: JSONPosition, _ series: MetricSeriesKey) throws {
            let value: MetricValue
            do { value = try MetricText.value(Substring(text), series: series, time: time) } catch {
                throw json.error(error.message, at: valuePlace)
            }
            guard try checker.admit(series, time: time, value: value, file: json.displayName,
                                    timePlace: (place.line, place.column), valuePlace: (valuePlace.line, valuePlace.column))
            else { return }
            try rows.append(MetricRow(series: series, time: time, value: value, line: place.line), deliver: deliver)
        }

        try json.members { name in
            switch name {
            case "metric":
                let token = try json.nextValue()
                guard token == .beginObject else { throw json.error("\"metric\" must be an object of labels, not \(token.kind)") }
                let place = json.position
                let resolved = try readMetric(at: place)
                series = resolved
                for sample in early { try take(sample.time, sample.value, sample.place, sample.valuePlace, resolved) }
                early = []
            case "values":
                let token = try json.nextValue()
                guard token == .beginArray else {
                    throw json.error("\"values\" must be an array of [timestamp, \"value\"] pairs, not \(token.kind)")
                }
                try json.elements { pair in
                    let sample = try readPair(pair)
                    if let series {
                        try take(sample.time, sample.value, sample.place, sample.valuePlace, series)
                    } else {
                        early.append(sample)
                    }
                }
            case "value":
                throw json.error("a series has \"value\", so this is an instant query's vector; "
                                 + "a metrics import needs a range query (/api/v1/query_range) whose series have \"values\"")
            case "histograms":
                throw json.error("a series has \"histograms\" (native histogram samples), which are not supported; "
                                 + "export the classic _bucket series")
            default:
                try json.skipValue()
            }
        }
        guard series != nil else { throw json.error("this series has no \"metric\" member", at: start) }
    }

    /// The `metric` object (after its `{`) as a series key.
    func readMetric(at place: JSONPosition) throws -> MetricSeriesKey {
        var labels: [String: String] = [:]
        var name: String?
        try json.members { label in
            let labelPlace = json.position
            guard let value = try json.string(for: "label \(MessageText.quoted(label))") else { return }
            if let (scalar, _) = NameText.firstControl(value) {
                throw json.error(NameText.controlMessage(label == SeriesSelector.nameLabel ? "__name__" : "label \(label)",
                                                         value, scalar: scalar))
            }
            if label == SeriesSelector.nameLabel {
                name = value
                return
            }
            guard PrometheusLabel.isValidName(label) else {
                throw json.error("not a Prometheus label name: \(MessageText.quoted(label))", at: labelPlace)
            }
            guard labels.updateValue(value, forKey: label) == nil else {
                throw json.error("label \(label) is given twice", at: labelPlace)
            }
        }
        let described = MetricSeriesKey(name: name ?? "", labels: labels).identity
        guard let name else {
            throw json.error("series \(described) has no __name__ label; export raw series (e.g. http_requests_total), "
                             + "not the result of an expression such as rate(…)", at: place)
        }
        guard MetricText.isValidMetricName(name) else {
            throw json.error("series \(described): __name__ \(MessageText.quoted(name)) is not a metric name", at: place)
        }
        return MetricSeriesKey(name: name, labels: labels)
    }

    /// `[1790812800, "1027"]` → time and value text, with the places of the pair and of the value.
    func readPair(_ first: JSONToken) throws -> (time: Millis, value: String, place: JSONPosition, valuePlace: JSONPosition) {
        guard first == .beginArray else {
            throw json.error("each element of \"values\" must be a [timestamp, \"value\"] pair, not \(first.kind)")
        }
        let place = json.position
        let timeToken = try json.nextValue()
        guard case .number(let text) = timeToken else {
            throw json.error("a sample's timestamp must be a number of Unix seconds, not \(timeToken.kind)")
        }
        let time: Millis
        do { time = try MetricText.epochSeconds(Substring(text)) } catch { throw json.error(error.message) }
        let valueToken = try json.nextValue()
        guard case .string(let value) = valueToken else {
            throw json.error("a sample's value must be a string such as \"1027\", not \(valueToken.kind)")
        }
        let valuePlace = json.position
        let close = try json.nextValue()
        guard close == .endArray else { throw json.error("a [timestamp, \"value\"] pair has more than two elements") }
        return (time, value, place, valuePlace)
    }

}
