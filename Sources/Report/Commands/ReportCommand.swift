import Ingest
import Pipeline
import ArgumentParser
import Calc
import Foundation
import Render

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compute and write the compliance report for a period.",
        discussion: "PERIOD is 2026-10, 2026-Q4, 2026-10-01..2026-10-15, last-month or last-quarter."
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "The period to report on.", transform: ParsedArgument.period)
    var period: PeriodSpec

    @Option(help: "Comma-separated formats (md, csv, json, xlsx); default: the config's output.formats.",
            transform: ParsedArgument.formats)
    var format: [ReportRenderer.Format]?

    @Option(help: "The output directory; default: the config's output.directory with {period} filled in.")
    var out: String?

    @Option(name: .customLong("as-of"), help: "The report's reference time (RFC 3339); default: SOURCE_DATE_EPOCH, else the period end.",
            transform: ParsedArgument.instant)
    var asOf: Millis?

    @Flag(help: "Refuse to write a report in which a credit line lacks data (min_coverage): exit 65 instead of a warning.")
    var strict = false

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            var job = try ReportJob(config: config, context: .process())
            job.strict = strict
            let directory = out.map { URL(fileURLWithPath: $0) }
            let written = try job.writeReport(period: period, formats: format, asOf: asOf, directory: directory)
            print(written.path)
        }
    }
}
