import ArgumentParser
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import exports into the database named by the configuration.",
        subcommands: [ImportStatusCommand.self]
    )
}

struct ImportStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Import status-history exports (each file whole or not at all).",
        discussion: "Files already imported (same SHA-256) are skipped; samples identical to stored ones are dropped."
    )

    enum FormatChoice: String, ExpressibleByArgument, CaseIterable { case auto, csv }

    @Argument(help: "Export files to import.")
    var files: [String]

    @Option(help: "The export format (auto detects it from the content).")
    var format: FormatChoice = .auto

    @Flag(help: "Overwrite stored samples that this file contradicts, and record that in the import log.")
    var replace = false

    @OptionGroup var options: ConfigOptions

    func run() throws {
        try exitOnFailure {
            let config = try Config.load(path: options.config)
            let store = try Store.opening(config)
            let importer = StatusImporter(config: config, store: store, log: Log.standardError)
            try importer.importFiles(files.map { URL(fileURLWithPath: $0) }, names: files, format: format.rawValue,
                                     replace: replace)
        }
    }
}
