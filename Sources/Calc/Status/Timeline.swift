/// A stretch of a service's timeline in one state.
public struct Segment: Equatable, Sendable {
    public var start: Millis
    public var end: Millis
    public var state: ServiceState
    public init(start: Millis, end: Millis, state: ServiceState) {
        self.start = start
        self.end = end
        self.state = state
    }
}

/// A service's state at every instant of a range: consecutive, non-overlapping segments, adjacent
/// segments always in different states (§5.1).
public struct Timeline: Equatable, Sendable {
    public let range: Interval
    public let segments: [Segment]

    /// Builds the timeline over `range`. `range` should cover whole local months so the monthly
    /// maintenance cap sees all of each month's maintenance; `monthStarts` are those months' boundaries.
    public init(range: Interval, series: [StatusSeries], scheduledMaintenance: [Interval],
                policy: StatusPolicy, monthStarts: [Millis]) {
        self.range = range
        let perRegion = series.map { Timeline.regionSegments($0, range: range, policy: policy) }
        var segments = Timeline.combine(perRegion, range: range, rule: policy.regions)
        segments = Timeline.overlay(maintenance: scheduledMaintenance, on: segments)
        if let cap = policy.maxExcludedMaintenance {
            segments = Timeline.applyMaintenanceCap(cap, to: segments, monthStarts: monthStarts)
        }
        self.segments = Timeline.merged(segments)
    }

    init(range: Interval, segments: [Segment]) {
        self.range = range
        self.segments = segments
    }

    /// One region: each sample holds over `[t, min(t_next, t + gap))`, the rest is unknown.
    static func regionSegments(_ series: StatusSeries, range: Interval, policy: StatusPolicy) -> [Segment] {
        var out: [Segment] = []
        var cursor = range.start
        func emit(_ start: Millis, _ end: Millis, _ state: ServiceState) {
            let s = max(start, range.start), e = min(end, range.end)
            guard e > s else { return }
            if s > cursor { out.append(Segment(start: cursor, end: s, state: .unknown)) }
            out.append(Segment(start: s, end: e, state: state))
            cursor = e
        }
        // A run's samples each hold until the next one (when its step is within the gap), so the run is one
        // stretch up to its last sample; its last sample holds until the next run's first, at most the gap.
        let runs = series.runs
        let gap = policy.maxSampleGap
        for (i, run) in runs.enumerated() {
            let next = i + 1 < runs.count ? runs[i + 1].t0 : Millis.max
            let state = state(of: run.status, policy: policy)
            let last = run.last
            if run.count > 1 {
                if run.step <= gap {
                    emit(run.t0, last, state)
                } else {
                    var t = run.t0
                    while t < last {
                        emit(t, t + gap, state)
                        t += run.step
                    }
                }
            }
            emit(last, min(next, last + gap), state)
        }
        if cursor < range.end { out.append(Segment(start: cursor, end: range.end, state: .unknown)) }
        return out
    }

    static func state(of status: ObservedStatus, policy: StatusPolicy) -> ServiceState {
        switch status {
        case .up: .up
        case .down: .down
        case .degraded: .degraded
        case .maintenance: .maintenance
        case .unknown: .unknown
        case .pending: policy.pending == .down ? .down : .unknown
        }
    }

    /// Combines regions per the rule, over the regions whose state is known and not maintenance.
    static func combine(_ regions: [[Segment]], range: Interval, rule: StatusPolicy.RegionRule) -> [Segment] {
        if regions.isEmpty { return [Segment(start: range.start, end: range.end, state: .unknown)] }
        if regions.count == 1 { return regions[0] }
        var index = Array(repeating: 0, count: regions.count)
        var out: [Segment] = []
        var cursor = range.start
        var states: [ServiceState] = []
        while cursor < range.end {
            var next = range.end
            states.removeAll(keepingCapacity: true)
            for r in regions.indices {
                while regions[r][index[r]].end <= cursor { index[r] += 1 }
                let segment = regions[r][index[r]]
                states.append(segment.state)
                next = min(next, segment.end)
            }
            out.append(Segment(start: cursor, end: next, state: combinedState(states, rule: rule)))
            cursor = next
        }
        return out
    }

    static func combinedState(_ states: [ServiceState], rule: StatusPolicy.RegionRule) -> ServiceState {
        let health = states.filter { $0 == .up || $0 == .degraded || $0 == .down }
        if health.isEmpty { return states.contains(.maintenance) ? .maintenance : .unknown }
        switch rule {
        case .any: return health.min()!   // up < degraded < down in declaration order: min is the best
        case .all: return health.max()!
        case .majority:
            let up = health.count(where: { $0 == .up })
            let upOrDegraded = health.count(where: { $0 != .down })
            if 2 * up > health.count { return .up }
            if 2 * upOrDegraded > health.count { return .degraded }
            return .down
        }
    }

    /// Scheduled maintenance windows replace whatever was observed.
    static func overlay(maintenance windows: [Interval], on segments: [Segment]) -> [Segment] {
        let windows = mergedIntervals(windows)
        guard !windows.isEmpty else { return segments }
        var out: [Segment] = []
        var w = 0
        for segment in segments {
            var cursor = segment.start
            while cursor < segment.end {
                while w < windows.count, windows[w].end <= cursor { w += 1 }
                if w < windows.count, windows[w].start <= cursor {
                    let end = min(segment.end, windows[w].end)
                    out.append(Segment(start: cursor, end: end, state: .maintenance))
                    cursor = end
                } else {
                    let end = w < windows.count ? min(segment.end, windows[w].start) : segment.end
                    out.append(Segment(start: cursor, end: end, state: segment.state))
                    cursor = end
                }
            }
        }
        return out
    }

    /// Per local calendar month, the first `cap` of maintenance stays excluded; the rest is down.
    static func applyMaintenanceCap(_ cap: Millis, to segments: [Segment], monthStarts: [Millis]) -> [Segment] {
        var out: [Segment] = []
        var month = 0
        var used: Millis = 0
        for segment in segments {
            var cursor = segment.start
            while cursor < segment.end {
                while month + 1 < monthStarts.count, monthStarts[month + 1] <= cursor { month += 1; used = 0 }
                let monthEnd = month + 1 < monthStarts.count ? monthStarts[month + 1] : Millis.max
                let end = min(segment.end, monthEnd)
                if segment.state == .maintenance {
                    let excluded = min(end - cursor, max(0, cap - used))
                    used += excluded
                    if excluded > 0 { out.append(Segment(start: cursor, end: cursor + excluded, state: .maintenance)) }
                    if cursor + excluded < end { out.append(Segment(start: cursor + excluded, end: end, state: .down)) }
                } else {
                    out.append(Segment(start: cursor, end: end, state: segment.state))
                }
                cursor = end
            }
        }
        return out
    }

    static func merged(_ segments: [Segment]) -> [Segment] {
        var out: [Segment] = []
        out.reserveCapacity(segments.count)
        for s in segments where s.end > s.start {
            if let last = out.last, last.state == s.state, last.end == s.start {
                out[out.count - 1].end = s.end
            } else {
                out.append(s)
            }
        }
        return out
    }

    static func mergedIntervals(_ intervals: [Interval]) -> [Interval] {
        var out: [Interval] = []
        for i in intervals.filter({ !$0.isEmpty }).sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let last = out.last, i.start <= last.end {
                out[out.count - 1].end = max(last.end, i.end)
            } else {
                out.append(i)
            }
        }
        return out
    }

    /// Calls `body` with each segment that overlaps `window`, clipped to it, in time order, without building
    /// an array: `StateTally` sums hundreds of windows per service this way.
    public func forEachSegment(in window: Interval, _ body: (Segment) -> Void) {
        var i = firstSegment(endingAfter: window.start)
        while i < segments.count, segments[i].start < window.end {
            var s = segments[i]
            s.start = max(s.start, window.start)
            s.end = min(s.end, window.end)
            if s.end > s.start { body(s) }
            i += 1
        }
    }

    /// The index of the first segment that ends after `time` (binary search; `segments.count` if none).
    func firstSegment(endingAfter time: Millis) -> Int {
        var lo = 0, hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].end <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
