import Ingest
import Storage
import Calc
import Foundation
import Render
import Yams

extension Config {
    /// Reads and validates the config; every problem is a `Diagnostic` naming the key path.
    package static func load(path: String, zoneDirectory: String) throws -> Config {
        // The bytes and the text are let go once composed, before the loader builds the estate from the tree.
        let (root, sha256) = try { () throws -> (YAMLNode, String) in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(ExitStatus.noInput, diagnostics: [Diagnostic(file: path, message: "cannot read the configuration file (does it exist?)")])
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw Diagnostic(file: path, message: "the configuration is not valid UTF-8")
            }
            return (try composeYAML(text, path: path), SHA256.hex(of: data))
        }()
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var loader = ConfigLoader(file: path, zoneDirectory: zoneDirectory)
        return try loader.load(ConfigNode(node: root, path: "", file: path), directory: directory, sha256: sha256)
    }

    /// The YAML tree of the config (`YAMLTree`: text, lists and mappings, checked for alias bombs and keys that are
    /// not text). Text that libyaml cannot read is handed to Yams, whose error says why; duplicate keys are refused at
    /// the first one.
    package static func composeYAML(_ text: String, path: String) throws -> YAMLNode {
        do {
            guard let node = try YAMLTree.compose(text, path: path) else {
                throw Diagnostic(file: path, message: "the configuration is empty")
            }
            return node
        } catch is YAMLTree.Unreadable {
            do {
                _ = try Yams.compose(yaml: text, .basic)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                // Yams's own text would quote the whole file as its context; the place and the key are enough.
                let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                throw Diagnostic(file: path, line: context.mark.line, column: context.mark.column,
                                 message: "duplicate key \(keys) (each key may appear once in a mapping)")
            } catch let error as YamlError {
                throw Diagnostic(file: path, message: "not valid YAML: \(error)")
            }
            throw Diagnostic(file: path, message: "not valid YAML")
        }
    }

    /// `load`, with every configuration problem turned into exit code 78.
    package static func load(path: String) throws -> Config {
        do {
            return try load(path: path, zoneDirectory: "/usr/share/zoneinfo")
        } catch let diagnostic as Diagnostic {
            throw CommandFailure(ExitStatus.config, diagnostics: [diagnostic])
        }
    }
}

/// Turns the YAML tree into a `Config`, checking every key and value.
struct ConfigLoader {
    let file: String
    let zoneDirectory: String
    var zone = Zone.utc

    init(file: String, zoneDirectory: String) {
        self.file = file
        self.zoneDirectory = zoneDirectory
    }

    mutating func load(_ root: ConfigNode, directory: URL, sha256: String) throws -> Config {
        let top = try root.mapping(allowed: [
            "version", "timezone", "database", "currency", "money_rounding", "fiscal_year_start_month", "output",
            "templates", "inputs", "status_defaults", "maintenance", "max_excluded_maintenance", "tiers", "providers",
            "customers", "services", "leases", "sources",
        ])
        let version = try top.required("version")
        guard version.scalarText == "1" else { throw version.error("only version 1 is supported") }

        let zoneNode = try top.required("timezone")
        zone = try loadZone(zoneNode)
        let currency = Currency(code: try top["currency"]?.string() ?? "USD")
        guard currency.code.count == 3, currency.code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw top["currency"]!.error("expected a three-letter ISO 4217 code such as USD")
        }
        let rounding = try top["money_rounding"]?.choice(Rounding.self) ?? .halfEven
        let fiscalStart = try top["fiscal_year_start_month"]?.int(in: 1...12) ?? 1

        var policy = try loadStatusDefaults(top["status_defaults"])
        policy.maxExcludedMaintenance = try top["max_excluded_maintenance"]?.duration()

        var tiers = Tier.builtIn
        if let tiersNode = top["tiers"] {
            guard case let .mapping(m, _) = tiersNode.node else { throw tiersNode.error("expected a mapping of tier names") }
            let mapping = try tiersNode.mapping(allowed: Set(m.map(\.key.text)))
            for (name, node) in mapping.entries.sorted(by: { $0.key < $1.key }) {
                tiers[name] = try loadTier(name: name, node)
            }
        }

        let providers = try (top["providers"]?.list() ?? []).map { node in
            let m = try node.mapping(allowed: ["id", "name", "escrow_balance"])
            return Provider(id: try m.required("id").identifier(), name: try m["name"]?.string() ?? m.required("id").string(),
                            escrowBalance: try m["escrow_balance"]?.money(currency) ?? .zero)
        }
        let customers = try (top["customers"]?.list() ?? []).map { node in
            let m = try node.mapping(allowed: ["id", "name"])
            return Customer(id: try m.required("id").identifier(), name: try m["name"]?.string() ?? m.required("id").string())
        }
        let providerIDs = try unique(providers.map(\.id), in: top["providers"], what: "provider")
        let customerIDs = try unique(customers.map(\.id), in: top["customers"], what: "customer")

        let services = try (top["services"]?.list() ?? []).map { node in
            let m = try node.mapping(allowed: ["id", "provider", "name", "status_series", "metrics"])
            let id = try m.required("id").identifier()
            let provider = try m.required("provider")
            guard providerIDs.contains(try provider.string()) else {
                throw provider.error("unknown provider \"\(try provider.string())\" (not in providers)")
            }
            var metrics: [ServiceMetrics.Role: SeriesSelector] = [:]
            if let metricsNode = m["metrics"] {
                let mm = try metricsNode.mapping(allowed: Set(ServiceMetrics.Role.allCases.map(\.rawValue)))
                for role in ServiceMetrics.Role.allCases {
                    guard let v = mm.entries[role.rawValue] else { continue }
                    // Parsed now, once: a typo stops every command rather than only a report that needs the metric.
                    // In NFC, as every reader stores names (`NameText`), so a value matches whichever way it was typed.
                    do { metrics[role] = try SeriesSelector(NameText.canonical(try v.string())) } catch let error as SelectorParseError {
                        throw v.error("\(error)")
                    }
                }
            }
            // The series name as the store keeps names: no control characters, NFC (`NameText`).
            let series = try m["status_series"]?.string() ?? id
            if let (scalar, _) = NameText.firstControl(series) {
                throw try (m["status_series"] ?? m.required("id")).error(NameText.controlMessage("status series", series, scalar: scalar))
            }
            return Service(id: id, name: try m["name"]?.string() ?? id, provider: try provider.string(),
                           statusSeries: NameText.canonical(series), metrics: metrics)
        }
        let serviceIDs = try unique(services.map(\.id), in: top["services"], what: "service")

        let maintenance = try (top["maintenance"]?.list() ?? []).map { node in
            let m = try node.mapping(allowed: ["service", "start", "end", "note"])
            let service = try m.required("service")
            guard serviceIDs.contains(try service.string()) else {
                throw service.error("unknown service \"\(try service.string())\" (not in services)")
            }
            let start = try instant(m.required("start"), endOfDay: false)
            let end = try instant(m.required("end"), endOfDay: true)
            guard end > start else { throw try m.required("end").error("maintenance ends before it starts") }
            return MaintenanceWindow(service: try service.string(), interval: Interval(start: start, end: end),
                                     note: try m["note"]?.string() ?? "")
        }

        let leases = try (top["leases"]?.list() ?? []).map { node in
            try loadLease(node, customers: customerIDs, services: serviceIDs, tiers: tiers, currency: currency)
        }
        _ = try unique(leases.map(\.id), in: top["leases"], what: "lease")

        let output = try top["output"]?.mapping(allowed: ["directory", "formats"])
        if let directoryNode = output?["directory"] {
            // Every period gets its own folder: without {period}, each report would replace (or restate) the last.
            guard try directoryNode.string().contains("{period}") else {
                throw directoryNode.error("must contain {period} (e.g. \"reports/{period}\"), got \"\(try directoryNode.string())\"")
            }
        }
        let formats = try (output?["formats"]?.list()).map { list in
            try list.map { node -> ReportRenderer.Format in
                let text = try node.string()
                guard let format = ReportRenderer.Format(rawValue: text) else {
                    throw node.error("unknown format \"\(text)\" (expected md, csv, json, xlsx)")
                }
                return format
            }
        } ?? ReportRenderer.Format.allCases

        var inputs: [Config.InputPattern] = []
        if let inputsNode = top["inputs"] {
            let m = try inputsNode.mapping(allowed: Set(InputKind.allCases.map(\.rawValue)))
            for kind in InputKind.allCases {
                for node in try m[kind.rawValue]?.list() ?? [] {
                    let entry = try node.mapping(allowed: kind == .status ? ["path", "format", "service_label"] : ["path", "format"])
                    let name = try entry["format"]?.string() ?? "auto"
                    guard let format = InputFormatChoice(kind: kind, name: name) else {
                        throw entry["format"]!.error("format \"\(name)\" is not supported for \(kind.rawValue) inputs in this version (expected \(InputFormatChoice.names(kind)))")
                    }
                    var input = Config.InputPattern(pattern: try entry.required("path").string(), format: format)
                    if let labelNode = entry["service_label"] {
                        guard case .status(let choice) = format, choice.takesServiceLabels else {
                            throw labelNode.error("service_label applies to prometheus-json inputs only (this input's format is \(name))")
                        }
                        let nodes = labelNode.scalarText != nil ? [labelNode] : try labelNode.list()
                        guard !nodes.isEmpty else { throw labelNode.error("expected a label name or a list of them") }
                        input.serviceLabels = try nodes.map { node in
                            let name = try node.string()
                            guard PrometheusLabel.isValidName(name) else { throw node.error("not a Prometheus label name: \"\(name)\"") }
                            return name
                        }
                    }
                    inputs.append(input)
                }
            }
        }

        let database = try top["database"]?.string() ?? "sla.db"
        var config = Config(
            path: file, directory: directory, sha256: sha256,
            databasePath: URL(fileURLWithPath: "/"), outputDirectoryTemplate: try output?["directory"]?.string() ?? "reports/{period}",
            formats: Array(Set(formats)).sorted { $0.rawValue < $1.rawValue }, templatesDirectory: nil, inputs: inputs,
            estate: Estate(timezone: zone, currency: currency, moneyRounding: rounding, fiscalYearStartMonth: fiscalStart,
                           statusPolicy: policy, maintenance: maintenance, tiers: tiers, providers: providers,
                           customers: customers, services: services, leases: leases))
        config.databasePath = config.resolve(database)
        config.sources = try loadSources(top["sources"], directory: directory)
        if let templates = try top["templates"]?.string() { config.templatesDirectory = config.resolve(templates) }
        return config
    }

    func loadZone(_ node: ConfigNode) throws -> Zone {
        let id = try node.string()
        let allowed = id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }
        guard allowed, !id.contains(".."), !id.hasPrefix("/"),
              let bytes = FileManager.default.contents(atPath: "\(zoneDirectory)/\(id)")
        else { throw node.error("unknown time zone \"\(id)\" (expected an IANA name such as Europe/Berlin; is tzdata installed?)") }
        do { return try Zone(identifier: id, tzif: [UInt8](bytes)) } catch { throw node.error("cannot read time zone \"\(id)\": \(error)") }
    }

    func loadStatusDefaults(_ node: ConfigNode?) throws -> StatusPolicy {
        var policy = StatusPolicy()
        guard let node else { return policy }
        let m = try node.mapping(allowed: ["max_sample_gap", "missing_data", "degraded", "regions", "pending", "min_coverage"])
        if let gap = m["max_sample_gap"] {
            policy.maxSampleGap = try gap.duration()
            guard policy.maxSampleGap > 0 else { throw gap.error("must be longer than 0") }
        }
        policy.missingData = try m["missing_data"]?.choice(StatusPolicy.MissingData.self) ?? .exclude
        if let floor = m["min_coverage"] { policy.minCoverage = try floor.percentage() }
        policy.regions = try m["regions"]?.choice(StatusPolicy.RegionRule.self) ?? .any
        policy.pending = try m["pending"]?.choice(StatusPolicy.PendingRule.self) ?? .down
        if let degraded = m["degraded"] {
            let text = try degraded.string()
            switch text {
            case "up": policy.degradedWeight = Ratio(1)
            case "down": policy.degradedWeight = .zero
            default:
                guard text.hasPrefix("partial:"), let w = DecimalText.parse(Substring(text.dropFirst(8))),
                      w >= .zero, w <= Ratio(1)
                else { throw degraded.error("expected up, down or partial:W with W from 0 to 1, got \"\(text)\"") }
                policy.degradedWeight = w
            }
        }
        return policy
    }

    func loadTier(name: String, _ node: ConfigNode) throws -> Tier {
        let m = try node.mapping(allowed: ["objectives", "warning_buffer", "credits", "credit_combine", "max_credit"])
        let objectives = try (m["objectives"]?.list() ?? []).map { node -> Objective in
            let o = try node.mapping(allowed: ["id", "metric", "target", "window"])
            let metric = try o.required("metric").choice(MetricKind.self)
            let targetNode = try o.required("target")
            let target: Ratio
            if metric.isLatency {
                let text = try targetNode.string()
                if let ms = text.hasSuffix("ms") ? DecimalText.parse(Substring(text.dropLast(2))) : nil {
                    target = ms
                } else if text.hasSuffix("s"), let s = DecimalText.parse(Substring(text.dropLast())),
                          let ms = try? s * Ratio(1000) {
                    target = ms
                } else {
                    throw targetNode.error("expected a latency such as 200ms or 0.5s, got \"\(text)\"")
                }
                guard target > .zero else { throw targetNode.error("a latency target must be longer than 0, got \"\(text)\"") }
            } else if metric == .throughput {
                target = try targetNode.decimal(what: "requests per second")
                guard target >= .zero else {
                    throw targetNode.error("a throughput target cannot be negative, got \"\(try targetNode.string())\"")
                }
            } else {
                target = try targetNode.percentage()
            }
            let window = try o["window"]?.duration()
            // A window finer than a minute judges nothing a monitor measures, and a month of them is millions of rows.
            if let window, window < Calc.Duration.minute {
                throw o["window"]!.error("must be at least 1m (monitors measure in minutes), got \"\(try o["window"]!.string())\"")
            }
            return Objective(id: try o["id"]?.identifier() ?? metric.rawValue, metric: metric, target: target, window: window)
        }
        var objectiveIDs: Set<String> = []
        for (i, objective) in objectives.enumerated() where !objectiveIDs.insert(objective.id).inserted {
            let place = (try? m["objectives"]?.list()[i]) ?? node
            throw place.error("duplicate objective id \"\(objective.id)\" in tier \(name) (give each objective its own id)")
        }
        let credits = try (m["credits"]?.list() ?? []).map { node -> CreditPolicy in
            let c = try node.mapping(allowed: ["objective", "brackets"])
            let objective = try c.required("objective")
            guard objectiveIDs.contains(try objective.string()) else {
                throw objective.error("no objective \"\(try objective.string())\" in tier \(name)")
            }
            let brackets = try c.required("brackets").list().map { b -> CreditBracket in
                let bm = try b.mapping(allowed: ["below", "credit"])
                return CreditBracket(below: try bm.required("below").decimal(), creditPercent: try bm.required("credit").percentage())
            }
            return CreditPolicy(objective: try objective.string(), brackets: brackets)
        }
        return Tier(name: name, objectives: objectives, warningBuffer: try m["warning_buffer"]?.percentage() ?? Ratio(5),
                    credits: credits, creditCombine: try m["credit_combine"]?.choice(Tier.Combine.self) ?? .max,
                    maxCredit: try m["max_credit"]?.percentage() ?? Ratio(100))
    }

    func loadLease(_ node: ConfigNode, customers: Set<String>, services: Set<String>, tiers: [String: Tier],
                   currency: Currency) throws -> Lease {
        let m = try node.mapping(allowed: ["id", "customer", "service", "tier", "monthly_fee", "start", "end"])
        for (key, known, what) in [("customer", customers, "customers"), ("service", services, "services")] {
            let ref = try m.required(key)
            guard known.contains(try ref.string()) else { throw ref.error("unknown \(key) \"\(try ref.string())\" (not in \(what))") }
        }
        let fee = try m.required("monthly_fee").money(currency)
        guard fee >= .zero else { throw try m.required("monthly_fee").error("must not be negative") }
        let start = try instant(m.required("start"), endOfDay: false)
        let end = try m["end"].map { try instant($0, endOfDay: true) } ?? Millis.max
        guard end > start else { throw m["end"]!.error("the lease ends before it starts") }

        let tierNode = try m.required("tier")
        var spans: [TierSpan]
        if case .sequence = tierNode.node {
            spans = try tierNode.list().map { node in
                let t = try node.mapping(allowed: ["tier", "from"])
                return TierSpan(tier: try t.required("tier").string(), from: try instant(t.required("from"), endOfDay: false))
            }
            guard let first = spans.first else { throw tierNode.error("the tier history is empty") }
            guard first.from <= start else { throw tierNode.error("the tier history must begin at or before the lease start") }
            guard zip(spans, spans.dropFirst()).allSatisfy({ $0.from < $1.from }) else {
                throw tierNode.error("tier history entries must be in ascending `from` order")
            }
        } else {
            spans = [TierSpan(tier: try tierNode.string(), from: start)]
        }
        for (i, span) in spans.enumerated() where tiers[span.tier] == nil {
            let place = (try? tierNode.list()[i]) ?? tierNode
            throw place.error("unknown tier \"\(span.tier)\" (built-in: bronze, silver, gold, platinum; or define it under tiers)")
        }
        return Lease(id: try m.required("id").identifier(), customer: try m.required("customer").string(),
                     service: try m.required("service").string(), monthlyFee: fee,
                     active: Interval(start: start, end: end), tiers: spans)
    }

    /// A date means local midnight; as an end (`endOfDay`) it is the last day, so the next local midnight.
    func instant(_ node: ConfigNode, endOfDay: Bool) throws -> Millis {
        let text = try node.string()
        if let date = CivilDate(iso: Substring(text)) {
            return zone.startOfDay(endOfDay ? date.adding(days: 1) : date)
        }
        return try node.timestamp()
    }

    func unique(_ ids: [String], in node: ConfigNode?, what: String) throws -> Set<String> {
        var seen = Set<String>()
        for (i, id) in ids.enumerated() where !seen.insert(id).inserted {
            throw ((try? node?.list()[i]) ?? node)!.error("duplicate \(what) id \"\(id)\"")
        }
        return seen
    }
}
