/// One observation of a metric series.
public struct MetricSample: Equatable, Sendable {
    public var time: Millis
    public var value: MetricValue
    public init(time: Millis, value: MetricValue) {
        self.time = time
        self.value = value
    }
}

/// A counter or histogram-bucket series as imported: its name, its labels and its samples.
public struct MetricSeries: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    /// Every label but `__name__`, which is `name`. Shown sorted by label name.
    public var labels: [String: String]
    /// In ascending time order, at most one per instant (import guarantees both; the calculations rely on it).
    public var samples: [MetricSample]

    public init(name: String, labels: [String: String], samples: [MetricSample]) {
        self.name = name
        self.labels = labels
        self.samples = samples
    }

    /// The value a label matcher sees: the name for `__name__`, and `""` for a label the series does not
    /// carry (as in Prometheus, so `code!="500"` matches a series without `code`).
    public func labelValue(_ label: String) -> String {
        label == SeriesSelector.nameLabel ? name : labels[label] ?? ""
    }

    /// `name{a="1",b="2"}`: labels sorted by name, values quoted and escaped as PromQL writes them.
    public var identity: String {
        guard !labels.isEmpty else { return name }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\(PromQLText.quoted($0.value))" }
        return name + "{" + pairs.joined(separator: ",") + "}"
    }

    public var description: String { identity }
}

/// PromQL string text.
enum PromQLText {
    /// A double-quoted PromQL string: `\`, `"` and control characters escaped.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension [MetricSample] {
    /// The index of the first sample at or after `time` (`count` when there is none), by binary search: the
    /// samples are in ascending time order.
    func firstIndex(atOrAfter time: Millis) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].time < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
