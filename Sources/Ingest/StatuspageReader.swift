import Calc
import Foundation

/// Reads an Atlassian Statuspage v2 export as status rows (SPEC §4.1 `statuspage`, read as §10.6 says): an
/// `incidents.json`, a `scheduled-maintenances.json` (member `scheduled_maintenances`, entries shaped as incidents),
/// or one object holding both lists.
///
/// ```json
/// {"page": {"id": "…", "name": "…", "updated_at": "2026-10-31T12:00:00Z"},
///  "incidents": [{"id": "…", "name": "…", "impact": "critical", "created_at": "…", "started_at": "…",
///                 "resolved_at": "…", "scheduled_for": null, "scheduled_until": null,
///                 "components": [{"id": "…", "name": "…", …}],
///                 "incident_updates": [{"display_at": "…", "created_at": "…",
///                                       "affected_components": [{"code": "…", "name": "…",
///                                       "old_status": "operational", "new_status": "major_outage"}], …}]}]}
/// ```
///
/// - A component's state changes at each update that lists it in `affected_components` with a `new_status`, at the
///   update's `display_at` (else `created_at`): `operational` up, `degraded_performance`/`partial_outage` degraded,
///   `major_outage` down, `under_maintenance` maintenance. An incident's updates are taken in time order whatever
///   their order in the file (Statuspage lists the newest first); updates of one instant keep their file order.
/// - From the incident's start (`started_at`, else `created_at`) to the first update naming the component, the
///   component is in that update's `old_status`. At `resolved_at` it is up again; an update at or after that
///   instant still changes its state, until the incident's next update naming it (the last word of a resolved
///   incident holds no time: nothing in the export says how long it lasted). An unresolved incident's last state
///   lasts until `page.updated_at`.
/// - A component in the incident's `components` that no update names takes the incident's `impact` (`critical`
///   down, `major`/`minor` degraded, `maintenance` maintenance, `none` nothing) from its start to `resolved_at`
///   (unresolved: `page.updated_at`); a scheduled maintenance (one with `scheduled_for`) from `scheduled_for` to
///   `scheduled_until`, not from its start, which is when the notice was posted.
/// - Statuspage's placeholder `{"name": "No components were affected by this update."}` (no id) is no component.
/// - Overlapping incidents on one component: the worst state wins (down > degraded > maintenance).
/// - A file with `incidents` says every component it mentions is up at other times within the covered range: from
///   the earliest incident start (or `range.since`) to `page.updated_at` (or `range.until`, if earlier). A file
///   of `scheduled_maintenances` alone says nothing of the time between maintenances: it gives their states and one
///   up sample where each ends.
/// - The service is the component's id when some service's `status_series` is that id (`seriesNames`), else
///   its name (the first name the file gives it: Statuspage lists the newest incident first).
/// - Because a sample holds for at most `max_sample_gap`, each state is written as a sample at its start and
///   one at every multiple of `step` inside it (`step` ≤ `max_sample_gap`), so it holds without gaps.
/// - Unknown component statuses and impacts, an incident resolved before it starts, a maintenance scheduled to end
///   before it begins, an update that changes a component but has no time, and a missing `page.updated_at` are
///   errors with the line and column.
package struct StatuspageReader: StatusRowSource {
    /// The instants a Statuspage export may hold: 2000-01-01 up to 2100-01-01 (Statuspage began in 2013).
    static let plausible: Range<Millis> = 946_684_800_000..<4_102_444_800_000

    package let path: String
    package let displayName: String
    package var range: StatusTimeRange = .all
    package var seriesNames: Set<String> = []
    package var step: Millis = Duration.minute
    package var batchSize: Int = StatusCSVParser.defaultBatchSize
    package var chunkSize: Int = JSONTokenizer.defaultChunkSize
    /// The latest `page.updated_at` accepted (`StatuspageSettings.notAfter`); nil: any up to 2099.
    package var notAfter: Millis? = nil

    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        precondition(step > 0)
        let json = try JSONTokenizer(path: path, displayName: displayName, chunkSize: chunkSize)
        var export = try StatuspageExportReader(json: json, notAfter: notAfter).read()
        return try export.rows(range: range, seriesNames: seriesNames, step: step, batchSize: batchSize, deliver: batch)
    }

    package init(path: String, displayName: String, range: StatusTimeRange = .all, seriesNames: Set<String> = [], step: Millis = Duration.minute, batchSize: Int = StatusCSVParser.defaultBatchSize, chunkSize: Int = JSONTokenizer.defaultChunkSize) {
        self.path = path
        self.displayName = displayName
        self.range = range
        self.seriesNames = seriesNames
        self.step = step
        self.batchSize = batchSize
        self.chunkSize = chunkSize
    }
}

/// A component state an incident can give, worst last.
package enum StatuspageEffect: Int, Comparable {
    case none, maintenance, degraded, down

    package static func < (a: StatuspageEffect, b: StatuspageEffect) -> Bool { a.rawValue < b.rawValue }

    package var status: ObservedStatus {
        switch self {
        case .none: .up
        case .maintenance: .maintenance
        case .degraded: .degraded
        case .down: .down
        }
    }

    package static let componentStatuses: [String: StatuspageEffect] = [
        "operational": .none, "under_maintenance": .maintenance, "degraded_performance": .degraded,
        "partial_outage": .degraded, "major_outage": .down,
    ]
    package static let componentStatusChoices = "operational, degraded_performance, partial_outage, major_outage or under_maintenance"

    package static let impacts: [String: StatuspageEffect] = [
        "none": .none, "maintenance": .maintenance, "minor": .degraded, "major": .degraded, "critical": .down,
    ]
    package static let impactChoices = "none, minor, major, critical or maintenance"
}

/// What the file says, before it is turned into rows.
private struct StatuspageExport {
    /// A state an incident gives a component from `start` to `end` (nil: to the end of the covered range).
    struct Span {
        var start: Millis
        var end: Millis?
        var effect: StatuspageEffect
    }

    struct Incident {
        var id = ""
        var name = ""
        var line = 0
        /// `started_at`, else `created_at`, else `scheduled_for`: the earliest start begins the covered range.
        var start: Millis = 0
        /// Component id → the states this incident gives it, in time order.
        var spans: [String: [Span]] = [:]
    }

    /// A state change an update lists for a component, at the update's time.
    struct Change {
        var time: Millis
        var old: StatuspageEffect?
        var new: StatuspageEffect
    }

    let file: String
    var updatedAt: (time: Millis, line: Int)?
    var incidents: [Incident] = []
    /// Whether the file has an `incidents` list: only then does it say its components were up between incidents.
    var listsIncidents = false
    /// Component id → its first name in the file.
    var componentNames: [String: String] = [:]

    /// The states one incident's updates give one component: its `changes` in time order, from the incident's
    /// `start` (in the first change's old status until that change) to `resolved` (see `StatuspageReader`).
    static func timeline(_ changes: [Change], start: Millis, resolved: Millis?) -> [Span] {
        guard let first = changes.first else { return [] }
        var points: [(time: Millis, effect: StatuspageEffect)] = []
        if start < first.time { points.append((start, first.old ?? .none)) }
        points += changes.map { ($0.time, $0.new) }
        if let resolved {
            // Up again when resolved; an update at that instant or later still says otherwise.
            points.insert((resolved, .none), at: points.firstIndex { $0.time >= resolved } ?? points.count)
        }
        var spans: [Span] = []
        for (index, point) in points.enumerated() where point.effect != .none {
            // A resolved incident's last state ends where it begins; an unresolved one's lasts to the covered end.
            let end = index + 1 < points.count ? points[index + 1].time : (resolved == nil ? nil : point.time)
            if end.map({ $0 > point.time }) ?? true { spans.append(Span(start: point.time, end: end, effect: point.effect)) }
        }
        return spans
    }

    mutating func rows(range: StatusTimeRange, seriesNames: Set<String>, step: Millis, batchSize: Int,
                       deliver: ([StatusRow]) throws -> Void) throws -> Int {
        guard let updatedAt else {
            throw Diagnostic(file: file, line: nil, column: nil,
                             message: "no \"page\" with \"updated_at\", so the end of the time the export covers is unknown")
        }
        guard !incidents.isEmpty || range.since != nil else { return 0 }
        let start = range.since ?? incidents.map(\.start).min()!
        let end = min(updatedAt.time, range.until ?? Millis.max)
        guard end > start else { return 0 }

        // Series names: the component id when the config refers to it, else its name; no two components alike.
        var series: [(name: String, id: String)] = []
        var claimedBy: [String: String] = [:]
        for (id, componentName) in componentNames {
            let name = seriesNames.contains(id) ? id : componentName
            if let other = claimedBy[name] {
                let ids = [other, id].sorted().map { MessageText.quoted($0) }.joined(separator: " and ")
                throw Diagnostic(file: file, line: nil, column: nil, message:
                    "components \(ids) are both named \(MessageText.quoted(name)); refer to them by id in services[].status_series")
            }
            claimedBy[name] = id
            series.append((name, id))
        }
        series.sort { $0.name < $1.name }

        var rows = RowBatch<StatusRow>(size: batchSize)
        func emit(_ row: StatusRow) throws { try rows.append(row, deliver: deliver) }

        for (name, id) in series {
            struct Piece { var start: Millis; var end: Millis; var effect: StatuspageEffect; var incident: Int }
            var pieces: [Piece] = []
            for (index, incident) in incidents.enumerated() {
                for span in incident.spans[id] ?? [] where span.effect != .none {
                    let s = max(span.start, start), e = min(span.end ?? end, end)
                    if e > s { pieces.append(Piece(start: s, end: e, effect: span.effect, incident: index)) }
                }
            }
            let boundaries = Array(Set([start, end] + pieces.flatMap { [$0.start, $0.end] })).sorted()
            // Elementary pieces between boundaries, merged while the state stays; the incident is the first to give it.
            var segments: [(start: Millis, end: Millis, effect: StatuspageEffect, incident: Int?)] = []
            for (a, b) in zip(boundaries, boundaries.dropFirst()) {
                var effect = StatuspageEffect.none
                var incident: Int?
                for piece in pieces where piece.start <= a && piece.end >= b && piece.effect > effect {
                    effect = piece.effect
                    incident = piece.incident
                }
                if let last = segments.last, last.effect == effect, last.end == a {
                    segments[segments.count - 1].end = b
                } else {
                    segments.append((a, b, effect, incident))
                }
            }
            for (index, segment) in segments.enumerated() {
                let incident = segment.incident.map { incidents[$0] }
                if segment.effect == .none && !listsIncidents {
                    // A list of maintenances says nothing of the time between them, only that each one ended.
                    guard index > 0, let before = segments[index - 1].incident else { continue }
                    try emit(StatusRow(service: name, region: "", time: segment.start, status: .up, responseTimeMs: nil,
                                       message: nil, line: incidents[before].line))
                    continue
                }
                let line = incident?.line ?? updatedAt.line
                try emit(StatusRow(service: name, region: "", time: segment.start, status: segment.effect.status,
                                   responseTimeMs: nil, message: incident.map { $0.name.isEmpty ? $0.id : $0.name }, line: line))
                var t = (floorDiv(segment.start, step) + 1) * step
                while t < segment.end {
                    try emit(StatusRow(service: name, region: "", time: t, status: segment.effect.status,
                                       responseTimeMs: nil, message: nil, line: line))
                    t += step
                }
            }
        }
        return try rows.finish(deliver)
    }
}

/// Walks the JSON of a Statuspage export into a `StatuspageExport`.
private struct StatuspageExportReader {
    let json: JSONTokenizer
    /// The latest `page.updated_at` that can be real: the time of the import (with a day of slack for clocks).
    var notAfter: Millis? = nil

    /// Statuspage's stand-in for "no component" in `affected_components`: this name and no id.
    static let placeholderName = "No components were affected by this update."

    func read() throws -> StatuspageExport {
        var export = StatuspageExport(file: json.displayName)
        let first = try json.nextValue()
        guard first == .beginObject else {
            throw json.error("expected a Statuspage export (an object with \"page\" and \"incidents\" or "
                             + "\"scheduled_maintenances\"), found \(first.kind)")
        }
        var sawList = false
        try json.members { name in
            switch name {
            case "page":
                let token = try json.nextValue()
                guard token == .beginObject else { throw json.error("\"page\" must be an object, not \(token.kind)") }
                try json.members { key in
                    if key == "updated_at" {
                        if let time = try timestamp("\"page\".\"updated_at\"") {
                            // The covered range runs to it, a sample a minute: a page "updated" years from now
                            // expanded a 12 KB file into tens of millions of samples.
                            if let notAfter, time > notAfter {
                                var problem = json.error("\"page\".\"updated_at\" \(Timestamp.format(time)) is later than this "
                                                         + "import: an export cannot have been updated after it was read")
                                problem.hint = "check the clock of the machine that made the export, then export it again"
                                throw problem
                            }
                            export.updatedAt = (time, json.position.line)
                        }
                    } else {
                        try json.skipValue()
                    }
                }
            case "incidents", "scheduled_maintenances":
                let token = try json.nextValue()
                guard token == .beginArray else { throw json.error("\"\(name)\" must be an array, not \(token.kind)") }
                sawList = true
                let kind = name == "incidents" ? "incident" : "scheduled maintenance"
                if name == "incidents" { export.listsIncidents = true }
                try json.elements { token in
                    guard token == .beginObject else { throw json.error("each \(kind) must be an object, not \(token.kind)") }
                    try export.incidents.append(readIncident(kind: kind, names: &export.componentNames))
                }
            default:
                try json.skipValue()
            }
        }
        try json.finish()
        guard sawList else {
            throw Diagnostic(file: json.displayName, line: nil, column: nil,
                             message: "not a Statuspage export: it has neither \"incidents\" nor \"scheduled_maintenances\"")
        }
        return export
    }

    /// A string timestamp (or null → nil) at the next value.
    func timestamp(_ what: String) throws -> Millis? {
        guard let text = try json.string(for: what, allowNull: true) else { return nil }
        let time: Millis
        do { time = try Timestamp.parse(Substring(text)) } catch { throw json.error("\(what): \(error.reason)") }
        // Every state becomes a sample a minute: an incident from the year 1 or a page updated in 9999 would expand
        // into billions of samples. Statuspage began in 2013; nothing outside these years can be real.
        guard StatuspageReader.plausible.contains(time) else {
            var problem = json.error("\(what): \"\(text)\" cannot be a Statuspage time (expected a year from 2000 to 2099)")
            problem.hint = "correct the date on the page (or in the file) and export it again"
            throw problem
        }
        return time
    }

    /// One incident or scheduled maintenance (`kind`), after its `{`.
    func readIncident(kind: String, names: inout [String: String]) throws -> StatuspageExport.Incident {
        var incident = StatuspageExport.Incident()
        incident.line = json.position.line
        let place = json.position
        var created: Millis?, started: Millis?, resolved: Millis?, scheduledFor: Millis?, scheduledUntil: Millis?
        var impact: StatuspageEffect?
        var listed: [String] = []
        typealias StatusChange = (id: String, old: StatuspageEffect?, new: StatuspageEffect)
        /// Each update that changes a component's state: where it is, its time, and what it changes.
        var updates: [(place: JSONPosition, time: Millis?, changes: [StatusChange])] = []

        func context() -> String {
            incident.id.isEmpty ? (kind == "incident" ? "an incident" : "a scheduled maintenance")
                : "\(kind) \(MessageText.quoted(incident.id))" + (incident.name.isEmpty ? "" : " (\(MessageText.quoted(incident.name)))")
        }
        func note(id: String, name: String?) {
            if let name, names[id] == nil { names[id] = name }
            if names[id] == nil { names[id] = id }
        }

        try json.members { key in
            switch key {
            case "id": incident.id = try json.string(for: "an incident's \"id\"") ?? ""
            case "name": incident.name = try json.string(for: "an incident's \"name\"", allowNull: true) ?? ""
            case "created_at": created = try timestamp("\(context()): \"created_at\"")
            case "started_at": started = try timestamp("\(context()): \"started_at\"")
            case "resolved_at": resolved = try timestamp("\(context()): \"resolved_at\"")
            case "scheduled_for": scheduledFor = try timestamp("\(context()): \"scheduled_for\"")
            case "scheduled_until": scheduledUntil = try timestamp("\(context()): \"scheduled_until\"")
            case "impact":
                guard let text = try json.string(for: "\(context()): \"impact\"", allowNull: true) else { return }
                guard let effect = StatuspageEffect.impacts[text] else {
                    throw json.error("\(context()) has unknown impact \(MessageText.quoted(text)) (expected \(StatuspageEffect.impactChoices))")
                }
                impact = effect
            case "components":
                let token = try json.nextValue()
                if token == .null { return }
                guard token == .beginArray else { throw json.error("\(context()): \"components\" must be an array, not \(token.kind)") }
                try json.elements { token in
                    guard token == .beginObject else { throw json.error("\(context()): each component must be an object, not \(token.kind)") }
                    guard let component = try readComponent(idKey: "id", context: context()) else { return }
                    note(id: component.id, name: component.name)
                    listed.append(component.id)
                }
            case "incident_updates":
                let token = try json.nextValue()
                if token == .null { return }
                guard token == .beginArray else { throw json.error("\(context()): \"incident_updates\" must be an array, not \(token.kind)") }
                try json.elements { token in
                    guard token == .beginObject else { throw json.error("\(context()): each incident update must be an object, not \(token.kind)") }
                    let updatePlace = json.position
                    var displayAt: Millis?, createdAt: Millis?
                    var changes: [StatusChange] = []
                    try json.members { key in
                        switch key {
                        case "display_at": displayAt = try timestamp("\(context()): an update's \"display_at\"")
                        case "created_at": createdAt = try timestamp("\(context()): an update's \"created_at\"")
                        case "affected_components":
                            let list = try json.nextValue()
                            if list == .null { return }
                            guard list == .beginArray else {
                                throw json.error("\(context()): \"affected_components\" must be an array or null, not \(list.kind)")
                            }
                            try json.elements { token in
                                guard token == .beginObject else {
                                    throw json.error("\(context()): each affected component must be an object, not \(token.kind)")
                                }
                                guard let component = try readComponent(idKey: "code", context: context()) else { return }
                                note(id: component.id, name: component.name)
                                if let new = component.newStatus { changes.append((component.id, component.oldStatus, new)) }
                            }
                        default:
                            try json.skipValue()
                        }
                    }
                    if !changes.isEmpty { updates.append((updatePlace, displayAt ?? createdAt, changes)) }
                }
            default:
                try json.skipValue()
            }
        }
        guard let start = started ?? created ?? scheduledFor else {
            throw json.error("\(context()) has neither \"started_at\" nor \"created_at\", so its start is unknown", at: place)
        }
        incident.start = start
        if let resolved, resolved < start {
            throw json.error("\(context()) is resolved at \(Timestamp.format(resolved)), before it starts at \(Timestamp.format(start))",
                             at: place)
        }
        if let scheduledFor, let scheduledUntil, scheduledUntil < scheduledFor {
            var problem = json.error("\(context()) is scheduled until \(Timestamp.format(scheduledUntil)), before it is scheduled "
                                     + "for \(Timestamp.format(scheduledFor))", at: place)
            problem.hint = "correct the maintenance's window on the page and export it again"
            throw problem
        }

        // The updates' changes in time order (one instant: file order), per component.
        var timed: [(time: Millis, order: Int, id: String, old: StatuspageEffect?, new: StatuspageEffect)] = []
        for update in updates {
            guard let time = update.time else {
                let component = names[update.changes[0].id] ?? update.changes[0].id
                var problem = json.error("\(context()): an update naming component \(MessageText.quoted(component)) has neither "
                                         + "\"display_at\" nor \"created_at\", so when its status changes is unknown", at: update.place)
                problem.hint = "export the page again (Statuspage gives every update both)"
                throw problem
            }
            for change in update.changes { timed.append((time, timed.count, change.id, change.old, change.new)) }
        }
        timed.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        var changes: [String: [StatuspageExport.Change]] = [:]
        for change in timed { changes[change.id, default: []].append(.init(time: change.time, old: change.old, new: change.new)) }
        for (id, componentChanges) in changes {
            incident.spans[id] = StatuspageExport.timeline(componentChanges, start: start, resolved: resolved)
        }
        // Components no update names take the impact, over the maintenance's window when it has one.
        let window: (start: Millis, end: Millis?) = scheduledFor.map { ($0, scheduledUntil ?? resolved) } ?? (start, resolved)
        for id in listed where changes[id] == nil {
            incident.spans[id] = [StatuspageExport.Span(start: window.start, end: window.end, effect: impact ?? .none)]
        }
        return incident
    }

    /// A component object (`components[]`, keyed by `id`) or an affected component (keyed by `code`), after its `{`;
    /// nil for Statuspage's placeholder, which is no component.
    func readComponent(idKey: String, context: String) throws
        -> (id: String, name: String?, oldStatus: StatuspageEffect?, newStatus: StatuspageEffect?)? {
        let place = json.position
        var id: String?, name: String?
        var oldStatus: StatuspageEffect?, newStatus: StatuspageEffect?
        try json.members { key in
            switch key {
            case idKey: id = try json.string(for: "\(context): a component's \"\(idKey)\"")
            case "name": name = try json.string(for: "\(context): a component's \"name\"", allowNull: true)
            case "old_status" where idKey == "code", "new_status" where idKey == "code":
                guard let text = try json.string(for: "\(context): \"\(key)\"", allowNull: true), !text.isEmpty else { return }
                guard let effect = StatuspageEffect.componentStatuses[text] else {
                    let who = name.map { "component \(MessageText.quoted($0))" } ?? id.map { "component \(MessageText.quoted($0))" } ?? "a component"
                    throw json.error("\(context): \(who) has unknown status \(MessageText.quoted(text)) "
                                     + "(expected \(StatuspageEffect.componentStatusChoices))")
                }
                if key == "new_status" { newStatus = effect } else { oldStatus = effect }
            default:
                try json.skipValue()
            }
        }
        if id == nil, name == Self.placeholderName { return nil }
        guard let key = id ?? name, !key.isEmpty else {
            throw json.error("\(context): a component has neither \"\(idKey)\" nor \"name\"", at: place)
        }
        return (key, name, oldStatus, newStatus)
    }
}
