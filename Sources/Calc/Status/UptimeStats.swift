/// A maximal run of `down` (or `degraded`) time, clipped to the window it was found in.
public struct Incident: Equatable, Sendable {
    public var service: String
    public var state: ServiceState
    public var start: Millis
    public var end: Millis
    public var durationMs: Millis { end - start }
    public init(service: String, state: ServiceState, start: Millis, end: Millis) {
        self.service = service
        self.state = state
        self.start = start
        self.end = end
    }
}

/// What one window of a service's timeline adds up to (§5.1.4). The `*Ms` figures are what was
/// observed; `eligibleMs` and `good` apply the policy.
public struct UptimeStats: Equatable, Sendable {
    public var window: Interval
    public var upMs: Millis = 0
    public var degradedMs: Millis = 0
    public var downMs: Millis = 0
    public var unknownMs: Millis = 0
    /// Maintenance excluded from eligible time (within the monthly cap).
    public var maintenanceMs: Millis = 0
    public var eligibleMs: Millis = 0
    /// Good time in milliseconds, exact (a `partial:0.5` degraded weight can make it a half).
    public var goodMs: Ratio = .zero
    /// Down runs, in time order.
    public var outages: [Incident] = []
    /// Degraded runs, in time order.
    public var degradations: [Incident] = []

    public var totalMs: Millis { window.duration }
    public var knownMs: Millis { upMs + degradedMs + downMs }

    /// `100 · good / eligible` (`Uptime.percent`), or nil ("no data") when nothing is eligible.
    public private(set) var uptimePercent: Ratio? = nil

    /// `100 · known / (total − maintenance)`, or nil when the whole window is maintenance.
    public var coveragePercent: Ratio? {
        Uptime.coveragePercent(knownMs: knownMs, totalMs: totalMs, maintenanceMs: maintenanceMs)
    }

    public var incidentCount: Int { outages.count }
    public var longestOutageMs: Millis { outages.map(\.durationMs).max() ?? 0 }
    /// Mean down-run duration, floored to the millisecond; nil without outages.
    public var mttrMs: Millis? {
        outages.isEmpty ? nil : outages.reduce(0) { $0 + $1.durationMs } / Millis(outages.count)
    }

    public init(window: Interval) { self.window = window }

    /// Sums a timeline over `window` under `policy`.
    public init(timeline: Timeline, window: Interval, policy: StatusPolicy,
                service: String) throws(ArithmeticOverflowError) {
        self.init(window: window)
        let tally = StateTally(timeline: timeline, window: window)
        upMs = tally.upMs
        degradedMs = tally.degradedMs
        downMs = tally.downMs
        unknownMs = tally.unknownMs
        maintenanceMs = tally.maintenanceMs
        eligibleMs = tally.eligibleMs(policy: policy)
        goodMs = tally.goodMs(policy: policy)
        uptimePercent = try Uptime.percent(goodMs: goodMs, eligibleMs: eligibleMs)
        timeline.forEachSegment(in: window) { segment in
            switch segment.state {
            case .down: outages.append(Incident(service: service, state: .down, start: segment.start, end: segment.end))
            case .degraded: degradations.append(Incident(service: service, state: .degraded, start: segment.start, end: segment.end))
            case .up, .unknown, .maintenance: break
            }
        }
    }
}

/// The uptime formula of SPEC §5.1.4, written once: every uptime figure (a service's month, a window of an
/// objective, the estate's total) is `100 · good / eligible`, exact, and "no data" (nil) when nothing is eligible.
public enum Uptime {
    /// `100 · goodMs / eligibleMs`; nil when `eligibleMs` is 0.
    public static func percent(goodMs: Ratio, eligibleMs: Millis) throws(ArithmeticOverflowError) -> Ratio? {
        guard eligibleMs > 0 else { return nil }
        return try Ratio.hundred * goodMs / Ratio(Int128(eligibleMs), 1)
    }

    /// `100 · known / (total − excluded maintenance)` (§5.1.4); nil when the whole window is maintenance.
    /// Millisecond counts are far below 2^63, so the product in 128 bits cannot overflow.
    public static func coveragePercent(knownMs: Millis, totalMs: Millis, maintenanceMs: Millis) -> Ratio? {
        let base = totalMs - maintenanceMs
        return base > 0 ? Ratio(100 * Int128(knownMs), Int128(base)) : nil
    }
}
