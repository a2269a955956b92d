import Ingest
import Pipeline
import ArgumentParser
import Foundation

/// `import metrics`: metric exports into the database (SPEC §4.2).
struct MetricsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Import metric exports (each file whole or not at all).",
        discussion: """
            Formats: prometheus-json (a query_range response of raw counters and histogram buckets); openmetrics \
            (OpenMetrics text with timestamps, ending with # EOF, as promtool tsdb create-blocks-from openmetrics takes \
            it); csv (timestamp,series,value with series written name{label="value",...}). auto detects the format from \
            the content. Files already imported (same SHA-256) are skipped; samples identical to stored ones are dropped.
            """
    )

    @Argument(help: "Export files to import.")
    var files: [String]

    @Option(help: "The export format (auto detects it from the content).")
    var format: FormatChoice<MetricFormat> = .auto

    @Flag(help: "Overwrite stored samples that this file contradicts, and record that in the import log.")
    var replace = false

    @OptionGroup var options: ConfigOptions

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            let plan = ImportPlan(paths: files, format: .metrics(format), replace: replace, config: config)
            try Importer.intoStore(of: config, context: .process()).importFiles(plan)
        }
    }
}
