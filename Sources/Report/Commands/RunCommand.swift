import Ingest
import Pipeline
import ArgumentParser
import Calc
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The cron entry: import the config's inputs, then write the period's report.",
        discussion: """
            Takes an exclusive lock beside the database (a concurrent run exits 75 at once), imports every file the \
            config's `inputs` patterns match (files already imported are skipped by SHA-256), then writes the report \
            into the config's output directory. A report that already exists is never changed: identical bytes \
            write nothing; different ones are written beside it as PERIOD.r2, .r3, … with a RESTATEMENT.md. \
            Prints the directory holding the period's report.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("The period to report on (default: last-month).", valueName: "period"),
            transform: ParsedArgument.period)
    var period: PeriodSpec = .lastMonth

    @Option(name: .customLong("as-of"), help: "The reference time (RFC 3339) for last-month/last-quarter and generated_at; default: SOURCE_DATE_EPOCH, else now (generated_at: the period end).",
            transform: ParsedArgument.instant)
    var asOf: Millis?

    @Flag(help: "Refuse to write a report in which a credit line lacks data (min_coverage): exit 65 instead of a warning.")
    var strict = false

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            let directory = try RunJob(config: config, context: .process())
                .run(period: period, asOf: asOf, strict: strict)
            print(directory.path)
        }
    }
}
