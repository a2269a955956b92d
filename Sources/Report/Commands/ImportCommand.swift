import Ingest
import Pipeline
import ArgumentParser
import Calc
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import exports into the database named by the configuration.",
        subcommands: [ImportStatusCommand.self, MetricsImportCommand.self]
    )
}

struct ImportStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Import status-history exports (each file whole or not at all).",
        discussion: """
            Formats: csv; prometheus-json (a query_range response of a 0/1 series such as probe_success); \
            uptime-kuma (Uptime Kuma's kuma.db); statuspage (a Statuspage incidents.json or scheduled-maintenances.json). auto detects the format \
            from the content. Files already imported (same SHA-256) are skipped; samples identical to stored ones are dropped.
            """
    )

    @Argument(help: "Export files to import.")
    var files: [String]

    @Option(help: "The export format (auto detects it from the content).")
    var format: FormatChoice<StatusFormat> = .auto

    @Flag(help: "Overwrite stored samples that this file contradicts, and record that in the import log.")
    var replace = false

    @Option(help: ArgumentHelp("Import only samples at or after this time (RFC 3339).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Import only samples before this time (RFC 3339).", valueName: "time"))
    var until: String?

    @Option(name: .customLong("service-label"), help: ArgumentHelp(
        "prometheus-json: the label naming a series' service; repeat for an order of preference (default: service, job, instance).",
        valueName: "name"))
    var serviceLabels: [String] = []

    @OptionGroup var options: ConfigOptions

    func validate() throws {
        _ = try importOptions()
    }

    /// The time range and service labels, checked.
    func importOptions() throws -> StatusImportOptions {
        var result = StatusImportOptions()
        func time(_ text: String?, _ flag: String) throws -> Millis? {
            guard let text else { return nil }
            do { return try Timestamp.parse(Substring(text)) } catch { throw ValidationError("\(flag): \(error.reason)") }
        }
        result.range = StatusTimeRange(since: try time(since, "--since"), until: try time(until, "--until"))
        if let since = result.range.since, let until = result.range.until, until <= since {
            throw ValidationError("--until must be later than --since")
        }
        if !serviceLabels.isEmpty {
            guard format.takesServiceLabels else {
                throw ValidationError("--service-label applies to --format prometheus-json (or auto) only")
            }
            for label in serviceLabels where !PrometheusLabel.isValidName(label) {
                throw ValidationError("--service-label: not a Prometheus label name: \"\(label)\"")
            }
            result.serviceLabels = serviceLabels
        }
        return result
    }

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            let plan = ImportPlan(paths: files, format: .status(format), options: try importOptions(), replace: replace,
                                  config: config)
            try Importer.intoStore(of: config, context: .process()).importFiles(plan)
        }
    }
}

/// `--format auto|csv|prometheus-json|…`: parsed once into the format choice the importer takes.
extension FormatChoice: ExpressibleByArgument {}
