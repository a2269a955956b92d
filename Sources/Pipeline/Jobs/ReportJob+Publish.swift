import Ingest
import Storage
import Calc
import Foundation
import Render

extension ReportJob {
    /// Computes and renders the period's report and publishes it into the config's output directory:
    /// the first report is created; an identical one writes nothing; a different one is written beside the
    /// latest version as `<period>.rN` with a `RESTATEMENT.md` listing every changed figure.
    ///
    /// Which files are compared is decided by the latest version, not by the formats asked for (SPEC §10.3): the
    /// report is rendered in the formats asked for and in those the latest version holds, and when every file of the
    /// latest version comes out the same, the figures are the same and nothing is written, whatever formats were
    /// asked for (`ReportDirectory.sameFigures`). When a figure differs, the new version holds both sets of formats.
    package func publishReport(period: PeriodSpec, formats: [ReportRenderer.Format]?, asOf: Millis?) throws -> ReportDirectory.Publication {
        let report = try compute(period: period, asOf: asOf)
        let label = report.period.label
        let asked = formats ?? config.formats
        let base = config.outputDirectory(period: label)
        let latest = ReportDirectory.versions(of: base).last
        let latestFiles = try latest.map { try ReportDirectory.read($0.url) } ?? [:]
        let held = Set(latestFiles.keys.compactMap(VerifyJob.format(of:)))
        let files = try render(report, formats: asked + ReportRenderer.Format.allCases.filter { held.contains($0) && !asked.contains($0) })
        let current = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
        let outcome = try ReportDirectory.publish(files, at: base, latest: latest.map { ($0.url, latestFiles) }) {
            previous, previousFiles, target in
            Restatement.notice(period: label,
                               previous: .init(name: previous.lastPathComponent, files: previousFiles),
                               current: .init(name: target.lastPathComponent, files: current))
        }
        switch outcome {
        case let .created(url):
            log("wrote \(files.count) files for \(label) to \(url.path)")
        case let .unchanged(url):
            let missing = asked.filter { !held.contains($0) }
            log("\(label): unchanged; \(url.path) already holds this report (nothing written)"
                + (missing.isEmpty ? "" : "; it has no \(missing.map(\.rawValue).joined(separator: ", ")) files, and the same "
                   + "figures make no new version (write other formats with report --out DIR)"))
        case let .restated(url, previous):
            log("\(label): the report differs from \(previous.path); wrote the restatement \(url.path) "
                + "(see its \(ReportDirectory.restatementName); the earlier report is kept)")
        }
        return outcome
    }
}
