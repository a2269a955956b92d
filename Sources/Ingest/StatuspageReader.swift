import Calc
import Foundation

/// Reads an Atlassian Statuspage v2 `incidents.json` as status rows (SPEC §4.1 `statuspage`).
///
/// ```json
/// {"page": {"id": "…", "name": "…", "updated_at": "2026-10-31T12:00:00Z"},
///  "incidents": [{"id": "…", "name": "…", "impact": "critical", "created_at": "…", "started_at": "…",
///                 "resolved_at": "…", "components": [{"id": "…", "name": "…", …}],
///                 "incident_updates": [{"affected_components": [{"code": "…", "name": "…",
///                                       "old_status": "operational", "new_status": "major_outage"}], …}]}]}
/// ```
///
/// - An incident affects the components named in its `components` and in its updates' `affected_components`
///   (which may be null), from `started_at` (else `created_at`) to `resolved_at` (unresolved: `page.updated_at`).
/// - The state it gives a component is the worst `new_status` its updates gave that component:
///   `major_outage` down, `partial_outage` and `degraded_performance` degraded, `under_maintenance` maintenance,
///   `operational` none. A component with no `affected_components` entry takes the incident's `impact`
///   (`critical` down, `major`/`minor` degraded, `maintenance` maintenance, `none` nothing). Changes between
///   updates are not followed: the worst state holds for the incident's whole duration.
/// - Overlapping incidents on one component: the worst state wins (down > degraded > maintenance).
/// - Every component the file mentions is up at other times within the covered range: from the earliest
///   incident start (or `range.since`) to `page.updated_at` (or `range.until`, if earlier).
/// - The service is the component's id when some service's `status_series` is that id (`seriesNames`), else
///   its name (the first name the file gives it: Statuspage lists the newest incident first).
/// - Because a sample holds for at most `max_sample_gap`, each state is written as a sample at its start and
///   one at every multiple of `step` inside it (`step` ≤ `max_sample_gap`), so it holds without gaps.
/// - Unknown component statuses and impacts, an incident resolved before it starts, and a missing
///   `page.updated_at` are errors with the line and column.
package struct StatuspageReader: StatusRowSource {
    package let path: String
    package let displayName: String
    package var range: StatusTimeRange = .all
    package var seriesNames: Set<String> = []
    package var step: Millis = Duration.minute
    package var batchSize: Int = StatusCSVParser.defaultBatchSize
    package var chunkSize: Int = JSONTokenizer.defaultChunkSize

    package func parse(batch: ([StatusRow]) throws -> Void) throws -> Int {
        precondition(step > 0)
        let json = try JSONTokenizer(path: path, displayName: displayName, chunkSize: chunkSize)
        var export = try StatuspageExportReader(json: json).read()
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
    struct Incident {
        var id = ""
        var name = ""
        var line = 0
        var start: Millis = 0
        var end: Millis?
        /// Component id → the state this incident gives it.
        var effects: [String: StatuspageEffect] = [:]
    }

    let file: String
    var updatedAt: (time: Millis, line: Int)?
    var incidents: [Incident] = []
    /// Component id → its first name in the file.
    var componentNames: [String: String] = [:]

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
            struct Span { var start: Millis; var end: Millis; var effect: StatuspageEffect; var incident: Int }
            var spans: [Span] = []
            for (index, incident) in incidents.enumerated() {
                guard let effect = incident.effects[id], effect != .none else { continue }
                let s = max(incident.start, start), e = min(incident.end ?? updatedAt.time, end)
                if e > s { spans.append(Span(start: s, end: e, effect: effect, incident: index)) }
            }
            let boundaries = Array(Set([start, end] + spans.flatMap { [$0.start, $0.end] })).sorted()
            // Elementary pieces between boundaries, merged while the state (and the incident naming it) stays.
            var segments: [(start: Millis, end: Millis, effect: StatuspageEffect, incident: Int?)] = []
            for (a, b) in zip(boundaries, boundaries.dropFirst()) {
                var effect = StatuspageEffect.none
                var incident: Int?
                for span in spans where span.start <= a && span.end >= b && span.effect > effect {
                    effect = span.effect
                    incident = span.incident
                }
                if let last = segments.last, last.effect == effect, last.end == a {
                    segments[segments.count - 1].end = b
                } else {
                    segments.append((a, b, effect, incident))
                }
            }
            for segment in segments {
                let incident = segment.incident.map { incidents[$0] }
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

/// Walks the JSON of an `incidents.json` into a `StatuspageExport`.
private struct StatuspageExportReader {
    let json: JSONTokenizer

    func read() throws -> StatuspageExport {
        var export = StatuspageExport(file: json.displayName)
        let first = try json.nextValue()
        guard first == .beginObject else {
            throw json.error("expected a Statuspage incidents.json (an object with \"page\" and \"incidents\"), found \(first.kind)")
        }
        var sawIncidents = false
        try json.members { name in
            switch name {
            case "page":
                let token = try json.nextValue()
                guard token == .beginObject else { throw json.error("\"page\" must be an object, not \(token.kind)") }
                try json.members { key in
                    if key == "updated_at" {
                        if let time = try timestamp("\"page\".\"updated_at\"") { export.updatedAt = (time, json.position.line) }
                    } else {
                        try json.skipValue()
                    }
                }
            case "incidents":
                let token = try json.nextValue()
                guard token == .beginArray else { throw json.error("\"incidents\" must be an array, not \(token.kind)") }
                sawIncidents = true
                try json.elements { token in
                    guard token == .beginObject else { throw json.error("each incident must be an object, not \(token.kind)") }
                    try export.incidents.append(readIncident(names: &export.componentNames))
                }
            default:
                try json.skipValue()
            }
        }
        try json.finish()
        guard sawIncidents else {
            throw Diagnostic(file: json.displayName, line: nil, column: nil,
                             message: "not a Statuspage incidents.json: it has no \"incidents\" member")
        }
        return export
    }

    /// A string timestamp (or null → nil) at the next value.
    func timestamp(_ what: String) throws -> Millis? {
        guard let text = try json.string(for: what, allowNull: true) else { return nil }
        do { return try Timestamp.parse(Substring(text)) } catch { throw json.error("\(what): \(error.reason)") }
    }

    /// One incident, after its `{`.
    func readIncident(names: inout [String: String]) throws -> StatuspageExport.Incident {
        var incident = StatuspageExport.Incident()
        incident.line = json.position.line
        let place = json.position
        var created: Millis?, started: Millis?
        var impact: (effect: StatuspageEffect, place: JSONPosition)?
        var listed: [String] = []
        var affected: [String: StatuspageEffect] = [:]

        func context() -> String {
            incident.id.isEmpty ? "an incident" : "incident \(MessageText.quoted(incident.id))"
                + (incident.name.isEmpty ? "" : " (\(MessageText.quoted(incident.name)))")
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
            case "resolved_at": incident.end = try timestamp("\(context()): \"resolved_at\"")
            case "impact":
                guard let text = try json.string(for: "\(context()): \"impact\"", allowNull: true) else { return }
                guard let effect = StatuspageEffect.impacts[text] else {
                    throw json.error("\(context()) has unknown impact \(MessageText.quoted(text)) (expected \(StatuspageEffect.impactChoices))")
                }
                impact = (effect, json.position)
            case "components":
                let token = try json.nextValue()
                if token == .null { return }
                guard token == .beginArray else { throw json.error("\(context()): \"components\" must be an array, not \(token.kind)") }
                try json.elements { token in
                    guard token == .beginObject else { throw json.error("\(context()): each component must be an object, not \(token.kind)") }
                    let component = try readComponent(idKey: "id", context: context())
                    note(id: component.id, name: component.name)
                    listed.append(component.id)
                }
            case "incident_updates":
                let token = try json.nextValue()
                if token == .null { return }
                guard token == .beginArray else { throw json.error("\(context()): \"incident_updates\" must be an array, not \(token.kind)") }
                try json.elements { token in
                    guard token == .beginObject else { throw json.error("\(context()): each incident update must be an object, not \(token.kind)") }
                    try json.members { key in
                        guard key == "affected_components" else { return try json.skipValue() }
                        let list = try json.nextValue()
                        if list == .null { return }
                        guard list == .beginArray else {
                            throw json.error("\(context()): \"affected_components\" must be an array or null, not \(list.kind)")
                        }
                        try json.elements { token in
                            guard token == .beginObject else {
                                throw json.error("\(context()): each affected component must be an object, not \(token.kind)")
                            }
                            let component = try readComponent(idKey: "code", context: context())
                            note(id: component.id, name: component.name)
                            affected[component.id] = max(affected[component.id] ?? .none, component.newStatus ?? .none)
                        }
                    }
                }
            default:
                try json.skipValue()
            }
        }
        guard let start = started ?? created else {
            throw json.error("\(context()) has neither \"started_at\" nor \"created_at\", so its start is unknown", at: place)
        }
        incident.start = start
        if let end = incident.end, end < start {
            throw json.error("\(context()) is resolved at \(Timestamp.format(end)), before it starts at \(Timestamp.format(start))",
                             at: place)
        }
        for id in listed where affected[id] == nil { incident.effects[id] = impact?.effect ?? StatuspageEffect.none }
        for (id, effect) in affected { incident.effects[id] = effect }
        return incident
    }

    /// A component object (`components[]`, keyed by `id`) or an affected component (keyed by `code`), after its `{`.
    func readComponent(idKey: String, context: String) throws -> (id: String, name: String?, newStatus: StatuspageEffect?) {
        let place = json.position
        var id: String?, name: String?
        var newStatus: StatuspageEffect?
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
                if key == "new_status" { newStatus = effect }
            default:
                try json.skipValue()
            }
        }
        guard let key = id ?? name, !key.isEmpty else {
            throw json.error("\(context): a component has neither \"\(idKey)\" nor \"name\"", at: place)
        }
        return (key, name, newStatus)
    }
}
