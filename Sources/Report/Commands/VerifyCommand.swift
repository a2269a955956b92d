import Ingest
import Pipeline
import ArgumentParser
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the report in DIR from its manifest.json and compare every file.",
        discussion: """
            Checks every recorded input's SHA-256, re-imports the inputs into a temporary database, recomputes the \
            report for the recorded period and as_of into a temporary directory and compares each output byte for \
            byte. Differences are printed on stdout (the file, and for CSV/JSON the first differing row or key). \
            The config is --config, else the manifest's config.path found in DIR's parent folders. \
            Exit 0 when everything matches, 65 on any difference, 66 when the manifest, config or an input is missing.
            """
    )

    @Argument(help: ArgumentHelp("The report directory (holding manifest.json).", valueName: "DIR"))
    var directory: String

    @Option(name: .long, help: ArgumentHelp("The configuration; default: the manifest's config.path in a folder above DIR.", valueName: "sla.yaml"))
    var config: String?

    func run() throws {
        try exitOnFailure {
            try VerifyJob(directory: URL(fileURLWithPath: directory), configPath: config, context: .process(),
                          print: { Swift.print($0) }).run()
        }
    }
}
