import ArgumentParser

struct SLAReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slareport",
        abstract: "Deterministic SLA compliance reports from monitoring exports.",
        version: "0.1.0",
        subcommands: []
    )
}
