import Ingest
import Pipeline
import ArgumentParser

/// The option every command that reads a configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SLA configuration (YAML, version 1).", valueName: "sla.yaml"))
    var config: String
}
