import Ingest
import Pipeline
import ArgumentParser

@main
struct SLAReport: ParsableCommand {
    static let tool = ReportJob.tool

    static let configuration = CommandConfiguration(
        commandName: "slareport",
        abstract: "Deterministic SLA compliance reports from monitoring exports.",
        version: tool.version,
        subcommands: [ImportCommand.self, PullCommand.self, ReportCommand.self, RunCommand.self, VerifyCommand.self, CheckCommand.self]
    )
}
