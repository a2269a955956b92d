import Calc

/// The `--since`/`--until` limits of `import status`: samples at `since ≤ t < until` are imported.
package struct StatusTimeRange: Equatable, Sendable {
    package var since: Millis?
    package var until: Millis?

    package static let all = StatusTimeRange(since: nil, until: nil)

    package var isAll: Bool { since == nil && until == nil }

    @inline(__always)
    package func contains(_ t: Millis) -> Bool {
        if let since, t < since { return false }
        if let until, t >= until { return false }
        return true
    }

    package init(since: Millis? = nil, until: Millis? = nil) {
        self.since = since
        self.until = until
    }
}

/// A status source whose rows outside a time range are dropped (the CSV reader has no range of its own).
package struct TimeRangeFilteredSource: StatusRowSource {
    package let source: StatusRowSource
    package let range: StatusTimeRange

    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
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

    package func parseCompact(batch: (inout StatusBatch) throws -> Void) throws -> Int {
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

    package func location(ofRow number: Int) -> Diagnostic.Location { source.location(ofRow: number) }

    package init(source: StatusRowSource, range: StatusTimeRange) {
        self.source = source
        self.range = range
    }
}
