import Ingest
import Calc
import Foundation

/// `sources:` (SPEC §11): the Prometheus-compatible servers `pull` reads raw samples from, and where it archives
/// every response body.
package struct PullSources {
    /// `archive`, resolved against the config folder (default `data/pulled`).
    package var archive: URL
    package var prometheus: [PrometheusSource]
}

/// One `sources.prometheus[]` entry.
package struct PrometheusSource {
    /// Which API answers raw samples: Prometheus, Thanos, Mimir and Cortex answer an instant query of a range
    /// selector with the stored samples; VictoriaMetrics too (`api: victoriametrics` is accepted and treated alike,
    /// as the agreement test with its server shows).
    package enum API: String, CaseIterable, Sendable { case prometheus, victoriametrics }

    /// A `status[]` or `metrics[]` entry: its selector, the service label for status, and its key path for errors.
    package struct Selector {
        package var text: String
        /// Status selectors: the labels naming a series' service (nil: `service`, `job`, `instance`).
        package var serviceLabels: [String]?
        /// `sources.prometheus[0].metrics[1].selector`, for an error about it (a 400 from the server: exit 78).
        package var keyPath: String
        package var kind: InputKind
    }

    package var id: String
    /// The API root, without a trailing slash (`http://127.0.0.1:9090`, `https://mimir.example/prometheus`).
    package var url: String
    package var api: API
    /// Extra request headers (a Mimir/Cortex tenant: `X-Scope-OrgID`), sorted by name.
    package var headers: [(String, String)]
    package var bearerTokenFile: URL?
    package var basicAuth: (username: String, passwordFile: URL)?
    package var caFile: URL?
    package var timeoutMs: Millis
    package var chunkMs: Millis
    package var settleMs: Millis
    package var selectors: [Selector]
    /// `sources.prometheus[0]`.
    package var keyPath: String
}

extension ConfigLoader {
    static func checkSelector(_ text: String, _ node: ConfigNode) throws {
        do { _ = try SeriesSelector(text) } catch { throw node.error("\(error)") }
    }

    func loadSources(_ node: ConfigNode?, directory: URL) throws -> PullSources? {
        guard let node else { return nil }
        let m = try node.mapping(allowed: ["archive", "prometheus"])
        func resolve(_ text: String) -> URL {
            text.hasPrefix("/") ? URL(fileURLWithPath: text) : directory.appendingPathComponent(text)
        }
        let archive = resolve(try m["archive"]?.string() ?? "data/pulled")
        var sources: [PrometheusSource] = []
        for (index, entry) in (try m["prometheus"]?.list() ?? []).enumerated() {
            let s = try entry.mapping(allowed: ["id", "url", "api", "headers", "bearer_token_file", "basic_auth", "ca_file",
                                                "timeout", "chunk", "settle", "status", "metrics"])
            let keyPath = "sources.prometheus[\(index)]"
            let id = try s.required("id").identifier()
            guard !sources.contains(where: { $0.id == id }) else {
                throw try s.required("id").error("duplicate source id \"\(id)\" (each source needs its own archive folder)")
            }
            let urlNode = try s.required("url")
            var url = try urlNode.string()
            guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                  parsed.host != nil, parsed.query == nil, parsed.fragment == nil else {
                throw urlNode.error("expected the API root as an http:// or https:// URL without a query, such as "
                                    + "http://127.0.0.1:9090, got \"\(url)\"")
            }
            guard parsed.user == nil, parsed.password == nil else {
                throw urlNode.error("credentials do not belong in the URL (it is printed in messages); use basic_auth "
                                    + "with a password_file")
            }
            while url.hasSuffix("/") { url.removeLast() }
            var headers: [(String, String)] = []
            if let h = s["headers"] {
                guard case let .mapping(raw, _) = h.node else { throw h.error("expected a mapping of header names to values") }
                let mapping = try h.mapping(allowed: Set(raw.map(\.key.text)))
                for (name, value) in mapping.entries.sorted(by: { $0.key < $1.key }) {
                    guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                        throw value.error("not an HTTP header name: \"\(name)\"")
                    }
                    guard name.lowercased() != "authorization" else {
                        throw value.error("set Authorization with bearer_token_file or basic_auth, whose secrets stay in files")
                    }
                    let text = try value.string()
                    guard !text.utf8.contains(where: { $0 < 32 || $0 == 127 }) else {
                        throw value.error("a header value may not hold control characters")
                    }
                    headers.append((name, text))
                }
            }
            var basic: (String, URL)?
            if let b = s["basic_auth"] {
                let bm = try b.mapping(allowed: ["username", "password_file"])
                basic = (try bm.required("username").string(), resolve(try bm.required("password_file").string()))
            }
            let bearer = try s["bearer_token_file"].map { resolve(try $0.string()) }
            if bearer != nil, basic != nil {
                throw s["basic_auth"]!.error("give bearer_token_file or basic_auth, not both")
            }
            func positive(_ key: String, _ fallback: Millis) throws -> Millis {
                guard let n = s[key] else { return fallback }
                let value = try n.duration()
                guard value > 0 else { throw n.error("must be longer than 0") }
                return value
            }
            let chunk = try positive("chunk", 6 * Calc.Duration.hour)
            if let n = s["chunk"], chunk < Calc.Duration.minute || chunk % 1000 != 0 {
                throw n.error("must be whole seconds, at least 1m (a chunk is one request's time range)")
            }
            var selectors: [PrometheusSource.Selector] = []
            for kind in [InputKind.status, .metrics] {
                for (i, item) in (try s[kind.rawValue]?.list() ?? []).enumerated() {
                    let im = try item.mapping(allowed: kind == .status ? ["selector", "service_label"] : ["selector"])
                    let selectorNode = try im.required("selector")
                    let text = try selectorNode.string()
                    // Parsed now: a typo stops every command before any request is made.
                    try Self.checkSelector(text, selectorNode)
                    var labels: [String]?
                    if let labelNode = im["service_label"] {
                        let nodes = labelNode.scalarText != nil ? [labelNode] : try labelNode.list()
                        labels = try nodes.map { node in
                            let name = try node.string()
                            guard PrometheusLabel.isValidName(name) else { throw node.error("not a Prometheus label name: \"\(name)\"") }
                            return name
                        }
                    }
                    selectors.append(.init(text: text, serviceLabels: labels,
                                           keyPath: "\(keyPath).\(kind.rawValue)[\(i)].selector", kind: kind))
                }
            }
            sources.append(PrometheusSource(
                id: id, url: url, api: try s["api"]?.choice(PrometheusSource.API.self) ?? .prometheus, headers: headers,
                bearerTokenFile: bearer, basicAuth: basic, caFile: try s["ca_file"].map { resolve(try $0.string()) },
                timeoutMs: try positive("timeout", 30 * Calc.Duration.second), chunkMs: chunk,
                settleMs: try s["settle"]?.duration() ?? 10 * Calc.Duration.minute, selectors: selectors, keyPath: keyPath))
        }
        return PullSources(archive: archive, prometheus: sources)
    }
}

extension Config {
    /// The options a recorded status input is imported with (`verify` re-imports it so): a pulled body's selector's
    /// service labels, else those of the first `inputs.status` pattern naming the file.
    package func statusOptions(forRecordedPath path: String) -> StatusImportOptions {
        var options = StatusImportOptions()
        if let sources {
            let archive = recordedPath(of: sources.archive)
            for source in sources.prometheus {
                for selector in source.selectors where selector.kind == .status {
                    let folder = archive + "/" + source.id + "/" + PullArchive.hash(selector.text) + "/"
                    if path.hasPrefix(folder) {
                        if let labels = selector.serviceLabels { options.serviceLabels = labels }
                        return options
                    }
                }
            }
        }
        for input in inputs where input.kind == .status && InputGlob(input.pattern).matches(path: path) {
            if let labels = input.serviceLabels { options.serviceLabels = labels }
            return options
        }
        return options
    }
}
