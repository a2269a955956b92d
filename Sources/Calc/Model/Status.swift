/// A status as an export states it. Raw values are what the store keeps; they follow Uptime Kuma's
/// heartbeat codes where those exist (0 down, 1 up, 2 pending, 3 maintenance).
public enum ObservedStatus: UInt8, Sendable, CaseIterable {
    case down = 0, up = 1, pending = 2, maintenance = 3, degraded = 4, unknown = 5

    public var name: String {
        switch self {
        case .down: "down"
        case .up: "up"
        case .pending: "pending"
        case .maintenance: "maintenance"
        case .degraded: "degraded"
        case .unknown: "unknown"
        }
    }
}

/// What one instant of a service's timeline is. Every instant is exactly one of these.
public enum ServiceState: UInt8, Sendable, CaseIterable, Comparable {
    case up, degraded, down, unknown, maintenance

    public var name: String {
        switch self {
        case .up: "up"
        case .degraded: "degraded"
        case .down: "down"
        case .unknown: "unknown"
        case .maintenance: "maintenance"
        }
    }

    public static func < (a: ServiceState, b: ServiceState) -> Bool { a.rawValue < b.rawValue }
}

/// One observation of one (service, region) series.
public struct StatusSample: Equatable, Sendable {
    public var time: Millis
    public var status: ObservedStatus
    public init(time: Millis, status: ObservedStatus) {
        self.time = time
        self.status = status
    }
}

/// Samples `t0, t0 + step, …, t0 + (count − 1)·step` of one status: the store keeps status series as runs.
public struct StatusRun: Equatable, Sendable {
    public var t0: Millis
    /// 0 when `count` is 1.
    public var step: Millis
    public var count: Int64
    public var status: ObservedStatus
    public init(t0: Millis, step: Millis, count: Int64, status: ObservedStatus) {
        self.t0 = t0
        self.step = step
        self.count = count
        self.status = status
    }
    /// The time of the last sample.
    public var last: Millis { t0 + step * (count - 1) }
}

/// The samples of one region of a service, in ascending time order with distinct timestamps, held as runs
/// (consecutive runs in time order, never overlapping).
public struct StatusSeries: Equatable, Sendable {
    public var region: String
    public var runs: [StatusRun]
    public init(region: String, samples: [StatusSample]) {
        self.region = region
        self.runs = samples.map { StatusRun(t0: $0.time, step: 0, count: 1, status: $0.status) }
    }
    public init(region: String, runs: [StatusRun]) {
        self.region = region
        self.runs = runs
    }
    /// Every sample, run by run.
    public var samples: [StatusSample] {
        var out: [StatusSample] = []
        for run in runs {
            for k in 0..<run.count { out.append(StatusSample(time: run.t0 + run.step * k, status: run.status)) }
        }
        return out
    }
    /// Equal when they hold the same samples, however those are cut into runs.
    public static func == (a: StatusSeries, b: StatusSeries) -> Bool { a.region == b.region && a.samples == b.samples }
}

/// A half-open interval of time `[start, end)`.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    public var start: Millis
    public var end: Millis
    public init(start: Millis, end: Millis) {
        self.start = start
        self.end = end
    }
    public var duration: Millis { end - start }
    public var isEmpty: Bool { end <= start }
    public func clipped(to other: Interval) -> Interval {
        Interval(start: max(start, other.start), end: max(max(start, other.start), min(end, other.end)))
    }
    public var description: String { "[\(Timestamp.format(start)), \(Timestamp.format(end)))" }
}

/// How status samples turn into a timeline and an uptime figure (`status_defaults` in the config).
public struct StatusPolicy: Equatable, Sendable {
    public enum MissingData: String, Sendable, CaseIterable { case exclude, up, down }
    public enum RegionRule: String, Sendable, CaseIterable { case any, all, majority }
    public enum PendingRule: String, Sendable, CaseIterable { case down, unknown }

    /// A sample holds until the next one of its series, at most this long.
    public var maxSampleGap: Millis = 5 * Duration.minute
    public var missingData: MissingData = .exclude
    /// The weight of degraded time in `good`: 1 for `up`, 0 for `down`, w for `partial:w`.
    public var degradedWeight: Ratio = Ratio(1)
    public var regions: RegionRule = .any
    public var pending: PendingRule = .down
    /// Maintenance excluded per service and local calendar month; beyond it counts as down. `nil`: no cap.
    public var maxExcludedMaintenance: Millis? = nil
    /// The least coverage (percent, §10.1) an objective needs over a credit segment for the segment to earn a
    /// credit; below it, or with nothing eligible, the line is `insufficient_data` and credits nothing.
    public var minCoverage: Ratio = Ratio(90)

    public init() {}
}
