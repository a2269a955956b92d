import Ingest
import Storage
import Calc
import Fetch
import Foundation

/// `pull` (SPEC §11): raw samples from Prometheus-compatible servers, chunk by chunk, each response body archived
/// atomically and then imported exactly like a `prometheus-json` export, so the import log, the manifest and `verify`
/// see ordinary input files.
///
/// Each request is an instant query of a range selector, `SELECTOR[6h]` at the chunk's end, which Prometheus, Thanos,
/// Mimir, Cortex and VictoriaMetrics answer with the stored samples, not step-evaluated points. Chunks are aligned
/// to multiples of their length since the epoch and neighbours share their boundary instant (Prometheus 2 selects
/// `[end − 6h, end]`, 3 selects `(end − 6h, end]`): no sample falls between them, and one returned twice is
/// deduplicated by the import.
package struct PullJob {
    package let config: Config
    package let store: Store
    package let context: RunContext
    /// The waits before the second and third try of a request that got no answer or a 5xx.
    package var retryDelaysMs: [Millis] = [500, 1_000]
    package var log: Log { context.log }

    package init(config: Config, store: Store, context: RunContext) {
        self.config = config
        self.store = store
        self.context = context
    }

    /// A pull into the configuration's own database.
    package init(config: Config, context: RunContext) throws {
        self.init(config: config, store: try Store.opening(config), context: context)
    }

    /// What a pull did: chunks fetched (one request each, more when halved) and files imported.
    package struct Summary: Equatable {
        package var requests = 0
        package var archived = 0
        package var skipped = 0
        /// Response bytes received.
        package var bytes = 0
        /// Samples the archived bodies held (rows read by the import).
        package var samples = 0
    }

    /// Pulls every selector of every source over `period` and the look-back its report needs (a counter's previous
    /// sample, `max_sample_gap` of status), importing each chunk as soon as it is archived. Throws 69 when a server
    /// cannot be reached or answers with an error, 78 when it calls a selector bad; chunks archived before the
    /// failure stay archived and imported, and the next pull resumes after them.
    @discardableResult
    package func pull(period spec: PeriodSpec, asOf: Millis?) throws -> Summary {
        guard let sources = config.sources else {
            throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(
                file: config.path, location: .keyPath("sources"), message: "no sources are configured",
                hint: "add sources.prometheus (see the README) or import exports with import status|metrics")])
        }
        let estate = config.estate
        let period = spec.resolve(zone: estate.timezone, fiscalYearStartMonth: estate.fiscalYearStartMonth,
                                  now: context.referenceTime(asOf: asOf))
        let archive = PullArchive(root: sources.archive)
        var summary = Summary()
        let progress = ImportProgress(enabled: context.showsProgress)
        defer { progress.clear() }
        let started = DispatchTime.now().uptimeNanoseconds
        for source in sources.prometheus {
            let headers = try requestHeaders(source)
            let fetcher: HTTPFetcher
            do { fetcher = try HTTPFetcher(caFile: source.caFile?.path, timeoutMs: source.timeoutMs) } catch {
                throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(
                    file: config.path, location: .keyPath("\(source.keyPath).ca_file"),
                    message: "cannot use the CA file: \(error)")])
            }
            defer { fetcher.shutdown() }
            for selector in source.selectors {
                let range = selector.kind == .status
                    ? ComplianceCalculator.sampleRange(period: period, policy: estate.statusPolicy)
                    : ServiceMetrics.sampleRange(period: period)
                let folder = archive.folder(source: source.id, selector: selector.text)
                try importArchived(in: folder, selector: selector)
                let settled = PullArchive.settledRanges(in: folder)
                let chunks = PullArchive.chunks(covering: range, length: source.chunkMs)
                let wanted = chunks.enumerated().filter { !PullArchive.covers(settled, $0.element) }
                summary.skipped += chunks.count - wanted.count
                // One request ahead: the server prepares the next chunk while this one is archived and imported.
                var ahead: HTTPFetcher.Pending?
                func start(_ chunk: Interval) -> HTTPFetcher.Pending {
                    summary.requests += 1
                    return fetcher.start(Self.queryURL(source, selector: selector.text, range: chunk), headers: headers,
                                         timeoutMs: source.timeoutMs)
                }
                for (k, (number, chunk)) in wanted.enumerated() {
                    let first = ahead ?? start(chunk)
                    ahead = k + 1 < wanted.count ? start(wanted[k + 1].element) : nil
                    let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
                    progress.note("\(source.id) \(selector.text): chunk \(number + 1) of \(chunks.count), "
                                  + "\(ImportProgress.megabytes(summary.bytes)) MB and \(summary.samples) samples so far, "
                                  + "\(ImportProgress.megabytes(summary.bytes * 1000 / max(elapsed, 1))) MB/s, "
                                  + "\(summary.samples * 1000 / max(elapsed, 1)) samples/s")
                    for piece in try fetch(chunk, selector: selector, source: source, fetcher: fetcher,
                                           headers: headers, summary: &summary, first: first) {
                        summary.bytes += piece.body.count
                        progress.clear()
                        summary.samples += try archiveAndImport(piece.body, range: piece.range, folder: folder,
                                                                selector: selector, source: source)
                        summary.archived += 1
                    }
                }
            }
        }
        progress.clear()
        log("pull: \(summary.requests) request\(summary.requests == 1 ? "" : "s"), \(summary.archived) chunk file"
            + "\(summary.archived == 1 ? "" : "s") archived, \(summary.skipped) settled chunk"
            + "\(summary.skipped == 1 ? "" : "s") already archived")
        return summary
    }

    // MARK: - Requests

    /// The source's headers, and the Authorization its token or password file makes. The secret is read here and
    /// goes nowhere but the request: no message, log line, archive file or manifest holds it.
    func requestHeaders(_ source: PrometheusSource) throws -> [(String, String)] {
        var headers = source.headers
        func secret(_ url: URL, key: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(
                    file: config.path, location: .keyPath("\(source.keyPath).\(key)"),
                    message: "cannot read \(url.path)", hint: "check that the file exists and is readable")])
            }
            var text = String(decoding: data, as: UTF8.self)
            while text.last == "\n" || text.last == "\r" { text.removeLast() }
            guard !text.isEmpty, !text.utf8.contains(where: { $0 < 32 || $0 == 127 }) else {
                throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(
                    file: config.path, location: .keyPath("\(source.keyPath).\(key)"),
                    message: "\(url.path) must hold one line of printable text")])
            }
            return text
        }
        if let file = source.bearerTokenFile {
            headers.append(("Authorization", "Bearer " + (try secret(file, key: "bearer_token_file"))))
        }
        if let basic = source.basicAuth {
            let password = try secret(basic.passwordFile, key: "basic_auth.password_file")
            headers.append(("Authorization", "Basic " + Data("\(basic.username):\(password)".utf8).base64EncodedString()))
        }
        return headers
    }

    /// `SELECTOR[21600000ms]` at `range.end`, as the query URL.
    static func queryURL(_ source: PrometheusSource, selector: String, range: Interval) -> String {
        let query = "\(selector)[\(range.duration)ms]"
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query
        return "\(source.url)/api/v1/query?query=\(encoded)&time=\(Timestamp.format(range.end))"
    }

    /// The range's response bodies: one, or more when the server found it too large and it was halved. `first`: the
    /// range's request, already sent.
    func fetch(_ range: Interval, selector: PrometheusSource.Selector, source: PrometheusSource, fetcher: HTTPFetcher,
               headers: [(String, String)], summary: inout Summary,
               first: HTTPFetcher.Pending? = nil) throws -> [(range: Interval, body: [UInt8])] {
        let url = Self.queryURL(source, selector: selector.text, range: range)
        let response = try request(url, source: source, fetcher: fetcher, headers: headers, summary: &summary, first: first)
        if response.status == 200 { return [(range, response.body)] }
        let error = Self.serverError(response.body)
        if Self.isTooLarge(error), range.duration >= 2 * Calc.Duration.second {
            let middle = range.start + range.duration / 2
            log("\(source.id): the server found \(Timestamp.format(range.start)) to \(Timestamp.format(range.end)) too "
                + "large for one request (\(error)); asking for each half")
            return try fetch(Interval(start: range.start, end: middle), selector: selector, source: source,
                             fetcher: fetcher, headers: headers, summary: &summary)
                + fetch(Interval(start: middle, end: range.end), selector: selector, source: source,
                        fetcher: fetcher, headers: headers, summary: &summary)
        }
        if response.status == 400 || response.status == 422 {
            throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(
                file: config.path, location: .keyPath(selector.keyPath),
                message: "source \(source.id) refused the query \(url) (HTTP \(response.status)): \(error)",
                hint: "fix the selector; nothing from this chunk was stored")])
        }
        throw CommandFailure(Self.unavailable, diagnostics: [Diagnostic(
            file: Diagnostic.program, message: "source \(source.id) answered \(url) with HTTP \(response.status): \(error)",
            hint: "check the server; nothing from this chunk was stored, and the next pull or run resumes here")])
    }

    /// Exit 69: the service is unavailable (sysexits' `EX_UNAVAILABLE`).
    package static let unavailable: Int32 = 69

    /// GETs `url` (the first try may be `first`, already sent), trying again after `retryDelaysMs` when there is no
    /// answer or a 5xx; 69 after the last try.
    func request(_ url: String, source: PrometheusSource, fetcher: HTTPFetcher, headers: [(String, String)],
                 summary: inout Summary, first: HTTPFetcher.Pending? = nil) throws -> HTTPResponse {
        var problem = ""
        for attempt in 0...retryDelaysMs.count {
            if attempt > 0 { usleep(useconds_t(retryDelaysMs[attempt - 1] * 1000)) }
            do {
                let response: HTTPResponse
                if attempt == 0, let first {
                    response = try first.wait()
                } else {
                    summary.requests += 1
                    response = try fetcher.get(url, headers: headers, timeoutMs: source.timeoutMs)
                }
                guard (500...599).contains(response.status) else { return response }
                problem = "HTTP \(response.status): \(Self.serverError(response.body))"
            } catch let error as HTTPUnreachable {
                problem = error.description
            }
        }
        throw CommandFailure(Self.unavailable, diagnostics: [Diagnostic(
            file: Diagnostic.program,
            message: "source \(source.id) (\(url)): \(problem), after \(retryDelaysMs.count + 1) tries",
            hint: "check that the server is up and reachable; nothing from this chunk was stored, and the next pull or "
                + "run resumes here")])
    }

    /// The `error` text of a Prometheus API error body (`{"status":"error","errorType":…,"error":…}`), else the body's
    /// first line; at most 300 characters, control characters dropped.
    static func serverError(_ body: [UInt8]) -> String {
        var text: String
        if let object = try? JSONSerialization.jsonObject(with: Data(body.prefix(1 << 16))) as? [String: Any],
           let error = object["error"] as? String {
            text = error
        } else {
            text = String(decoding: body.prefix(1 << 12), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        }
        text = String(text.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }.map(Character.init))
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text.isEmpty ? "(no error text)" : text
    }

    /// Prometheus's "query processing would load too many samples into memory", Mimir's "exceeded maximum resolution".
    static func isTooLarge(_ error: String) -> Bool {
        let lower = error.lowercased()
        return lower.contains("too many samples") || lower.contains("exceeded maximum resolution")
    }

    // MARK: - Archive and import

    /// Writes one body to the archive and imports it; a body the reader rejects is set aside as `.rejected-…` (so
    /// the next pull asks again) and ends the pull with the reader's message.
    /// Returns the samples the body held.
    @discardableResult
    func archiveAndImport(_ body: [UInt8], range: Interval, folder: URL, selector: PrometheusSource.Selector,
                          source: PrometheusSource) throws -> Int {
        let sha = SHA256.hex(of: Data(body))
        let settled = range.end <= context.now - source.settleMs
        let url = folder.appendingPathComponent(settled ? PullArchive.settledName(range)
                                                         : PullArchive.unsettledName(range, sha256: sha))
        try PullArchive.write(body, to: url)
        let outcome = try Importer(config: config, sink: store, log: log, showsProgress: context.showsProgress, now: context.now)
            .importEach(ImportPlan(files: [file(url, selector: selector)]))
        guard let rejected = outcome.rejected.first else { return outcome.summaries.reduce(0) { $0 + $1.rows } }
        let aside = folder.appendingPathComponent(url.lastPathComponent.replacingOccurrences(of: ".json", with: ".rejected-\(sha.prefix(16)).json"))
        _ = rename(url.path, aside.path)
        throw CommandFailure(ExitStatus.dataError, diagnostics: [Diagnostic(
            file: Diagnostic.program, message: "source \(source.id) sent a response the prometheus-json reader rejects "
                + "(\(rejected.message))",
            hint: "it is kept as \(config.recordedPath(of: aside)); nothing from it was stored, and the next pull asks again")])
    }

    /// Imports archived bodies the import log does not know yet: a pull stopped between writing a file and importing
    /// it leaves one.
    func importArchived(in folder: URL, selector: PrometheusSource.Selector) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") && !$0.contains(".rejected-") }.sorted()
        guard !names.isEmpty else { return }
        let known = Set(try store.importedFiles().map(\.path))
        let files = names.map { folder.appendingPathComponent($0) }
            .filter { !known.contains(config.recordedPath(of: $0)) }
            .map { file($0, selector: selector) }
        guard !files.isEmpty else { return }
        let outcome = try Importer(config: config, sink: store, log: log, showsProgress: context.showsProgress, now: context.now)
            .importEach(ImportPlan(files: files))
        if let rejection = outcome.rejection(consequence: "nothing from them was stored") {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [rejection])
        }
    }

    /// An archived body as an import-plan file: `prometheus-json` of the selector's kind, with its service labels.
    func file(_ url: URL, selector: PrometheusSource.Selector) -> ImportPlan.File {
        var options = StatusImportOptions()
        if let labels = selector.serviceLabels { options.serviceLabels = labels }
        let format: InputFormatChoice = selector.kind == .status ? .status(.explicit(.prometheusJSON))
                                                                 : .metrics(.explicit(.prometheusJSON))
        return ImportPlan.File(url: url, name: config.recordedPath(of: url), recordedPath: config.recordedPath(of: url),
                               format: format, options: options)
    }
}
