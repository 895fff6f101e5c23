import ArgumentParser
import Diagnosis
import Foundation
import Report

/// `diagnose compare A B ... --out DIR`: finished runs side by side in one set of tables and figures.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare finished runs: one table, heat map and bits plot with the runs side by side.",
        discussion: """
            Reads report.json from each run folder (the --out of `diagnose`) and writes comparison.md, \
            comparison.html, table.tex (a column group per run), heatmap.png/.svg/.tex (a panel per run, \
            one colour scale), bits.png/.svg/.tex (a series per run) and references.bib to --out. Runs must \
            be comparable: the same autoencoder (weights hash), the same test scenes (seed and test_scenes) \
            and the same factors; otherwise compare names the two runs and the field that differs. \
            --force replaces only an earlier comparison (a folder holding comparison.json) or an empty folder.
            """)

    @Argument(help: "Two or more report folders of finished runs.") var runs: [String] = []
    @Option(help: "Comparison folder.") var out = "comparison"
    @Flag(help: "Replace the comparison folder if it exists.") var force = false

    func run() throws {
        let (comparison, folder) = try RunComparison.run(runs: runs, output: URL(fileURLWithPath: out), force: force)
        print("compared \(comparison.runs.map(\.name).joined(separator: ", ")) (\(comparison.slots.count) layer slots, "
              + "\(comparison.factors.count) factors)")
        print("report: \(folder.appendingPathComponent(ComparisonWriter.htmlFile).path)")
    }
}
