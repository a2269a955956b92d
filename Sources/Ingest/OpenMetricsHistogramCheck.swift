import Calc

/// The rules an OpenMetrics histogram point keeps, checked as the lines go by (one point held at a time).
///
/// A point is the samples of one `# TYPE … histogram` or `gaugehistogram` family with one label set (besides `le`) at
/// one time, written together: the buckets in ascending `le` order, each at least the bucket before it (they are
/// cumulative), the last one `le="+Inf"`, which counts every observation and so equals `_count` (`_gcount`) when that
/// is given. promtool 2.42 checks none of this (the OpenMetrics corpus's bad_histograms_* all backfill); a quantile
/// from buckets that are out of order or not cumulative would be wrong without a word, so slareport refuses them.
/// `_sum` and `_gsum` samples belong to the point but are not checked here; `_created` is left out of points.
struct OpenMetricsHistogramCheck {
    /// What one series is to a histogram point.
    struct Role {
        enum Part { case bucket(BucketBound, le: String), count, sum, created }
        /// The family's name and its label set without `le`: `http_request_duration_seconds{service="api"}`.
        var histogram: String
        var part: Part
        /// `_count` or `_gcount`, `_sum` or `_gsum`: for messages.
        var countName: String
        var sumName: String
    }

    private struct Point {
        var histogram: String
        var time: Millis
        var lastBucket: (bound: BucketBound, le: String, value: MetricValue, line: Int)?
        var infinity: (value: MetricValue, line: Int)?
        var count: (value: MetricValue, line: Int)?
        var lastLine: Int
        var countName: String
        var sumName: String
    }

    let file: String
    private var point: Point?

    init(file: String) { self.file = file }

    /// The series' role, when its family is declared a histogram or gauge histogram and its name has one of the
    /// family's suffixes. `labels` are the series' labels; a bucket's `le` was checked by `MetricSampleChecker`.
    static func role(of name: String, labels: [String: String], familyTypes: [String: String]) -> Role? {
        for (suffix, types) in [("_bucket", ["histogram", "gaugehistogram"]), ("_count", ["histogram"]), ("_sum", ["histogram"]),
                                ("_created", ["histogram"]), ("_gcount", ["gaugehistogram"]), ("_gsum", ["gaugehistogram"])]
        where name.hasSuffix(suffix) {
            let family = String(name.dropLast(suffix.count))
            guard let type = familyTypes[family], types.contains(type) else { continue }
            var rest = labels
            let le = rest.removeValue(forKey: "le")
            let part: Role.Part
            switch suffix {
            case "_bucket":
                guard let le, let bound = BucketBound.parse(Substring(le)) else { return nil }
                part = .bucket(bound, le: le)
            case "_count", "_gcount": part = .count
            case "_created": part = .created
            default: part = .sum
            }
            let gauge = type == "gaugehistogram"
            return Role(histogram: MetricSeriesKey(name: family, labels: rest).identity, part: part,
                        countName: family + (gauge ? "_gcount" : "_count"), sumName: family + (gauge ? "_gsum" : "_sum"))
        }
        return nil
    }

    /// A sample of a histogram point: checks it against the point's samples so far, first ending the point before
    /// it when it starts another. `column` is the value's, which the messages point at.
    /// A `_created` sample neither starts nor ends a point (exporters write it beside the point or not at all).
    mutating func add(_ role: Role, time: Millis, value: MetricValue, line: Int, column: Int) throws(Diagnostic) {
        func fail(_ message: String) -> Diagnostic { Diagnostic(file: file, line: line, column: column, message: message) }
        if case .created = role.part { return }
        if let point, point.histogram != role.histogram || point.time != time { try finish() }
        var current = point ?? Point(histogram: role.histogram, time: time, lastLine: line, countName: role.countName,
                                     sumName: role.sumName)
        var at: String { "\(role.histogram) at \(Timestamp.format(time))" }
        switch role.part {
        case let .bucket(bound, le):
            if let last = current.lastBucket {
                guard last.bound < bound else {
                    throw fail("histogram buckets out of order: le=\(MessageText.quoted(le)) of \(at) comes after "
                        + "le=\(MessageText.quoted(last.le)) on line \(last.line) (write a point's buckets in ascending "
                        + "\"le\" order, ending with le=\"+Inf\")")
                }
                guard last.value <= value else {
                    throw fail("histogram buckets not cumulative: le=\(MessageText.quoted(le)) of \(at) is \(value), "
                        + "less than \(last.value) in le=\(MessageText.quoted(last.le)) on line \(last.line) (a bucket "
                        + "counts every observation up to its bound, so it is never less than the bucket before it)")
                }
            }
            current.lastBucket = (bound, le, value, line)
            if bound == .infinity {
                if let count = current.count, count.value != value {
                    throw fail("histogram \(at): its le=\"+Inf\" bucket is \(value) but \(role.countName) on line "
                        + "\(count.line) is \(count.value) (both count every observation, so they must be equal)")
                }
                current.infinity = (value, line)
            }
        case .count:
            if let infinity = current.infinity, infinity.value != value {
                throw fail("histogram \(at): \(role.countName) is \(value) but its le=\"+Inf\" bucket on line "
                    + "\(infinity.line) is \(infinity.value) (both count every observation, so they must be equal)")
            }
            current.count = (value, line)
        case .sum, .created:
            break
        }
        current.lastLine = line
        point = current
    }

    /// Ends the point being read (at a sample of another series or family, a `#` line, or the end of the file):
    /// throws, naming its last line, when it had no `le="+Inf"` bucket.
    mutating func finish() throws(Diagnostic) {
        guard let ended = point else { return }
        point = nil
        guard ended.infinity != nil else {
            throw Diagnostic(file: file, line: ended.lastLine, column: 1, message:
                "histogram \(ended.histogram) at \(Timestamp.format(ended.time)) ends on this line without a le=\"+Inf\" "
                + "bucket (write each point's samples together at one time: its buckets in ascending \"le\" order "
                + "ending with le=\"+Inf\", then \(ended.countName) and \(ended.sumName))")
        }
    }
}
