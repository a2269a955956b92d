import Ingest
import Pipeline
import ArgumentParser
import Calc

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch raw samples from the config's Prometheus-compatible sources, archive and import them.",
        discussion: """
            For every selector of every source in `sources`, asks the server for the stored samples of the period \
            and the look-back its report needs, a chunk (default 6h) per request. Each response body is written to \
            the archive folder and imported like a prometheus-json export, so reports, manifests and verify treat it \
            as an ordinary input. Chunks that ended before now − settle are final and are not asked for again. Exit 69 \
            when a server cannot be reached or answers with an error; the chunks archived before it are kept and the \
            next pull resumes.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("The period to pull (default: last-month).", valueName: "period"),
            transform: ParsedArgument.period)
    var period: PeriodSpec = .lastMonth

    @Option(name: .customLong("as-of"), help: "The reference time (RFC 3339) for last-month/last-quarter; default: SOURCE_DATE_EPOCH, else now.",
            transform: ParsedArgument.instant)
    var asOf: Millis?

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            let context = RunContext.process()
            try PullJob(config: config, context: context).pull(period: period, asOf: asOf)
        }
    }
}
