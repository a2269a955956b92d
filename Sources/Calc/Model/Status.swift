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

/// The samples of one region of a service, in ascending time order with distinct timestamps.
public struct StatusSeries: Equatable, Sendable {
    public var region: String
    public var samples: [StatusSample]
    public init(region: String, samples: [StatusSample]) {
        self.region = region
        self.samples = samples
    }
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

    public init() {}
}
