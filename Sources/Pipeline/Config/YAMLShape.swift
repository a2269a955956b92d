import CYAMLEvents
import Ingest

/// What a configuration's YAML may be before it is composed into nodes (issue 12 §6): every mapping key plain text,
/// and no more values through aliases than twice the file's bytes (at least 100 000; a text without aliases has fewer
/// values than bytes).
///
/// An alias repeats what its anchor holds, so nine lines of anchors, each listing the previous one nine times, stand
/// for 9⁹ (387 million) values. Yams shares the repeated nodes, so composing them costs nothing, until something walks
/// them: Yams hashes every mapping key to find duplicates, and a 344-byte config with such an alias as a key hung
/// `check`; as a value, the loader would walk it. This walks libyaml's events once (no nodes are built, so memory stays
/// small), counts the values the text expands to, and refuses a key that is an alias, a list or a mapping (the
/// configuration's keys are all text) before Yams sees the text. A text libyaml cannot parse is left to Yams, which
/// says why.
enum YAMLShape {
    /// Throws a `Diagnostic` at the place of the first key or alias that breaks the rules.
    static func check(_ text: String, path: String) throws(Diagnostic) {
        var text = text
        guard !text.isEmpty else { return }  // libyaml wants an input; Yams says the file is empty
        let limit = max(100_000, 2 * text.utf8.count)
        let failure: Diagnostic? = text.withUTF8 { bytes in
            guard let reader = slareport_yaml_open(bytes.baseAddress, bytes.count) else { return nil }
            defer { slareport_yaml_close(reader) }
            return walk(reader, limit: limit, path: path)
        }
        if let failure { throw failure }
    }

    private struct Container {
        var isMapping: Bool
        /// In a mapping: whether the next node is a key.
        var expectsKey: Bool
        /// The values this node expands to so far, itself included.
        var size: Int
        var anchor: String?
    }

    private static func walk(_ reader: OpaquePointer, limit: Int, path: String) -> Diagnostic? {
        var open: [Container] = []
        var anchored: [String: Int] = [:]
        var total = 0
        while true {
            let event = slareport_yaml_next(reader)
            func fail(_ message: String) -> Diagnostic {
                Diagnostic(file: path, line: Int(event.line), column: Int(event.column), message: message)
            }
            let anchor = event.anchor.map { String(cString: $0) }
            let kind = event.kind
            // A node starts: in a mapping it is a key or a value, in turn.
            if kind == SLAREPORT_YAML_SCALAR || kind == SLAREPORT_YAML_ALIAS || kind == SLAREPORT_YAML_SEQUENCE_START
                || kind == SLAREPORT_YAML_MAPPING_START, let top = open.last, top.isMapping {
                if top.expectsKey {
                    if kind == SLAREPORT_YAML_ALIAS {
                        return fail("an alias (*\(anchor ?? "")) is used as a mapping key; write the key as text")
                    }
                    if kind != SLAREPORT_YAML_SCALAR {
                        return fail("a mapping key must be plain text, not a \(kind == SLAREPORT_YAML_MAPPING_START ? "mapping" : "list")")
                    }
                }
                open[open.count - 1].expectsKey.toggle()
            }
            var added = 0
            switch kind {
            case SLAREPORT_YAML_SCALAR:
                added = 1
                if let anchor { anchored[anchor] = 1 }
            case SLAREPORT_YAML_ALIAS:
                // An undefined alias adds nothing here; Yams refuses it.
                added = anchor.flatMap { anchored[$0] } ?? 0
            case SLAREPORT_YAML_SEQUENCE_START, SLAREPORT_YAML_MAPPING_START:
                total += 1
                open.append(Container(isMapping: kind == SLAREPORT_YAML_MAPPING_START, expectsKey: true, size: 1, anchor: anchor))
            case SLAREPORT_YAML_SEQUENCE_END, SLAREPORT_YAML_MAPPING_END:
                guard let closed = open.popLast() else { return nil }
                if let anchor = closed.anchor { anchored[anchor] = closed.size }
                if !open.isEmpty { open[open.count - 1].size += closed.size }
            case SLAREPORT_YAML_OTHER:
                continue
            default:
                return nil  // the end, or an error Yams will name
            }
            if added > 0 {
                total += added
                if !open.isEmpty { open[open.count - 1].size += added }
            }
            if total > limit {
                return fail("the configuration expands to more than \(limit) values through its aliases (this one repeats "
                    + "what its anchor holds, which repeats other aliases); write the repeated parts out, or repeat less")
            }
        }
    }
}
