import Calc
import Foundation
import Testing
@testable import Ingest
@testable import Pipeline
@testable import Report
@testable import Storage

/// 2026-10-01T00:00:00Z.
private let october1: Millis = 1_790_812_800_000
private let minute: Millis = 60_000

private func file(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sp-\(UUID().uuidString).json")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// An incidents.json whose page was updated at `updatedAt`, with `incidents` (JSON objects) in it.
private func export(_ incidents: [String], updatedAt: String = "2026-10-01T01:00:00Z") -> String {
    "{\"page\": {\"id\": \"p\", \"name\": \"Acme\", \"updated_at\": \"\(updatedAt)\"},\n\"incidents\": [\n"
        + incidents.joined(separator: ",\n") + "\n]}\n"
}

/// An incident touching components through `affected` (code, new_status) updates and `listed` components.
private func incident(_ id: String, impact: String = "major", start: String, end: String?, affected: [(String, String)] = [],
                      listed: [String] = []) -> String {
    let changes = affected.map { #"{"code": "\#($0.0)", "name": "Name \#($0.0)", "old_status": "operational", "new_status": "\#($0.1)"}"# }
    let components = listed.map { #"{"id": "\#($0)", "name": "Name \#($0)", "status": "operational"}"# }
    return """
        {"id": "\(id)", "name": "Incident \(id)", "impact": "\(impact)", "created_at": "\(start)", "started_at": "\(start)",
         "resolved_at": \(end.map { "\"\($0)\"" } ?? "null"),
         "incident_updates": [{"status": "resolved", "affected_components": null},
                              {"status": "investigating", "affected_components": [\(changes.joined(separator: ", "))]}],
         "components": [\(components.joined(separator: ", "))]}
        """
}

private func read(_ text: String, range: StatusTimeRange = .all, seriesNames: Set<String> = [],
                  step: Millis = minute) throws -> [StatusRow] {
    var rows: [StatusRow] = []
    let reader = StatuspageReader(path: try file(text), displayName: "incidents.json", range: range, seriesNames: seriesNames,
                                  step: step, batchSize: 7, chunkSize: 11)
    let count = try reader.parse { rows += $0 }
    #expect(count == rows.count)
    return rows
}

/// The state changes: `service status @minutes-after-Oct-1` for each row whose status differs from the previous
/// row of its service (the other rows only repeat the state each `step`).
private func changes(_ rows: [StatusRow]) -> [String] {
    var out: [String] = []
    var last: [String: ObservedStatus] = [:]
    for row in rows where last[row.service] != row.status {
        last[row.service] = row.status
        let offset = row.time - october1
        out.append("\(row.service) \(row.status.name) @\(offset / minute)" + (offset % minute == 0 ? "" : "+\(offset % minute)ms"))
    }
    return out
}

private func readError(_ text: String) -> String? {
    do {
        _ = try read(text)
        return nil
    } catch {
        return "\(error)"
    }
}

struct StatuspageReaderTests {
    @Test func overlappingIncidentsWorstStateWins() throws {
        let text = export([
            incident("i2", start: "2026-10-01T00:10:00Z", end: "2026-10-01T00:40:00Z", affected: [("c1", "degraded_performance")]),
            incident("i1", start: "2026-10-01T00:20:00Z", end: "2026-10-01T00:30:00Z", affected: [("c1", "major_outage")]),
            incident("i0", start: "2026-10-01T00:35:00Z", end: "2026-10-01T00:50:00Z", affected: [("c1", "under_maintenance")]),
        ])
        let rows = try read(text)
        // Covered 00:10 (earliest start) → 01:00 (updated_at): 50 one-minute samples.
        #expect(rows.count == 50)
        #expect(changes(rows) == ["Name c1 degraded @10", "Name c1 down @20", "Name c1 degraded @30", "Name c1 maintenance @40",
                                  "Name c1 up @50"])
        // The first row of each state names the incident behind it; its repeats do not.
        #expect(rows.filter { $0.message != nil }.map(\.message) == ["Incident i2", "Incident i1", "Incident i2", "Incident i0"])
    }

    @Test func boundariesOffTheMinuteGetTheirOwnSamples() throws {
        let text = export([incident("i1", start: "2026-10-01T00:00:30Z", end: "2026-10-01T00:02:15.5Z", affected: [("c1", "major_outage")])],
                          updatedAt: "2026-10-01T00:04:00Z")
        let rows = try read(text)
        #expect(rows.map { $0.time - october1 } == [30_000, 60_000, 120_000, 135_500, 180_000])
        #expect(rows.map(\.status) == [.down, .down, .down, .up, .up])
    }

    @Test func listedComponentsWithoutStatusesTakeTheIncidentsImpact() throws {
        let text = export([
            incident("a", impact: "critical", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:05:00Z", listed: ["c1"]),
            incident("b", impact: "minor", start: "2026-10-01T00:10:00Z", end: "2026-10-01T00:15:00Z", listed: ["c2"]),
            incident("c", impact: "maintenance", start: "2026-10-01T00:20:00Z", end: "2026-10-01T00:25:00Z", listed: ["c3"]),
            incident("d", impact: "none", start: "2026-10-01T00:30:00Z", end: "2026-10-01T00:35:00Z", listed: ["c4"]),
            // An update's status beats the impact for the component it names.
            incident("e", impact: "critical", start: "2026-10-01T00:40:00Z", end: "2026-10-01T00:45:00Z",
                     affected: [("c5", "partial_outage")], listed: ["c5"]),
        ])
        #expect(changes(try read(text)) == [
            "Name c1 down @0", "Name c1 up @5", "Name c2 up @0", "Name c2 degraded @10", "Name c2 up @15",
            "Name c3 up @0", "Name c3 maintenance @20", "Name c3 up @25", "Name c4 up @0",
            "Name c5 up @0", "Name c5 degraded @40", "Name c5 up @45",
        ])
    }

    @Test func unresolvedIncidentsLastUntilTheExportAndRangesClip() throws {
        let text = export([incident("i1", start: "2026-10-01T00:30:00Z", end: nil, affected: [("c1", "major_outage")])])
        #expect(changes(try read(text)) == ["Name c1 down @30"])
        #expect(try read(text).count == 30)
        // --since before the first incident adds up time before it; --until cuts the covered range.
        let range = StatusTimeRange(since: october1 + 20 * minute, until: october1 + 40 * minute)
        let rows = try read(text, range: range)
        #expect(changes(rows) == ["Name c1 up @20", "Name c1 down @30"])
        #expect(rows.count == 20 && rows.last?.time == october1 + 39 * minute)
    }

    @Test func componentsAreNamedByIdWhenTheConfigUsesTheId() throws {
        let text = export([incident("i1", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:01:00Z", affected: [("c1", "major_outage"), ("c2", "major_outage")])])
        #expect(Set(try read(text, seriesNames: ["c1"]).map(\.service)) == ["c1", "Name c2"])
    }

    @Test func twoComponentsOfOneNameAreAnError() throws {
        let text = export(["""
            {"id": "i1", "name": "x", "started_at": "2026-10-01T00:00:00Z", "resolved_at": null, "impact": "major",
             "components": [{"id": "k1", "name": "API"}, {"id": "k2", "name": "API"}]}
            """])
        #expect(readError(text) == "incidents.json: error: components \"k1\" and \"k2\" are both named \"API\"; "
            + "refer to them by id in services[].status_series")
        #expect(try read(text, seriesNames: ["k1", "k2"]).count == 120)  // 2 × 60 min
    }

    @Test(arguments: [
        (export([incident("i1", impact: "severe", start: "2026-10-01T00:00:00Z", end: nil)]),
         "incidents.json:3:47: error: incident \"i1\" (\"Incident i1\") has unknown impact \"severe\" (expected none, minor, major, critical or maintenance)"),
        (export([incident("i1", start: "2026-10-01T00:10:00Z", end: "2026-10-01T00:05:00Z")]),
         "incidents.json:3:1: error: incident \"i1\" (\"Incident i1\") is resolved at 2026-10-01T00:05:00Z, before it starts at 2026-10-01T00:10:00Z"),
        (export([#"{"id": "i1", "name": "x", "resolved_at": null}"#]),
         "incidents.json:3:1: error: incident \"i1\" (\"x\") has neither \"started_at\" nor \"created_at\", so its start is unknown"),
        (export([#"{"id": "i1", "started_at": "2026-10-01 00:00:00"}"#]),
         "incidents.json:3:28: error: incident \"i1\": \"started_at\": timestamp has no UTC offset: \"2026-10-01 00:00:00\""),
        (#"{"incidents": []}"#,
         "incidents.json: error: no \"page\" with \"updated_at\", so the end of the time the export covers is unknown"),
        (#"{"page": {"updated_at": "2026-10-01T00:00:00Z"}}"#,
         "incidents.json: error: not a Statuspage incidents.json: it has no \"incidents\" member"),
        (#"{"page": {}, "incidents": {}}"#, "incidents.json:1:27: error: \"incidents\" must be an array, not an object"),
    ])
    func malformedExports(text: String, expected: String) {
        #expect(readError(text) == expected)
    }

    @Test func noIncidentsIsNoRows() throws {
        #expect(try read(export([])).isEmpty)
    }
}
