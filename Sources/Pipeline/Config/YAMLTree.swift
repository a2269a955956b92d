import CYAMLEvents
import Ingest

/// A place in the configuration's text: 1-based line and column.
package struct YAMLMark: Equatable, Sendable {
    package var line: Int32
    package var column: Int32
}

/// A scalar as the configuration reads it: its text, whether it was written plain (unquoted, so `~` or nothing is
/// null), and where it starts.
package struct YAMLScalar: Sendable {
    package var text: String
    package var isPlain: Bool
    package var mark: YAMLMark
}

/// A node of the configuration's YAML: text, a list, or a mapping whose keys are text.
///
/// The configuration reads text only (no tags, no resolved types), so a node is kept small: a 55 MB configuration of
/// 500 000 leases took 1.2 GB as Yams nodes (each with a tag object, style, anchor and mark), and takes about a fifth
/// of that as these. Lists and mappings are arrays, so an alias shares what its anchor holds.
package enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], YAMLMark)
    case mapping([(key: YAMLScalar, value: YAMLNode)], YAMLMark)

    package var mark: YAMLMark {
        switch self {
        case .scalar(let s): s.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    package var scalar: YAMLScalar? {
        if case .scalar(let s) = self { return s }
        return nil
    }
}

/// Composes a configuration's YAML from libyaml's events (the parser Yams links in), checking as it goes what the text
/// may be (issue 12 §6):
///
/// - every mapping key is text: an alias, list or mapping as a key is refused;
/// - no more values through aliases than twice the file's bytes (at least 100 000; a text without aliases has fewer
///   values than bytes). An alias repeats what its anchor holds, so nine lines of anchors, each listing the previous
///   one nine times, stand for 9⁹ (387 million) values: a 344-byte config with such an alias as a key hung `check`
///   while Yams hashed it to look for duplicate keys, and as a value the loader would walk it;
/// - a key given twice in one mapping is refused, as Yams refused it.
///
/// Text libyaml cannot parse, an undefined alias or a second document is `Unreadable`: the caller lets Yams compose the
/// text to say why, in Yams's words.
package enum YAMLTree {
    /// Why the text could not be composed here; Yams says it better.
    package struct Unreadable: Error {}

    /// The document's root, or nil for a text with no document.
    package static func compose(_ text: String, path: String) throws -> YAMLNode? {
        var text = text
        guard !text.isEmpty else { return nil }  // libyaml wants an input
        let limit = max(100_000, 2 * text.utf8.count)
        return try text.withUTF8 { bytes in
            guard let reader = slareport_yaml_open(bytes.baseAddress, bytes.count) else { throw Unreadable() }
            defer { slareport_yaml_close(reader) }
            var composer = Composer(limit: limit, path: path)
            return try composer.run(reader)
        }
    }

    private struct Open {
        var isMapping: Bool
        var mark: YAMLMark
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [(key: YAMLScalar, value: YAMLNode)] = []
        /// In a mapping, the key waiting for its value.
        var key: YAMLScalar?
        /// The values this node expands to so far, itself included.
        var size = 1
    }

    private struct Composer {
        let limit: Int
        let path: String
        var open: [Open] = []
        var anchored: [String: (node: YAMLNode, size: Int)] = [:]
        var total = 0
        var root: YAMLNode?
        var documents = 0

        init(limit: Int, path: String) {
            self.limit = limit
            self.path = path
        }

        mutating func run(_ reader: OpaquePointer) throws -> YAMLNode? {
            let file = path  // so `fail` does not capture `self`, which the calls below modify
            while true {
                let event = slareport_yaml_next(reader)
                let mark = YAMLMark(line: Int32(clamping: event.line), column: Int32(clamping: event.column))
                func fail(_ message: String) -> Diagnostic {
                    Diagnostic(file: file, line: Int(mark.line), column: Int(mark.column), message: message)
                }
                let anchor = event.anchor.map { String(cString: $0) }
                switch event.kind {
                case SLAREPORT_YAML_SCALAR:
                    let text = String(decoding: UnsafeBufferPointer(start: event.value, count: event.length), as: UTF8.self)
                    let scalar = YAMLScalar(text: text, isPlain: event.plain != 0, mark: mark)
                    if let anchor { anchored[anchor] = (.scalar(scalar), 1) }
                    try add(.scalar(scalar), size: 1, fail)
                case SLAREPORT_YAML_ALIAS:
                    guard let anchor, let target = anchored[anchor] else { throw Unreadable() }  // Yams: undefined alias
                    if open.last?.isMapping == true, open.last?.key == nil {
                        throw fail("an alias (*\(anchor)) is used as a mapping key; write the key as text")
                    }
                    try add(target.node, size: target.size, fail)
                case SLAREPORT_YAML_SEQUENCE_START, SLAREPORT_YAML_MAPPING_START:
                    let isMapping = event.kind == SLAREPORT_YAML_MAPPING_START
                    if open.last?.isMapping == true, open.last?.key == nil {
                        throw fail("a mapping key must be plain text, not a \(isMapping ? "mapping" : "list")")
                    }
                    total += 1
                    if total > limit { throw tooMany(fail) }
                    open.append(Open(isMapping: isMapping, mark: mark, anchor: anchor))
                case SLAREPORT_YAML_SEQUENCE_END, SLAREPORT_YAML_MAPPING_END:
                    guard let closed = open.popLast() else { throw Unreadable() }
                    let node: YAMLNode
                    if closed.isMapping {
                        try checkDuplicates(closed.pairs)
                        node = .mapping(closed.pairs, closed.mark)
                    } else {
                        node = .sequence(closed.items, closed.mark)
                    }
                    if let anchor = closed.anchor { anchored[anchor] = (node, closed.size) }
                    // Its values were counted in `total` as they came.
                    try attach(node, size: closed.size)
                case SLAREPORT_YAML_OTHER:
                    continue
                case SLAREPORT_YAML_END:
                    return root
                default:
                    throw Unreadable()
                }
            }
        }

        private func tooMany(_ fail: (String) -> Diagnostic) -> Diagnostic {
            fail("the configuration expands to more than \(limit) values through its aliases (this one repeats what its "
                 + "anchor holds, which repeats other aliases); write the repeated parts out, or repeat less")
        }

        /// A complete node (a scalar, or what an alias repeats) where the open container wants one.
        private mutating func add(_ node: YAMLNode, size: Int, _ fail: (String) -> Diagnostic) throws {
            total += size
            if total > limit { throw tooMany(fail) }
            try attach(node, size: size)
        }

        private mutating func attach(_ node: YAMLNode, size: Int) throws {
            guard !open.isEmpty else {
                // A second document: Yams says the configuration must be one.
                if root != nil { throw Unreadable() }
                root = node
                return
            }
            let last = open.count - 1
            open[last].size += size
            if open[last].isMapping {
                if let key = open[last].key {
                    open[last].pairs.append((key, node))
                    open[last].key = nil
                } else if case .scalar(let key) = node {
                    open[last].key = key
                }
            } else {
                open[last].items.append(node)
            }
        }

        /// Yams's rule and message: the smallest key given twice, at its first place.
        private func checkDuplicates(_ pairs: [(key: YAMLScalar, value: YAMLNode)]) throws {
            guard pairs.count > 1 else { return }
            var first: [String: YAMLScalar] = [:]
            var repeated = Set<String>()
            for (key, _) in pairs {
                if first[key.text] == nil { first[key.text] = key } else { repeated.insert(key.text) }
            }
            guard !repeated.isEmpty else { return }
            let sorted = repeated.sorted()
            let place = first[sorted[0]]!.mark
            throw Diagnostic(file: path, line: Int(place.line), column: Int(place.column),
                             message: "duplicate key \(sorted.map { "\"\($0)\"" }.joined(separator: ", ")) (each key may appear once in a mapping)")
        }
    }
}
