import Ingest
import Storage
import Calc
import Foundation
import Render

extension ReportJob {
    /// Computes and renders the period's report and publishes it into the config's output directory:
    /// the first report is created; an identical one writes nothing; a different one is written beside the
    /// latest version as `<period>.rN` with a `RESTATEMENT.md` listing every changed figure.
    package func publishReport(period: PeriodSpec, formats: [ReportRenderer.Format]?, asOf: Millis?) throws -> ReportDirectory.Publication {
        let report = try compute(period: period, asOf: asOf)
        let label = report.period.label
        let files = try render(report, formats: formats ?? config.formats)
        let base = config.outputDirectory(period: label)
        let current = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
        let outcome = try ReportDirectory.publish(files, at: base) { previous, previousFiles, target in
            Restatement.notice(period: label,
                               previous: .init(name: previous.lastPathComponent, files: previousFiles),
                               current: .init(name: target.lastPathComponent, files: current))
        }
        switch outcome {
        case let .created(url):
            log("wrote \(files.count) files for \(label) to \(url.path)")
        case let .unchanged(url):
            log("\(label): unchanged; \(url.path) already holds this report (nothing written)")
        case let .restated(url, previous):
            log("\(label): the report differs from \(previous.path); wrote the restatement \(url.path) "
                + "(see its \(ReportDirectory.restatementName); the earlier report is kept)")
        }
        return outcome
    }
}
