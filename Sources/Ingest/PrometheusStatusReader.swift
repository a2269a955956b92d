import Calc
import Foundation

/// Reads a Prometheus HTTP API `query_range` response of a 0/1 series (`probe_success`, `up`) as status rows
/// (SPEC §4.1 `prometheus-json`).
///
/// ```json
/// {"status":"success","data":{"resultType":"matrix","result":[
///   {"metric":{"__name__":"probe_success","service":"checkout","region":"eu"},"values":[[1790812800,"1"],…]}]}}
/// ```
///
/// - The service is the first of `serviceLabels` (default `service`, `job`, `instance`) the series carries with
///   a non-empty value; the region is its `region` label, else none. Two series giving the same service and
///   region are an error (their samples would interleave into one series).
/// - Timestamps are JSON numbers of Unix seconds (`1790812800`, `1790812800.5`), kept to the millisecond.
///   Values are strings: `"1"` is up, `"0"` is down; anything else (`"0.5"`, `"NaN"`) is an error naming the
///   series and the time.
/// - Each series' samples must be in ascending time order; an exact repeat is dropped, the same time with the
///   other value is an error.
/// - `"status":"error"` responses are rejected with Prometheus's `error` text; other `resultType`s than
///   `matrix` are rejected. Members are read in any order (a series' `values` before its `metric` are held
///   until the `metric` arrives; Prometheus itself writes `metric` first).
/// - The file is streamed through `JSONTokenizer`; problems are `Diagnostic`s with the line and column.
package struct PrometheusStatusReader: StatusRowSource {
    package static let defaultServiceLabels = ["service", "job", "instance"]

    package let path: String
    package let displayName: String
    package var serviceLabels: [String] = PrometheusStatusReader.defaultServiceLabels
    package var range: StatusTimeRange = .all
    package var batchSize: Int = StatusCSVParser.defaultBatchSize
    package var chunkSize: Int = JSONTokenizer.defaultChunkSize
    /// The response's `warnings`, read by the last `parse`.
    private let notes = PrometheusResponse.Notes()

    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        let json = try JSONTokenizer(path: path, displayName: displayName, chunkSize: chunkSize)
        notes.warnings = []
        return try withoutActuallyEscaping(batch) { deliver in
            let reader = PrometheusResponseReader(json: json, serviceLabels: serviceLabels, range: range,
                                                  batchSize: batchSize, notes: notes, deliver: deliver)
            return try reader.read()
        }
    }

    package func warnings() throws -> [Diagnostic] { notes.diagnostics(file: displayName) }

    package init(path: String, displayName: String, serviceLabels: [String] = PrometheusStatusReader.defaultServiceLabels, range: StatusTimeRange = .all, batchSize: Int = StatusCSVParser.defaultBatchSize, chunkSize: Int = JSONTokenizer.defaultChunkSize) {
        self.path = path
        self.displayName = displayName
        self.serviceLabels = serviceLabels
        self.range = range
        self.batchSize = batchSize
        self.chunkSize = chunkSize
    }
}

/// One pass over a response; holds the rows of the batch being filled and the series seen so far.
private final class PrometheusResponseReader {
    let json: JSONTokenizer
    let serviceLabels: [String]
    let range: StatusTimeRange
    let notes: PrometheusResponse.Notes
    let deliver: ([StatusRow]) throws -> Void

    var rows: RowBatch<StatusRow>
    /// (service, region) → the series that claimed it and the line its `metric` is on.
    var claimed: [SeriesKey: (description: String, line: Int)] = [:]

    struct SeriesKey: Hashable {
        var service: String
        var region: String
    }

    init(json: JSONTokenizer, serviceLabels: [String], range: StatusTimeRange, batchSize: Int,
         notes: PrometheusResponse.Notes, deliver: @escaping ([StatusRow]) throws -> Void) {
        self.notes = notes
        self.json = json
        self.serviceLabels = serviceLabels
        self.range = range
        self.deliver = deliver
        rows = RowBatch(size: batchSize)
    }

    func read() throws -> Int {
        try PrometheusResponse.readMatrix(json, what: "status", notes: notes) { try readSeries($0) }
        return try rows.finish(deliver)
    }

    /// One element of `result`: `{"metric": {...}, "values": [[t, "v"], ...]}`.
    func readSeries(_ first: JSONToken) throws {
        guard first == .beginObject else {
            throw json.error("each element of \"result\" must be a series object, not \(first.kind)")
        }
        let start = json.position
        var series: (key: SeriesKey, description: String)?
        /// Samples read before the series' `metric`.
        var early: [(time: Millis, status: ObservedStatus, place: JSONPosition)] = []
        var last: (time: Millis, status: ObservedStatus, line: Int)?

        func take(_ time: Millis, _ status: ObservedStatus, _ place: JSONPosition, _ series: (key: SeriesKey, description: String)) throws {
            guard range.contains(time) else { return }
            if let previous = last, time <= previous.time {
                if time < previous.time {
                    throw json.error("out of order: \(series.description) at \(Timestamp.format(time)) is earlier than "
                                     + "\(Timestamp.format(previous.time)) on line \(previous.line) (each series must be in ascending time order)",
                                     at: place)
                }
                if status == previous.status { return }
                throw json.error("conflicting values for \(series.description) at \(Timestamp.format(time)): "
                                 + "\(status.name) here, \(previous.status.name) on line \(previous.line)", at: place)
            }
            last = (time, status, place.line)
            try rows.append(StatusRow(service: series.key.service, region: series.key.region, time: time, status: status,
                                      responseTimeMs: nil, message: nil, line: place.line), deliver: deliver)
        }

        try json.members { name in
            switch name {
            case "metric":
                let token = try json.nextValue()
                guard token == .beginObject else { throw json.error("\"metric\" must be an object of labels, not \(token.kind)") }
                let metricPlace = json.position
                let labels = try readLabels()
                let resolved = try resolve(labels, at: metricPlace)
                series = resolved
                for sample in early { try take(sample.time, sample.status, sample.place, resolved) }
                early = []
            case "values":
                let token = try json.nextValue()
                guard token == .beginArray else {
                    throw json.error("\"values\" must be an array of [timestamp, \"value\"] pairs, not \(token.kind)")
                }
                try json.elements { pair in
                    let sample = try readPair(pair, series: series?.description)
                    if let series {
                        try take(sample.time, sample.status, sample.place, series)
                    } else {
                        early.append(sample)
                    }
                }
            case "value":
                throw json.error("a series has \"value\", so this is an instant query's vector; "
                                 + "a status import needs a range query (/api/v1/query_range) whose series have \"values\"")
            case "histograms":
                throw json.error("a series has \"histograms\" (native histogram samples); a status series holds 0 and 1 only")
            default:
                try json.skipValue()
            }
        }
        guard series != nil else { throw json.error("this series has no \"metric\" member", at: start) }
    }

    /// Label name → value and the place of the value, after the `metric` object's `{`.
    func readLabels() throws -> [String: (value: String, place: JSONPosition)] {
        var labels: [String: (value: String, place: JSONPosition)] = [:]
        try json.members { name in
            guard let value = try json.string(for: "label \(MessageText.quoted(name))") else { return }
            labels[name] = (value, json.position)
        }
        return labels
    }

    /// The series' service and region, checking no earlier series claimed them. The two names are refused with a
    /// control character in them, and taken in NFC (`NameText`): the claim check compares them as the store will.
    func resolve(_ placed: [String: (value: String, place: JSONPosition)], at place: JSONPosition) throws
        -> (key: SeriesKey, description: String) {
        let labels = placed.mapValues(\.value)
        let description = Self.describe(labels)
        guard let serviceLabel = serviceLabels.first(where: { labels[$0]?.isEmpty == false }),
              let service = labels[serviceLabel] else {
            throw json.error("series \(description) has none of the labels \(serviceLabels.joined(separator: ", ")) "
                             + "to name its service (choose one with --service-label, or service_label in the config)", at: place)
        }
        for (what, label) in [("service label \(serviceLabel)", serviceLabel), ("label region", "region")] {
            guard let (value, valuePlace) = placed[label], let (scalar, _) = NameText.firstControl(value) else { continue }
            throw json.error(NameText.controlMessage(what, value, scalar: scalar), at: valuePlace)
        }
        let key = SeriesKey(service: NameText.canonical(service), region: NameText.canonical(labels["region"] ?? ""))
        if let earlier = claimed[key] {
            let name = MessageText.quoted(service) + (key.region.isEmpty ? "" : " region \(MessageText.quoted(key.region))")
            throw json.error("series \(description) gives the same service \(name) as series \(earlier.description) on line "
                             + "\(earlier.line); choose a label that tells them apart with --service-label", at: place)
        }
        claimed[key] = (description, place.line)
        return (key, description)
    }

    /// `[1790812800, "1"]` → time and status.
    func readPair(_ first: JSONToken, series: String?) throws -> (time: Millis, status: ObservedStatus, place: JSONPosition) {
        guard first == .beginArray else {
            throw json.error("each element of \"values\" must be a [timestamp, \"value\"] pair, not \(first.kind)")
        }
        let place = json.position
        let timeToken = try json.nextValue()
        guard case .number(let text) = timeToken else {
            throw json.error("a sample's timestamp must be a number of Unix seconds, not \(timeToken.kind)")
        }
        let time = try Self.epochMillis(text, json: json)
        let valueToken = try json.nextValue()
        guard case .string(let value) = valueToken else {
            throw json.error("a sample's value must be a string such as \"1\", not \(valueToken.kind)")
        }
        let valuePlace = json.position
        let status: ObservedStatus
        switch value {
        case "1": status = .up
        case "0": status = .down
        default:
            throw json.error("\(series ?? "this series") has the value \(MessageText.quoted(value)) at \(Timestamp.format(time)); "
                             + "a status series must be 0 (down) or 1 (up), such as probe_success or up", at: valuePlace)
        }
        let close = try json.nextValue()
        guard close == .endArray else { throw json.error("a [timestamp, \"value\"] pair has more than two elements") }
        return (time, status, place)
    }

    /// Unix seconds as written in JSON (`1790812800`, `1790812800.125`) → milliseconds, exactly.
    static func epochMillis(_ text: String, json: JSONTokenizer) throws -> Millis {
        if let millis = Timestamp.epochMillisFast(text) { return millis }
        let plain = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        guard plain else {
            throw json.error("timestamp \(text) is not plain Unix seconds (expected digits with an optional fraction)")
        }
        do { return try Timestamp.parse(Substring(text)) } catch { throw json.error(error.reason) }
    }

    /// `probe_success{instance="…",job="…"}`: the name, then the other labels sorted by name.
    static func describe(_ labels: [String: String]) -> String {
        let name = labels["__name__"] ?? ""
        let rest = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(MessageText.quoted($0.value))" }
        return name + "{" + rest.joined(separator: ",") + "}"
    }

}
