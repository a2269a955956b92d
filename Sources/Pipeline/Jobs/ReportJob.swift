import Ingest
import Storage
import Calc
import Foundation
import Render

/// Computes a period's report from the store and writes it atomically into its directory.
package struct ReportJob {
    package let config: Config
    package let store: Store
    /// What comes from the process: the clock, SOURCE_DATE_EPOCH, the temporary folder, the installed templates.
    package let context: RunContext
    package var log: Log { context.log }

    /// `--strict`: a report with a credit line short of data (§10.1) is refused (exit 65) instead of written.
    package var strict = false

    package static let tool = ToolInfo(name: "slareport", version: "0.1.0")

    /// Computes the report (no file is written).
    package func compute(period spec: PeriodSpec, asOf: Millis?) throws -> ComplianceReport {
        let estate = config.estate
        let period = spec.resolve(zone: estate.timezone, fiscalYearStartMonth: estate.fiscalYearStartMonth,
                                  now: context.referenceTime(asOf: asOf))
        let generatedAt = asOf ?? context.sourceDateEpoch ?? period.interval.end
        guard try store.hasStatusSamples(in: period.interval) else {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [Diagnostic(
                file: Diagnostic.program, message: "no status data for \(period.label)",
                hint: "import or pull first (nothing was written)")])
        }
        let previousFreeze = try previousFreeze(before: period)
        let report = try computing(period) { () throws in
            // Service by service: only one service's samples and timeline are in memory at a time.
            var builder = ComplianceReportBuilder(estate: estate, period: period, generatedAt: generatedAt,
                                                  previousFreeze: previousFreeze)
            for id in builder.serviceIDs {
                let (timeline, metrics) = try serviceData(of: id, period: period)
                try builder.add(service: id, timeline: timeline, metrics: metrics)
            }
            return try builder.report()
        }
        try settle(report)
        return report
    }

    /// §10.1: one warning on stderr per credit line that earned no credit for want of data; with `strict`, the
    /// same lines as errors and exit 65, before anything is written.
    func settle(_ report: ComplianceReport) throws {
        let unsettled = report.credits.filter { $0.creditStatus == .insufficientData }
        guard !unsettled.isEmpty else { return }
        let floor = report.statusPolicy.minCoverage.formatted(places: 4)
        let diagnostics = unsettled.map { line in
            let found = line.coverage.map { "coverage is \($0.formatted(places: 4)) %" } ?? "nothing was measured"
            return Diagnostic(
                severity: strict ? .error : .warning, file: Diagnostic.program, location: .file,
                message: "lease \(line.lease), \(line.month) from \(Timestamp.format(line.segment.start)) to \(Timestamp.format(line.segment.end)) "
                    + "on \(line.service): \(found), below min_coverage \(floor) %, so no credit was computed "
                    + "(credit_status insufficient_data)",
                hint: "import the missing data for \(line.service) and report again"
                    + (strict ? "; nothing was written (--strict)" : ""))
        }
        if strict { throw CommandFailure(ExitStatus.dataError, diagnostics: diagnostics) }
        for diagnostic in diagnostics { log(diagnostic.description) }
    }

    /// Runs `body`, turning an arithmetic overflow into the data error that names the period.
    private func computing<T>(_ period: Period, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ArithmeticOverflowError {
            throw CommandFailure(ExitStatus.dataError, diagnostics: [Diagnostic(file: Diagnostic.program, message: "\(error)",
                                                                               hint: "a figure of \(error.period ?? period.label) is too large to compute exactly")])
        }
    }

    /// One service's timeline and selected metric series for `period` (nil for an id that is not a configured
    /// service: it has no samples to load), over the ranges Calc says the period needs.
    func serviceData(of id: String, period: Period) throws -> (timeline: Timeline?, metrics: ServiceMetrics?) {
        let estate = config.estate
        guard let service = estate.services.first(where: { $0.id == id }) else { return (nil, nil) }
        let range = ComplianceCalculator.sampleRange(period: period, policy: estate.statusPolicy)
        let series = try store.statusSeries(service: service.statusSeries, from: range.start, to: range.end)
        let timeline = ComplianceCalculator.timeline(of: service.id, estate: estate, period: period, series: series)
        guard !service.metrics.isEmpty else { return (timeline, nil) }
        let metricRange = ServiceMetrics.sampleRange(period: period)
        var selected: [ServiceMetrics.Role: [MetricSeries]] = [:]
        for (role, selector) in service.metrics {
            selected[role] = try store.metricSeries(matching: selector, from: metricRange.start, to: metricRange.end)
        }
        return (timeline, ServiceMetrics(requests: selected[.requests] ?? [], errors: selected[.errors] ?? [],
                                         latency: selected[.latency] ?? []))
    }

    /// The deploy-freeze flags of the period before `period` (`ServiceBudgets.previousFreeze` replays the chain;
    /// this supplies each service's data, loaded one at a time as the report does).
    func previousFreeze(before period: Period) throws -> [String: Bool] {
        let earliest = try store.earliestSampleTime()
        return try computing(period) { () throws in
            try ServiceBudgets.previousFreeze(estate: config.estate, before: period, earliestSample: earliest) { service, previous in
                let (timeline, metrics) = try serviceData(of: service, period: previous)
                return timeline.map { ServiceData(timeline: $0, metrics: metrics) }
            }
        }
    }

    /// Renders every requested format plus `manifest.json`.
    package func render(_ report: ComplianceReport, formats: [ReportRenderer.Format]) throws -> [RenderedFile] {
        let template = try markdownTemplate()
        var files: [RenderedFile]
        do {
            files = try ReportRenderer.render(report, formats: formats, markdownTemplate: template, tool: Self.tool,
                                              scratchDirectory: context.temporaryDirectory.path)
        } catch {
            throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(file: Diagnostic.program, message: "\(error)")])
        }
        let manifest = Manifest(
            tool: Self.tool, period: report.period.label, asOf: Timestamp.format(report.generatedAt),
            configPath: config.recordedPath(of: URL(fileURLWithPath: config.path)), configSHA256: config.sha256,
            inputs: try store.importedFiles().map {
                Manifest.Input(path: $0.path, sha256: $0.sha256, kind: $0.kind, format: $0.format, rows: $0.rows)
            },
            outputs: files.map { ($0.name, SHA256.hex(of: Data($0.contents))) })
        files.append(manifest.file)
        return files
    }

    /// Computes, renders and writes; returns the directory that holds the report.
    ///
    /// With `directory` (`report --out`) that directory is replaced atomically. Without it the report goes to the
    /// config's output directory, where an existing report is never changed: identical bytes write nothing, and
    /// different ones become a restatement beside it (`publishReport`).
    package func writeReport(period: PeriodSpec, formats: [ReportRenderer.Format]?, asOf: Millis?, directory: URL?) throws -> URL {
        guard let directory else {
            return try publishReport(period: period, formats: formats, asOf: asOf).directory
        }
        let report = try compute(period: period, asOf: asOf)
        let files = try render(report, formats: formats ?? config.formats)
        try ReportDirectory.write(files, to: directory)
        log("wrote \(files.count) files for \(report.period.label) to \(directory.path)")
        return directory
    }

    /// The Markdown template: the config's `templates` folder, else the one installed with the tool.
    package func markdownTemplate() throws -> String {
        let name = "report.md.mustache"
        let candidates: [URL]
        if let folder = config.templatesDirectory {
            candidates = [folder.appendingPathComponent(name)]
        } else {
            candidates = context.templateFolders.map { $0.appendingPathComponent(name) }
        }
        for url in candidates {
            if let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) {
                return text
            }
        }
        throw CommandFailure(ExitStatus.config, diagnostics: [Diagnostic(
            file: config.path, location: .keyPath("templates"),
            message: "no \(name) in \(candidates.map(\.path).joined(separator: " or "))")])
    }

    package init(config: Config, store: Store, context: RunContext) {
        self.config = config
        self.store = store
        self.context = context
    }

    /// A job over the configuration's own database.
    package init(config: Config, context: RunContext) throws {
        self.init(config: config, store: try Store.opening(config), context: context)
    }
}
