import Calc

/// The `--since`/`--until` limits of `import status`: samples at `since ≤ t < until` are imported.
struct StatusTimeRange: Equatable {
    var since: Millis?
    var until: Millis?

    static let all = StatusTimeRange(since: nil, until: nil)

    var isAll: Bool { since == nil && until == nil }

    @inline(__always)
    func contains(_ t: Millis) -> Bool {
        if let since, t < since { return false }
        if let until, t >= until { return false }
        return true
    }
}

/// A status source whose rows outside a time range are dropped (the CSV reader has no range of its own).
struct TimeRangeFilteredSource: StatusRowSource {
    let source: StatusRowSource
    let range: StatusTimeRange

    func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        var kept = 0
        _ = try source.parse { rows in
            let inside = rows.filter { range.contains($0.time) }
            if !inside.isEmpty {
                kept += inside.count
                try batch(inside)
            }
        }
        return kept
    }

    func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
        var kept = 0
        _ = try source.parseCompact { rows in
            rows.rows.removeAll { !range.contains($0.time) }
            if !rows.rows.isEmpty {
                kept += rows.rows.count
                try batch(&rows)
            }
        }
        return kept
    }
}
