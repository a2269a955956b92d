/// How long one window of a timeline spent in each state, and what that makes eligible and good under a
/// policy (§5.1.4). This is the arithmetic of `UptimeStats` without its incident lists: burn rates sum some
/// 900 windows per service and budget, credits and violations one window per lease, and none of them needs
/// more than eligible and good time, so the sums stay plain integer milliseconds and nothing is allocated.
public struct StateTally: Equatable, Sendable {
    public var upMs: Millis = 0
    public var degradedMs: Millis = 0
    public var downMs: Millis = 0
    /// Unknown time, including any part of the window the timeline does not cover.
    public var unknownMs: Millis = 0
    /// Maintenance excluded from eligible time (within the monthly cap).
    public var maintenanceMs: Millis = 0

    public init() {}

    /// Sums `timeline` over `window`; time the timeline does not cover is unknown, so the five figures always
    /// add up to the window's duration.
    public init(timeline: Timeline, window: Interval) {
        timeline.forEachSegment(in: window) { add($0.state, $0.end - $0.start) }
        unknownMs += window.duration - totalMs
    }

    mutating func add(_ state: ServiceState, _ ms: Millis) {
        switch state {
        case .up: upMs += ms
        case .degraded: degradedMs += ms
        case .down: downMs += ms
        case .unknown: unknownMs += ms
        case .maintenance: maintenanceMs += ms
        }
    }

    public var totalMs: Millis { upMs + degradedMs + downMs + unknownMs + maintenanceMs }

    /// The window less excluded maintenance, and less unknown time when `missing_data` is `exclude`.
    public func eligibleMs(policy: StatusPolicy) -> Millis {
        totalMs - maintenanceMs - (policy.missingData == .exclude ? unknownMs : 0)
    }

    /// Good time multiplied by the degraded weight's denominator, so that it is a whole number even when the
    /// weight is not (`partial:0.5` makes 3 ms of degraded time 1.5 good ms, here 3 with a scale of 2).
    /// Divide by `goodScale(policy:)` for milliseconds.
    public func scaledGoodMs(policy: StatusPolicy) -> Int128 {
        let weight = policy.degradedWeight
        let unknownGood: Millis = policy.missingData == .up ? unknownMs : 0
        return Int128(upMs + unknownGood) * weight.denominator + Int128(degradedMs) * weight.numerator
    }

    /// What `scaledGoodMs` and `scaledBadMs` are multiplied by: the degraded weight's denominator.
    public static func goodScale(policy: StatusPolicy) -> Int128 { policy.degradedWeight.denominator }

    /// Bad time (eligible − good) multiplied by `goodScale(policy:)`.
    public func scaledBadMs(policy: StatusPolicy) -> Int128 {
        Int128(eligibleMs(policy: policy)) * StateTally.goodScale(policy: policy) - scaledGoodMs(policy: policy)
    }

    /// Good time in milliseconds, exact: up + weight · degraded (+ unknown when `missing_data` is `up`).
    public func goodMs(policy: StatusPolicy) -> Ratio {
        Ratio(scaledGoodMs(policy: policy), StateTally.goodScale(policy: policy))
    }

    /// `100 · good / eligible` (`Uptime.percent`), or nil ("no data") when nothing is eligible.
    public func uptimePercent(policy: StatusPolicy) throws(ArithmeticOverflowError) -> Ratio? {
        try Uptime.percent(goodMs: goodMs(policy: policy), eligibleMs: eligibleMs(policy: policy))
    }

    /// `Uptime.coveragePercent` of this window: how much of its non-maintenance time has a known state.
    public var coveragePercent: Ratio? {
        Uptime.coveragePercent(knownMs: upMs + degradedMs + downMs, totalMs: totalMs, maintenanceMs: maintenanceMs)
    }
}
