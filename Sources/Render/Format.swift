import Calc

/// The number and time formats of §6, shared by every writer. No locale is ever consulted.
public enum Format {
    /// Percentages: 4 decimals, half-even; empty when there is no value.
    public static func percent(_ value: Ratio?) -> String { value?.formatted(places: 4) ?? "" }

    /// An objective's value in its unit: percent (uptime, error rate) with 4 decimals, latency in
    /// milliseconds and throughput in requests per second with 3 decimals.
    public static func metricValue(_ value: Ratio, _ metric: MetricKind) -> String {
        switch metric {
        case .uptime, .availability, .errorRate: value.formatted(places: 4)
        case .latencyP50, .latencyP95, .latencyP99, .throughput: value.formatted(places: 3)
        }
    }

    /// An error budget amount: whole milliseconds (half-even) for uptime, requests with 3 decimals for error rate.
    public static func budgetAmount(_ value: Ratio, _ unit: ErrorBudget.Unit) -> String {
        unit == .milliseconds ? value.formatted(places: 0) : value.formatted(places: 3)
    }

    /// The unit shown after a metric value for people.
    /// The unit alone, for a unit column: `%`, `ms`, `req/s`.
    public static func unitSymbol(_ metric: MetricKind) -> String {
        String(metricUnit(metric).dropFirst())
    }

    /// An objective's value with its unit for people (`99.9123 %`, `182.500 ms`), or `no data`.
    public static func metricText(_ value: Ratio?, _ metric: MetricKind) -> String {
        value.map { metricValue($0, metric) + metricUnit(metric) } ?? "no data"
    }

    public static func metricUnit(_ metric: MetricKind) -> String {
        switch metric {
        case .uptime, .availability, .errorRate: " %"
        case .latencyP50, .latencyP95, .latencyP99: " ms"
        case .throughput: " req/s"
        }
    }

    /// RFC 3339 in UTC.
    public static func timestamp(_ t: Millis) -> String { Timestamp.format(t) }

    /// An open-ended instant (a lease without end) prints as empty.
    public static func timestamp(orEmpty t: Millis) -> String { t == Millis.max ? "" : Timestamp.format(t) }

    /// A duration for people: `0 s`, `45 s`, `12 min`, `2 h 05 min`, `3 d 4 h 10 min`, always exact to the
    /// minute shown and with seconds when not whole minutes.
    public static func humanDuration(_ ms: Millis) -> String {
        if ms == 0 { return "0 s" }
        var parts: [String] = []
        let totalSeconds = ms / 1000
        let days = totalSeconds / 86400, hours = totalSeconds / 3600 % 24
        let minutes = totalSeconds / 60 % 60, seconds = totalSeconds % 60
        if days > 0 { parts.append("\(days) d") }
        if hours > 0 || (days > 0 && (minutes > 0 || seconds > 0)) { parts.append("\(hours) h") }
        if minutes > 0 || (!parts.isEmpty && seconds > 0) {
            parts.append(parts.isEmpty ? "\(minutes) min" : (minutes < 10 ? "0\(minutes) min" : "\(minutes) min"))
        }
        if seconds > 0 || parts.isEmpty { parts.append(ms % 1000 == 0 ? "\(seconds) s" : "\(seconds).\(pad3(ms % 1000)) s") }
        return parts.joined(separator: " ")
    }

    private static func pad3(_ v: Int64) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}

/// `Format.timestamp`, remembered per instant, for one writer (not shared between threads).
///
/// A report prints the same few instants again and again: every credit line of a month starts and ends at the
/// month's bounds, and violation windows are whole days. Formatting each of them anew was a twentieth of
/// rendering a 10 000-lease report.
extension Format {
    /// An instant on the config's wall clock with the zone's abbreviation (§10.8): `2026-10-25 02:40 CEST`;
    /// seconds and milliseconds are shown only when the instant has them (`10:01:45.990 CEST`).
    public static func localTime(_ t: Millis, _ zone: Zone) -> String {
        let local = t + zone.offsetMillis(at: t)
        let day = floorDiv(local, Duration.day)
        let ms = local - day * Duration.day
        let date = CivilDate(daysSinceEpoch: Int(day))
        func two(_ n: Millis) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var clock = two(ms / Duration.hour) + ":" + two(ms / Duration.minute % 60)
        if ms % Duration.minute != 0 {
            clock += ":" + two(ms / 1000 % 60)
            if ms % 1000 != 0 { clock += "." + String(String(ms % 1000 + 1000).dropFirst()) }
        }
        return "\(date) \(clock) \(zone.abbreviation(at: t))"
    }
}

final class TimestampTexts {
    private var texts: [Millis: String] = [:]

    func callAsFunction(_ t: Millis) -> String {
        if let text = texts[t] { return text }
        let text = Format.timestamp(t)
        texts[t] = text
        return text
    }
}
