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

/// An incidents.json whose page was updated at `updatedAt`, with `incidents` (JSON objects) in it, and a
/// `scheduled_maintenances` list when `maintenances` is given.
private func export(_ incidents: [String]?, maintenances: [String]? = nil, updatedAt: String = "2026-10-01T01:00:00Z") -> String {
    "{\"page\": {\"id\": \"p\", \"name\": \"Acme\", \"updated_at\": \"\(updatedAt)\"}"
        + (incidents.map { ",\n\"incidents\": [\n" + $0.joined(separator: ",\n") + "\n]" } ?? "")
        + (maintenances.map { ",\n\"scheduled_maintenances\": [\n" + $0.joined(separator: ",\n") + "\n]" } ?? "") + "}\n"
}

/// An incident update posted at `time` (nil: without `display_at` and `created_at`) changing each (code, old_status,
/// new_status) of `changes`; `affected` replaces the whole `affected_components` value when given.
private func update(_ time: String?, _ changes: [(String, String, String)] = [], affected: String? = nil) -> String {
    let list = changes.map { #"{"code": "\#($0.0)", "name": "Name \#($0.0)", "old_status": "\#($0.1)", "new_status": "\#($0.2)"}"# }
    let when = time.map { "\"display_at\": \"\($0)\", " } ?? ""
    return "{\"status\": \"update\", \(when)\"affected_components\": \(affected ?? "[" + list.joined(separator: ", ") + "]")}"
}

/// An incident touching components through `affected` (code, new_status) changes posted at its start, or through
/// `updates` when given (newest first, as Statuspage lists them), and `listed` components (JSON objects: `placeholder`,
/// or a plain name for one with that id); `extra` adds members, each followed by a comma.
private func incident(_ id: String, impact: String = "major", start: String, end: String?, affected: [(String, String)] = [],
                      updates: [String]? = nil, listed: [String] = [], extra: String = "") -> String {
    let changes = affected.map { ($0.0, "operational", $0.1) }
    let updateList = (updates ?? [#"{"status": "resolved", "affected_components": null}"#, update(start, changes)])
        .joined(separator: ",\n    ")
    let components = listed.map { $0.hasPrefix("{") ? $0 : #"{"id": "\#($0)", "name": "Name \#($0)", "status": "operational"}"# }
    return """
        {"id": "\(id)", "name": "Incident \(id)", "impact": "\(impact)", "created_at": "\(start)", "started_at": "\(start)",
         "resolved_at": \(end.map { "\"\($0)\"" } ?? "null"),\(extra)
         "incident_updates": [\(updateList)],
         "components": [\(components.joined(separator: ", "))]}
        """
}

/// The placeholder Statuspage writes for "no component".
private let placeholder = #"{"name": "No components were affected by this update."}"#

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

/// How long each service is in each state (`status name` → ms): a row holds until its service's next row, the last
/// one until `end`.
private func durations(_ rows: [StatusRow], end: Millis) -> [String: [String: Millis]] {
    var out: [String: [String: Millis]] = [:]
    for (index, row) in rows.enumerated() {
        let next = index + 1 < rows.count && rows[index + 1].service == row.service ? rows[index + 1].time : end
        out[row.service, default: [:]][row.status.name, default: 0] += next - row.time
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
    /// A page "updated" later than the import (a day of slack) cannot be real, and its covered range would run to it
    /// a sample a minute: the fuzzer's 12 KB file updated in 2038 became 31 million samples and took 2.9 s.
    @Test func aPageUpdatedAfterTheImportIsRefused() throws {
        let text = export([], updatedAt: "2026-10-03T00:00:01Z")
        var reader = StatuspageReader(path: try file(text), displayName: "incidents.json", range: .all)
        reader.notAfter = october1 + 2 * 1440 * minute   // 2026-10-03T00:00:00Z
        #expect(throws: Diagnostic.self) { _ = try reader.parse { _ in } }
        do { _ = try reader.parse { _ in } } catch let error as Diagnostic {
            #expect(error.description == "incidents.json:1:52: error: \"page\".\"updated_at\" 2026-10-03T00:00:01Z is later than "
                    + "this import: an export cannot have been updated after it was read; check the clock of the machine "
                    + "that made the export, then export it again")
        }
        reader.notAfter = october1 + 2 * 1440 * minute + 1000
        _ = try reader.parse { _ in }   // at the bound: read
    }

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

    /// (export, the error it gets)
    static let malformedCases: [(String, String)] = [
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
         "incidents.json: error: not a Statuspage export: it has neither \"incidents\" nor \"scheduled_maintenances\""),
        (#"{"page": {}, "incidents": {}}"#, "incidents.json:1:27: error: \"incidents\" must be an array, not an object"),
        (#"{"page": {}, "scheduled_maintenances": 7}"#,
         "incidents.json:1:40: error: \"scheduled_maintenances\" must be an array, not a number"),
        // An update that changes a component must say when; one that changes none need not.
        (export([incident("i1", start: "2026-10-01T00:00:00Z", end: nil,
                          updates: [update(nil, affected: "null"), update(nil, [("c1", "operational", "major_outage")])])]),
         "incidents.json:6:5: error: incident \"i1\" (\"Incident i1\"): an update naming component \"Name c1\" has neither "
            + "\"display_at\" nor \"created_at\", so when its status changes is unknown; export the page again "
            + "(Statuspage gives every update both)"),
        (export([incident("i1", start: "2026-10-01T00:00:00Z", end: nil, updates: [update("2026-10-01 00:05:00")])]),
         "incidents.json:5:58: error: incident \"i1\" (\"Incident i1\"): an update's \"display_at\": timestamp has no UTC "
            + "offset: \"2026-10-01 00:05:00\""),
        (export([incident("i1", start: "2026-10-01T00:00:00Z", end: nil,
                          updates: [update("2026-10-01T00:05:00Z", [("c1", "smouldering", "major_outage")])])]),
         "incidents.json:5:154: error: incident \"i1\" (\"Incident i1\"): component \"Name c1\" has unknown status "
            + "\"smouldering\" (expected operational, degraded_performance, partial_outage, major_outage or under_maintenance)"),
        (export(nil, maintenances: [incident("m1", impact: "maintenance", start: "2026-09-20T00:00:00Z", end: nil,
                                             extra: #" "scheduled_for": "2026-10-01T02:00:00Z", "scheduled_until": "2026-10-01T01:00:00Z","#)]),
         "incidents.json:3:1: error: scheduled maintenance \"m1\" (\"Incident m1\") is scheduled until 2026-10-01T01:00:00Z, "
            + "before it is scheduled for 2026-10-01T02:00:00Z; correct the maintenance's window on the page and export it again"),
    ]

    @Test(arguments: malformedCases)
    func malformedExports(text: String, expected: String) {
        #expect(readError(text) == expected)
    }

    @Test func noIncidentsIsNoRows() throws {
        #expect(try read(export([])).isEmpty)
        #expect(try read(export(nil, maintenances: [])).isEmpty)
    }

    // MARK: - The timeline of updates (SPEC §10.6)

    /// Issue 12's example: a component down for 18.0 min, then in partial outage for 19.6 min, is not down for 37.6 min.
    /// Statuspage lists updates newest first; the order in the file does not matter.
    @Test(arguments: [false, true])
    func updatesChangeTheStateAtTheirTimes(oldestFirst: Bool) throws {
        var updates = [
            update("2026-10-01T00:37:36Z", [("c1", "partial_outage", "operational")]),
            update("2026-10-01T00:20:00Z", affected: "null"),
            update("2026-10-01T00:18:00Z", [("c1", "major_outage", "partial_outage")]),
            update("2026-10-01T00:00:00Z", [("c1", "operational", "major_outage")]),
        ]
        if oldestFirst { updates.reverse() }
        // The impact (critical) does not matter: updates name c1.
        let rows = try read(export([incident("i1", impact: "critical", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:37:36Z",
                                             updates: updates, listed: ["c1"])]))
        #expect(changes(rows) == ["Name c1 down @0", "Name c1 degraded @18", "Name c1 up @37+36000ms"])
        // down 00:00–00:18 = 18 min = 1 080 000 ms; degraded 00:18–00:37:36 = 19 min 36 s = 19.6 min = 1 176 000 ms;
        // up from there to updated_at 01:00 = 22 min 24 s = 1 344 000 ms.
        #expect(durations(rows, end: october1 + 60 * minute)
                == ["Name c1": ["down": 1_080_000, "degraded": 1_176_000, "up": 1_344_000]])
        // One sample a minute, 00:00 … 00:59, and one where the partial outage ends, 00:37:36.
        #expect(rows.count == 61)
        #expect(rows.compactMap(\.message) == ["Incident i1", "Incident i1"])
    }

    @Test func beforeTheFirstUpdateItsOldStatusAndAfterResolutionUp() throws {
        let text = export([
            // c1: in the first update's old status (degraded) from the start to that update; up again when resolved,
            // though no update said operational.
            incident("i1", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:20:00Z", updates: [
                update("2026-10-01T00:05:00Z", [("c1", "degraded_performance", "major_outage")]),
            ]),
            // c2: up before its first update (old status operational); an update after resolved_at (00:25) still changes
            // its state, until the incident's next update naming it (00:30); the last one (00:40) holds no time.
            incident("i2", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:20:00Z", updates: [
                update("2026-10-01T00:40:00Z", [("c2", "operational", "major_outage")]),
                update("2026-10-01T00:30:00Z", [("c2", "partial_outage", "operational")]),
                update("2026-10-01T00:25:00Z", [("c2", "operational", "partial_outage")]),
                update("2026-10-01T00:10:00Z", [("c2", "operational", "major_outage")]),
            ]),
        ])
        #expect(changes(try read(text)) == [
            "Name c1 degraded @0", "Name c1 down @5", "Name c1 up @20",
            "Name c2 up @0", "Name c2 down @10", "Name c2 up @20", "Name c2 degraded @25", "Name c2 up @30",
        ])
    }

    /// Two updates of one instant are taken in file order: the one listed last holds.
    @Test(arguments: [(["major_outage", "partial_outage"], "degraded"), (["partial_outage", "major_outage"], "down")])
    func updatesOfOneInstantKeepTheirFileOrder(statuses: [String], holds: String) throws {
        let updates = statuses.map { update("2026-10-01T00:10:00Z", [("c1", "operational", $0)]) }
        let text = export([incident("i1", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:30:00Z", updates: updates)])
        #expect(changes(try read(text)) == ["Name c1 up @0", "Name c1 \(holds) @10", "Name c1 up @30"])
    }

    /// A maintenance posted three weeks ahead is maintenance for its 48-hour window only, not from when it was posted.
    @Test func scheduledMaintenanceRunsFromScheduledForToScheduledUntil() throws {
        let window = #" "scheduled_for": "2026-10-03T00:00:00Z", "scheduled_until": "2026-10-05T00:00:00Z","#
        let posted = "2026-09-10T09:00:00Z"
        let text = export([
            // Its updates name no component (the placeholder is none), so c1 takes the impact over the window.
            incident("m1", impact: "maintenance", start: posted, end: "2026-10-05T00:00:00Z", updates: [
                update("2026-10-05T00:00:00Z", affected: "null"),
                update("2026-10-03T00:00:00Z", affected: "[\(placeholder)]"),
                update(posted, affected: "[\(placeholder)]"),
            ], listed: ["c1"], extra: window),
            // The same window, but updates name c2: they decide (10-03 00:10 to 10-04 23:50).
            incident("m2", impact: "maintenance", start: posted, end: "2026-10-05T00:00:00Z", updates: [
                update("2026-10-04T23:50:00Z", [("c2", "under_maintenance", "operational")]),
                update("2026-10-03T00:10:00Z", [("c2", "operational", "under_maintenance")]),
            ], listed: ["c2"], extra: window),
        ], updatedAt: "2026-10-06T00:00:00Z")
        let rows = try read(text)
        // Covered: 09-10 09:00 (the posts, 20 d 15 h = 29 700 min before Oct 1) → 10-06 00:00 (7 200 min after) = 36 900 min.
        // 10-03 00:00 = @2880, 10-05 00:00 = @5760; 10-03 00:10 = @2890, 10-04 23:50 = @5750.
        #expect(changes(rows) == ["Name c1 up @-29700", "Name c1 maintenance @2880", "Name c1 up @5760",
                                  "Name c2 up @-29700", "Name c2 maintenance @2890", "Name c2 up @5750"])
        // c1: 48 h = 2 880 min in maintenance, 36 900 − 2 880 = 34 020 min up; c2: 5 750 − 2 890 = 2 860 min, 34 040 up.
        #expect(durations(rows, end: october1 + 7_200 * minute) == [
            "Name c1": ["maintenance": 2_880 * minute, "up": 34_020 * minute],
            "Name c2": ["maintenance": 2_860 * minute, "up": 34_040 * minute],
        ])
        #expect(rows.count == 2 * 36_900)
    }

    @Test func statuspagesPlaceholderIsNoComponent() throws {
        // Only the placeholder, in `components` and in an update: the export mentions no component, so no rows.
        let alone = export([incident("i1", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:10:00Z",
                                     updates: [update("2026-10-01T00:00:00Z", affected: "[\(placeholder)]")], listed: [placeholder])])
        #expect(try read(alone).isEmpty)
        // An update naming only the placeholder names no component: c1, listed, takes the impact (major: degraded).
        let withC1 = export([incident("i1", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:10:00Z",
                                      updates: [update("2026-10-01T00:05:00Z", affected: "[\(placeholder)]")],
                                      listed: [placeholder, "c1"])])
        #expect(changes(try read(withC1)) == ["Name c1 degraded @0", "Name c1 up @10"])
    }

    /// A `scheduled_maintenances` export alone gives its maintenance windows and an up sample where each ends; it says
    /// nothing of the time between them (its incidents are in another file).
    @Test func scheduledMaintenancesExportGivesItsWindows() throws {
        let posted = "2026-09-20T00:00:00Z"
        let text = export(nil, maintenances: [
            incident("m1", impact: "maintenance", start: posted, end: "2026-10-01T00:40:00Z", listed: ["c1"],
                     extra: #" "scheduled_for": "2026-10-01T00:10:00Z", "scheduled_until": "2026-10-01T00:40:00Z","#),
            incident("m2", impact: "maintenance", start: posted, end: "2026-10-01T00:30:00Z", updates: [
                update("2026-10-01T00:30:00Z", [("c2", "under_maintenance", "operational")]),
                update("2026-10-01T00:20:00Z", [("c2", "operational", "under_maintenance")]),
            ], extra: #" "scheduled_for": "2026-10-01T00:20:00Z", "scheduled_until": "2026-10-01T00:30:00Z","#),
            // Still running at updated_at (01:00): no end sample.
            incident("m3", impact: "maintenance", start: posted, end: nil, listed: ["c3"],
                     extra: #" "scheduled_for": "2026-10-01T00:50:00Z", "scheduled_until": "2026-10-01T02:00:00Z","#),
        ])
        let rows = try read(text)
        #expect(changes(rows) == ["Name c1 maintenance @10", "Name c1 up @40", "Name c2 maintenance @20", "Name c2 up @30",
                                  "Name c3 maintenance @50"])
        // c1: 00:10 … 00:39 = 30 samples and one up at 00:40; c2: 00:20 … 00:29 = 10 and one up; c3: 00:50 … 00:59 = 10.
        #expect(rows.count == 31 + 11 + 10)
        #expect(rows.filter { $0.status == .up }.map { ($0.time - october1) / minute } == [40, 30])
    }

    @Test func anExportWithBothListsReadsBoth() throws {
        let text = export([incident("i1", impact: "critical", start: "2026-10-01T00:05:00Z", end: "2026-10-01T00:15:00Z", listed: ["c1"])],
                          maintenances: [incident("m1", impact: "maintenance", start: "2026-10-01T00:00:00Z", end: "2026-10-01T00:45:00Z",
                                                  listed: ["c1"],
                                                  extra: #" "scheduled_for": "2026-10-01T00:30:00Z", "scheduled_until": "2026-10-01T00:45:00Z","#)])
        let rows = try read(text)
        // Covered from the maintenance's post (00:00, the earliest start) to 01:00: 60 samples, up where neither list
        // says otherwise.
        #expect(changes(rows) == ["Name c1 up @0", "Name c1 down @5", "Name c1 up @15", "Name c1 maintenance @30", "Name c1 up @45"])
        #expect(rows.count == 60)
    }
}
