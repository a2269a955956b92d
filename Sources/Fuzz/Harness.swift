import Foundation
import Ingest
import Pipeline
import Storage

/// What one input did.
enum Outcome {
    /// Imported (or, for the config, loaded).
    case accepted
    /// Refused with a diagnostic, as bad input should be: its message with the particulars taken out, so messages
    /// that differ only in a name, number or place count as one distinct error.
    case rejected(String)
    /// Something that must not happen whatever the input: an error that is not a diagnostic (a database error with no
    /// file or line), or accepted bytes that break a rule of stored data. Saved as a reproducer.
    case finding(String)
}

/// Runs inputs of one target in-process, the way `slareport import` (or `check`, for a config) reads them: through
/// the importer, its readers and a real store. Inputs go through a file because readers read files.
final class Harness {
    /// The wall clock the importer is given, fixed (2027-01-01T00:00:00Z) so every run bounds Statuspage pages alike.
    static let now: Int64 = 1_798_761_600_000

    let target: FuzzTarget
    let work: URL
    let input: URL
    private let configURL: URL
    private var config: Config?
    private var store: Store?
    private var imported = 0
    /// The highest series ids already checked for stored bad bytes.
    private var checkedStatusSeries: Int64 = 0
    private var checkedMetricSeries: Int64 = 0
    let seeds: [[UInt8]]
    let mutator: Mutator
    let seed: UInt64

    /// Imports between two fresh databases: a store that keeps a few hundred files keeps collisions with stored samples
    /// possible (the NUL name met a stored "api") and stays small.
    static let importsPerDatabase = 300

    init(target: FuzzTarget, work: URL, fixtures: URL, seed: UInt64) throws {
        self.target = target
        self.work = work
        self.seed = seed
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        input = work.appendingPathComponent(target.fileName)
        configURL = work.appendingPathComponent(target == .config ? "estate.yaml" : "sla.yaml")
        seeds = target.seeds(fixtures: fixtures)
        var mutator = Mutator()
        mutator.dictionary = target.dictionary
        self.mutator = mutator
        guard !seeds.isEmpty else { throw FuzzError("no seeds for \(target.rawValue) under \(fixtures.path)") }
        if target != .config {
            try Self.estateConfig.write(to: configURL, atomically: true, encoding: .utf8)
            config = try Config.load(path: configURL.path)
        }
    }

    /// The estate inputs are imported into: services whose series the seeds use, so samples are mapped and stored
    /// samples can collide.
    static let estateConfig = """
        version: 1
        timezone: UTC
        database: sla.db
        providers: [{id: p}]
        customers: [{id: c}]
        services:
          - {id: api, provider: p}
          - {id: checkout, provider: p}
          - {id: kuma1, provider: p, status_series: "kuma:1"}
          - {id: cafe, provider: p, status_series: "café"}
        leases: []
        """

    /// Input `index` of the run: a seed chosen and mutated by the input's own generator.
    func generate(_ index: Int) throws -> [UInt8] {
        var rng = SplitMix64.forInput(seed: seed, target: target.rawValue, index: index)
        let base = rng.pick(seeds)
        // One input in sixteen is a seed as it is: the unmutated paths stay covered.
        if rng.oneIn(16) { return base }
        if target == .uptimeKuma { return try KumaMutator.mutate(base, work: work, rng: &rng, bytes: mutator) }
        return mutator.mutate(base, splice: rng.pick(seeds), rng: &rng)
    }

    /// Writes the input where the reader will find it (and where the supervisor copies it from after a crash).
    func write(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: input)
    }

    /// Runs the input last written.
    /// `auto` reads the file as `--format auto` would (format detection fuzzed too), else in the target's format.
    func run(_ bytes: [UInt8], replace: Bool, auto: Bool = false) -> Outcome {
        if target == .config { return runConfig() }
        do {
            let store = try openStore()
            let importer = Importer(config: config!, sink: store, log: Log { _ in }, now: Harness.now)
            let format = auto ? target.format.map { InputFormatChoice(kind: $0.kind, name: "auto")! } ?? target.format! : target.format!
            let file = ImportPlan.File(url: input, name: target.fileName, recordedPath: target.fileName, format: format)
            let summary = try importer.importFile(file, replace: replace)
            imported += 1
            if let problem = try storedProblem(store) { return .finding("stored data breaks a rule: \(problem)") }
            if target.isText, !summary.alreadyImported,
               let bad = bytes.withUnsafeBufferPointer({ CSVReader.firstInvalidUTF8($0.baseAddress!, $0.count) }) {
                return .finding("accepted an input with invalid UTF-8 at byte \(bad)")
            }
            return .accepted
        } catch let diagnostic as Diagnostic {
            imported += 1
            return .rejected(Self.template(diagnostic.message))
        } catch let failure as CommandFailure {
            imported += 1
            return .rejected(Self.template(failure.diagnostics.first?.message ?? "command failure \(failure.exitCode)"))
        } catch {
            imported += 1
            return .finding("\(type(of: error)): \(error)")
        }
    }

    private func runConfig() -> Outcome {
        do {
            _ = try Config.load(path: input.path)
            return .accepted
        } catch let diagnostic as Diagnostic {
            return .rejected(Self.template(diagnostic.message))
        } catch let failure as CommandFailure {
            return .rejected(Self.template(failure.diagnostics.first?.message ?? "command failure \(failure.exitCode)"))
        } catch {
            return .finding("\(type(of: error)): \(error)")
        }
    }

    private func openStore() throws -> Store {
        if let store, imported < Self.importsPerDatabase { return store }
        store = nil
        imported = 0
        checkedStatusSeries = 0
        checkedMetricSeries = 0
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(at: work.appendingPathComponent("sla.db" + suffix))
        }
        let fresh = try Store.opening(config!)
        // A scratch database: no fsync (an import commits on every input, and the disk is not what is tested).
        try fresh.database.execute("PRAGMA synchronous = OFF")
        store = fresh
        return fresh
    }

    /// A stored name that is not valid UTF-8, holds a control character or is not in NFC: what no import may store.
    private func storedProblem(_ store: Store) throws -> String? {
        let db = store.database
        let status = try db.statement("SELECT id, service, region FROM status_series WHERE id > ? ORDER BY id")
        try status.bind(.int(checkedStatusSeries))
        while try status.step() {
            checkedStatusSeries = status.int(0)
            for column in [Int32(1), 2] {
                if let problem = Self.nameProblem(status.bytes(column)) { return "status_series \(status.int(0)): \(problem)" }
            }
        }
        status.reset()
        let metric = try db.statement("SELECT id, name, labels FROM metric_series WHERE id > ? ORDER BY id")
        try metric.bind(.int(checkedMetricSeries))
        while try metric.step() {
            checkedMetricSeries = metric.int(0)
            for column in [Int32(1), 2] {
                if let problem = Self.nameProblem(metric.bytes(column)) { return "metric_series \(metric.int(0)): \(problem)" }
            }
            // Label values are stored escaped (`\x01`): read them back to see what they hold.
            let text = metric.text(1) + metric.text(2)
            guard let key = try? MetricSeriesText.parse(text) else { return "metric_series \(metric.int(0)) unreadable: \(text)" }
            if let problem = key.controlProblem { return "metric_series \(metric.int(0)): \(problem)" }
        }
        metric.reset()
        return nil
    }

    static func nameProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let base = bytes.baseAddress, let bad = CSVReader.firstInvalidUTF8(base, bytes.count) {
            return "invalid UTF-8 at byte \(bad)"
        }
        if let (scalar, _) = NameText.firstControl(bytes) { return "control character U+\(String(scalar, radix: 16))" }
        let text = String(decoding: bytes, as: UTF8.self)
        if !NameText.canonical(text).utf8.elementsEqual(text.utf8) { return "not in NFC: \(MessageText.quoted(text))" }
        return nil
    }

    /// A message with its particulars replaced: quoted text by `"…"`, numbers by `N`, on one line.
    static func template(_ message: String) -> String {
        // One line (Yams quotes the offending line of the file after a line break), then bytes and code points
        // (0xE9, U+0085), so their hex digits do not split into several templates.
        let message = String(message.prefix { $0 != "\n" }).replacingOccurrences(of: "(0x|U\\+)[0-9A-Fa-f]+", with: "$1H", options: .regularExpression)
        var out = ""
        var inQuote = false
        var escaped = false
        var lastWasDigit = false
        for ch in message.unicodeScalars {
            if inQuote {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inQuote = false; out += "…\"" }
                continue
            }
            if ch == "\"" {
                inQuote = true
                out += "\""
                lastWasDigit = false
                continue
            }
            if ("0"..."9").contains(ch) {
                if !lastWasDigit { out += "N" }
                lastWasDigit = true
                continue
            }
            lastWasDigit = false
            out.unicodeScalars.append(ch == "\n" || ch == "\r" || ch == "\t" ? " " : ch)
        }
        return String(out.prefix(200))
    }
}

struct FuzzError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
