import Ingest
import Storage
import Calc

/// A YAML node together with its key path, so every config error can say where it is:
/// `sla.yaml:12:5: error: leases[2].monthly_fee: expected a decimal string, got "12,00"`.
package struct ConfigNode {
    package let node: YAMLNode
    package let file: String
    /// The path of the mapping or list holding this node, and the step from there. The node's own path is only
    /// spelled out when needed (an error): a 10 000-lease config has some 80 000 nodes and needs none of them.
    private let parentPath: String
    private let step: Step

    private enum Step {
        case whole
        case key(String)
        case index(Int)
    }

    package init(node: YAMLNode, path: String, file: String) {
        self.init(node: node, parentPath: path, step: .whole, file: file)
    }

    private init(node: YAMLNode, parentPath: String, step: Step, file: String) {
        self.node = node
        self.parentPath = parentPath
        self.step = step
        self.file = file
    }

    /// `leases[2].monthly_fee`; empty for the whole document.
    package var path: String {
        switch step {
        case .whole: parentPath
        case let .key(key): parentPath.isEmpty ? key : parentPath + "." + key
        case let .index(i): parentPath + "[" + String(i) + "]"
        }
    }

    package func error(_ message: String) -> Diagnostic {
        let path = path
        return Diagnostic(file: file, line: Int(node.mark.line), column: Int(node.mark.column),
                          message: path.isEmpty ? message : "\(path): \(message)")
    }

    /// The scalar text; quoted or not, so `monthly_fee: 1200.00` is read from its text, never as a float.
    package var scalarText: String? {
        node.scalar?.text
    }

    package var isNull: Bool {
        guard let s = node.scalar else { return false }
        return s.isPlain && ["", "~", "null", "Null", "NULL"].contains(s.text)
    }

    /// The mapping's entries, after checking every key is one of `allowed`.
    package func mapping(allowed: Set<String>) throws -> ConfigMapping {
        guard case let .mapping(m, _) = node else { throw error("expected a mapping") }
        var entries: [String: ConfigNode] = [:]
        entries.reserveCapacity(m.count)
        let path = path
        for (keyScalar, value) in m {
            let key = keyScalar.text
            let valueNode = ConfigNode(node: value, parentPath: path, step: .key(key), file: file)
            guard allowed.contains(key) else {
                throw ConfigNode(node: .scalar(keyScalar), path: valueNode.path, file: file)
                    .error("unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard entries[key] == nil else { throw valueNode.error("duplicate key") }
            entries[key] = valueNode
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    package func list() throws -> [ConfigNode] {
        guard case let .sequence(s, _) = node else { throw error("expected a list") }
        let path = path
        return s.enumerated().map { ConfigNode(node: $1, parentPath: path, step: .index($0), file: file) }
    }

    package func string() throws -> String {
        guard let text = scalarText, !isNull else { throw error("expected a text value") }
        return text
    }

    /// An identifier that may end up in a file name: no `/`, no `..`, no control characters.
    package func identifier() throws -> String {
        let text = try string()
        // One pass over the bytes (Foundation's `String.contains(_:)` would search with a locale, twice).
        guard !text.isEmpty, text != ".", text != "..",
              !text.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F })
        else { throw error("not a usable id: \"\(text)\" (no '/', '\\', '..' or control characters)") }
        return text
    }

    package func decimal(what: String = "a decimal string") throws -> Ratio {
        let text = try string()
        guard let value = DecimalText.parse(Substring(text)) else { throw error("expected \(what), got \"\(text)\"") }
        return value
    }

    /// A percentage from 0 to 100 (an uptime or error-rate target, a credit, a buffer): anything else would change
    /// money or verdicts in ways no contract means (a 150 % credit pays out more than the fee).
    package func percentage(what: String = "a percentage") throws -> Ratio {
        let value = try decimal(what: what)
        guard value >= .zero, value <= .hundred else {
            throw error("must be a percentage from 0 to 100, got \"\(try string())\"")
        }
        return value
    }

    /// An amount of `currency`, with at most its minor-unit digits (`"1200.00"` in EUR, `"1200"` in JPY).
    package func money(_ currency: Currency) throws -> Ratio {
        let text = try string()
        guard DecimalText.parse(Substring(text)) != nil else { throw error("expected a decimal string, got \"\(text)\"") }
        do { return try Money(parsing: Substring(text), currency: currency).ratio } catch { throw self.error(error.reason) }
    }

    package func int(in range: ClosedRange<Int>) throws -> Int {
        let text = try string()
        guard let v = Int(text), range.contains(v) else {
            throw error("expected an integer from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return v
    }

    package func duration() throws -> Millis {
        let text = try string()
        do { return try Timestamp.parseDuration(Substring(text)) } catch { throw self.error(error.reason) }
    }

    package func timestamp() throws -> Millis {
        let text = try string()
        do { return try Timestamp.parse(Substring(text)) } catch { throw self.error(error.reason) }
    }

    package func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        guard let v = T(rawValue: text) else {
            throw error("expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return v
    }
}

/// A checked mapping: look values up by key, required or optional.
package struct ConfigMapping {
    package let owner: ConfigNode
    package let entries: [String: ConfigNode]

    package subscript(key: String) -> ConfigNode? {
        guard let n = entries[key], !n.isNull else { return nil }
        return n
    }

    package func required(_ key: String) throws -> ConfigNode {
        guard let n = self[key] else { throw owner.error("missing required key \"\(key)\"") }
        return n
    }
}
