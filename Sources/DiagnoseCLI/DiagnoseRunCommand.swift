import ArgumentParser
import Diagnosis
import Foundation
import Report

/// `diagnose --expert E --layers a,b,c`: the invariance report, end to end (the default command).
struct DiagnoseRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Diagnose what layers of a frozen expert ignore, and write the invariance report.",
        discussion: """
            Extracts (or reuses cached) features and autoencoder codes, trains (or reuses) a cINN and an MLP \
            per layer plus an unconditional flow, samples, measures and writes report.md, report.html, \
            report.json, table.tex and the figures to --out. `run` is the default: `diagnose --expert deeplab` \
            is the same as `diagnose run --expert deeplab`. Probes and weights come from $DIAGNOSE_HOME \
            (see `diagnose --help`). --force replaces only an earlier report (a folder holding report.json) \
            or an empty folder.
            """)

    @OptionGroup var arguments: RunArguments
    @Option(help: "Report folder.") var out = "report"
    @Flag(help: "Replace the report folder if it exists.") var force = false

    func run() throws {
        let o = try arguments.options(out: URL(fileURLWithPath: out), force: force, defaultCache: URL(fileURLWithPath: ".cache/diagnose"))
        let (result, folder) = try DiagnosisPipeline.run(o)
        print(ReportWriter.summary(result, reportPath: folder.appendingPathComponent(ReportWriter.htmlFile).path))
    }
}
