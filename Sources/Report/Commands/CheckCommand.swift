import Ingest
import Pipeline
import ArgumentParser
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and parse every configured input; change nothing.",
        discussion: """
            Reads every file the config's `inputs` patterns match, as `run` would, and looks each row up in the \
            database (read-only, when it exists) for conflicts. Nothing is stored. Exit 0 when all is valid, \
            65 when a file would be rejected, 66 when a named file is missing, 78 when the config is invalid.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            try CheckJob(config: config, context: .process()).run()
        }
    }
}
