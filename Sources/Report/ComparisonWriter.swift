import Foundation
import Imaging

/// Writes a comparison folder: comparison.md / .html / .json, table.tex (+ standalone), the heat
/// map with a panel per run and the bits plot with a series per run (PNG, SVG, TikZ each), and
/// references.bib. Like `ReportWriter`, every file is rendered first and written atomically.
public enum ComparisonWriter {
    public static let manifestFile = "comparison.json"
    public static let markdownFile = "comparison.md"
    public static let htmlFile = "comparison.html"
    static let figures = Figures(overview: "", heatmap: "heatmap.png", bitsPlot: "bits.png", exemplarTransfer: "")

    public static var files: [String] {
        [manifestFile, markdownFile, htmlFile, ReportWriter.latexFile, ReportWriter.latexStandaloneFile, References.file]
            + FigureFiles(figures.heatmap).all + FigureFiles(figures.bitsPlot).all
    }

    /// Writes the comparison into `directory`, which must exist (the caller stages it).
    public static func write(_ c: Comparison, to directory: URL) throws {
        let dir = directory.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.missingDirectory(path: dir)
        }
        try ReportWriter.writeAll(try render(c), into: dir)
    }

    static func render(_ c: Comparison) throws -> [(String, [UInt8])] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifest: Data
        do { manifest = try encoder.encode(ComparisonManifest(c)) + Data([0x0A]) } catch {
            throw ReportError.encodingFailed(file: manifestFile, reason: String(describing: error))
        }
        let document = ComparisonDocument.make(c, figures: (figures.heatmap, figures.bitsPlot))
        return [
            (manifestFile, Array(manifest)),
            (markdownFile, Array(MarkdownRenderer.render(document).utf8)),
            (htmlFile, Array(HTMLRenderer.render(document).utf8)),
            (ReportWriter.latexFile, Array(ComparisonTable.render(c).utf8)),
            (ReportWriter.latexStandaloneFile, Array(LaTeXTable.standalone(tableFile: ReportWriter.latexFile).utf8)),
            (References.file, Array(References.bibtex.utf8)),
        ] + (try ReportWriter.figureOutputs(heatmap: heatmap(c), bits: bits(c), figures: figures, source: "the runs' report.json"))
    }

    /// One panel per run, same factors and colour scale. A header is starred when the factor's
    /// read-out is weak in any run.
    static func heatmap(_ c: Comparison) -> InvarianceHeatmap {
        let abbreviations = ReportFormat.abbreviations(c.factors)
        let headers = zip(c.factors, abbreviations).map { f, a in
            c.runs.allSatisfy { ReportFacts($0.result).isTrusted(factor: f) } ? a : a + "*"
        }
        return InvarianceHeatmap(
            title: "Invariance per layer and factor: " + c.runs.map(\.name).joined(separator: " vs "),
            factors: c.factors, headers: headers,
            panels: c.runs.map { InvarianceHeatmap.panel($0.result, facts: ReportFacts($0.result), factors: c.factors, title: $0.name) })
    }

    /// One series per run over the shared layer slots.
    static func bits(_ c: Comparison) -> BitsKeptPlot {
        BitsKeptPlot(
            title: "Bits of the image code kept per layer: " + c.runs.map(\.name).joined(separator: " vs "),
            labels: c.slots,
            series: c.runs.map { run in
                BitsKeptPlot.Series(name: run.name, bits: c.slots.map { c.layer(run, slot: $0)?.bitsKept ?? .nan },
                                    standardErrors: c.slots.map { c.layer(run, slot: $0)?.bitsKeptStandardError ?? .nan },
                                    sds: BitsKeptPlot.sds(c.slots.map { c.layer(run, slot: $0) }))
            },
            nll: [])
    }
}
