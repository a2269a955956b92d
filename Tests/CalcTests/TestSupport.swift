import Foundation
import Testing
@testable import Calc

// Shared helpers for the Calc tests. Instants are built from civil fields through
// `CivilDate.daysSinceEpoch`, not through `Timestamp.parse`, so a parser bug cannot hide
// behind a helper; `TimestampTests` pins the parser on its own.

let oneSecond: Millis = 1_000
let oneMinute: Millis = 60_000
let oneHour: Millis = 3_600_000
let oneDay: Millis = 86_400_000

/// The UTC instant of a civil date and time of day in UTC.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int64 = 0, _ minute: Int64 = 0,
         _ second: Int64 = 0, ms: Int64 = 0) -> Millis {
    Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch) * oneDay
        + hour * oneHour + minute * oneMinute + second * oneSecond + ms
}

func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
    CivilDate(year: year, month: month, day: day)
}

/// Reads a compiled zone from the system tzdata (the `tzdata` package), as the Report target does.
func systemZone(_ name: String) throws -> Zone {
    let data = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/" + name))
    return try Zone(identifier: name, tzif: Array(data))
}

/// A series of `region` from `(time, status)` pairs.
func series(_ region: String, _ samples: [(Millis, ObservedStatus)]) -> StatusSeries {
    StatusSeries(region: region, samples: samples.map { StatusSample(time: $0.0, status: $0.1) })
}

/// A single-region series from `(time, status)` pairs.
func series(_ samples: [(Millis, ObservedStatus)]) -> StatusSeries { series("eu", samples) }

func segment(_ start: Millis, _ end: Millis, _ state: ServiceState) -> Segment {
    Segment(start: start, end: end, state: state)
}

/// Checks the timeline invariants of §5.1.4: the segments tile the range exactly and
/// neighbours are always in different states.
func expectWellFormed(_ timeline: Timeline, sourceLocation: SourceLocation = #_sourceLocation) {
    let segments = timeline.segments
    guard let first = segments.first, let last = segments.last else {
        #expect(timeline.range.isEmpty, "a non-empty range must have segments", sourceLocation: sourceLocation)
        return
    }
    #expect(first.start == timeline.range.start, sourceLocation: sourceLocation)
    #expect(last.end == timeline.range.end, sourceLocation: sourceLocation)
    for (a, b) in zip(segments, segments.dropFirst()) {
        #expect(a.end == b.start, "gap or overlap at \(Timestamp.format(a.end))", sourceLocation: sourceLocation)
        #expect(a.state != b.state, "unmerged \(a.state.name) at \(Timestamp.format(a.end))", sourceLocation: sourceLocation)
    }
    for s in segments {
        #expect(s.end > s.start, "empty segment at \(Timestamp.format(s.start))", sourceLocation: sourceLocation)
    }
}
