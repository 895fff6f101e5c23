import ArgumentParser
import Diagnosis
import Foundation
import Report

/// `diagnose assemble RUN --out REPORT`: the report of a plan whose tasks are all done.
struct AssembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assemble",
        abstract: "Write the report of a plan once every task is done (or name the tasks that are not).",
        discussion: """
            The report is the one `diagnose run` writes with the plan's options, report.json identical but for \
            timings_seconds (here summed over the tasks). --force replaces only an earlier report or an empty folder.
            """)

    @Argument(help: "The run folder (holding plan.json).") var runFolder: String
    @Option(help: "Report folder (default: the plan's, RUN/report unless planned otherwise).") var out: String?
    @Flag(help: "Replace the report folder if it exists.") var force = false

    func run() throws {
        let (result, folder) = try PlanAssembly.assemble(URL(fileURLWithPath: runFolder).standardizedFileURL,
                                                         out: out.map { URL(fileURLWithPath: $0) }, force: force)
        print(ReportWriter.summary(result, reportPath: folder.appendingPathComponent(ReportWriter.htmlFile).path))
    }
}
