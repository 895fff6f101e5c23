import FileSupport
import Foundation
import Imaging

/// Writes the report folder of a diagnosis run and the terminal summary.
///
/// Every file is rendered in memory first, then written atomically (temporary file + rename), so a
/// failure never leaves a half-written file; files this call created before the failure are removed
/// again, so the folder holds either the whole new report or none of its new files.
public enum ReportWriter {
    public static let jsonFile = "report.json"
    public static let markdownFile = "report.md"
    public static let htmlFile = "report.html"
    public static let latexFile = "table.tex"
    public static let latexStandaloneFile = "table-standalone.tex"

    public static let referencesFile = References.file

    /// The files `write` produces, relative to the report folder, in the order it writes them.
    /// The two figures take their names from `result.figures` (heatmap and bits plot); each is
    /// also written as SVG and as TikZ source with a standalone wrapper (`FigureFiles`).
    public static func files(for result: DiagnosisResult) -> [String] {
        [jsonFile, markdownFile, htmlFile, latexFile, latexStandaloneFile, referencesFile]
            + FigureFiles(result.figures.heatmap).all + FigureFiles(result.figures.bitsPlot).all
            + (hasVariation(result) ? FigureFiles(VariationPlot.file).all : [])
    }

    /// Whether the run measured where its samples vary (results written before it did not).
    static func hasVariation(_ result: DiagnosisResult) -> Bool { result.layers.contains { $0.variation != nil } }

    /// Writes report.json, report.md, report.html, table.tex, table-standalone.tex, references.bib
    /// and the heat map and bits plot (PNG, SVG, TikZ) into `directory`, which must exist (the
    /// contact sheets are already there).
    public static func write(_ result: DiagnosisResult, to directory: URL) throws {
        let dir = directory.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.missingDirectory(path: dir)
        }
        for figure in [result.figures.heatmap, result.figures.bitsPlot] where !isInside(figure) {
            throw ReportError.figurePathOutsideReport(path: figure)
        }

        try writeAll(try render(result), into: dir)
    }

    /// Writes `image` as the PNG `name` (a path inside `directory`, whose folders are made).
    public static func writePNG(_ image: Image, to directory: URL, named name: String) throws {
        try writeAll([(name, try png(image, name))], into: directory.standardizedFileURL.path)
    }

    /// Writes `outputs` into the existing folder `dir`, each atomically; on a failure removes the
    /// files this call created and throws `cannotWrite` naming the file.
    static func writeAll(_ outputs: [(String, [UInt8])], into dir: String) throws {
        var created: [String] = []
        for (name, bytes) in outputs {
            let path = dir + "/" + name
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                let parent = (path as NSString).deletingLastPathComponent
                if !FileManager.default.fileExists(atPath: parent) {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                }
                try AtomicFile.write(bytes, to: path)
            } catch {
                for done in created { try? FileManager.default.removeItem(atPath: done) }
                throw ReportError.cannotWrite(file: name, directory: dir, reason: reason(error))
            }
            if !existed { created.append(path) }
        }
    }

    /// The one-screen summary (≤ 25 lines × 100 columns) of the main numbers per layer, the most
    /// telling invariance scores, the report path and the warnings.
    public static func summary(_ result: DiagnosisResult, reportPath: String? = nil) -> String {
        TerminalSummary.render(result, reportPath: reportPath)
    }

    /// All report files as bytes, in writing order.
    static func render(_ result: DiagnosisResult) throws -> [(String, [UInt8])] {
        let json: Data
        do {
            json = try ReportJSON.encode(result)
        } catch {
            throw ReportError.encodingFailed(file: jsonFile, reason: String(describing: error))
        }
        let document = ReportDocument(result)
        return [
            (jsonFile, Array(json)),
            (markdownFile, Array(MarkdownRenderer.render(document).utf8)),
            (htmlFile, Array(HTMLRenderer.render(document).utf8)),
            (latexFile, Array(LaTeXTable.render(result).utf8)),
            (latexStandaloneFile, Array(LaTeXTable.standalone(tableFile: latexFile).utf8)),
            (referencesFile, Array(References.bibtex.utf8)),
        ]
            + (try figureOutputs(heatmap: InvarianceHeatmap(result: result), bits: BitsKeptPlot(result: result),
                                 figures: result.figures, source: jsonFile))
            + (try variationOutputs(result))
    }

    /// The variation plot as PNG, SVG, pgfplots and its standalone wrapper, where the run measured the variation.
    static func variationOutputs(_ result: DiagnosisResult) throws -> [(String, [UInt8])] {
        guard hasVariation(result) else { return [] }
        let plot = VariationPlot(result: result), files = FigureFiles(VariationPlot.file)
        return [(files.png, try png(plot.render(), files.png)), (files.svg, Array(plot.svg().utf8)),
                (files.tikz, Array(VariationPlotTikZ.render(plot, source: jsonFile).utf8)),
                (files.standalone, Array(TeXStandalone.figure(inputFile: files.tikz).utf8))]
    }

    /// Both figures in every format: PNG, SVG, TikZ and the TikZ's standalone wrapper.
    static func figureOutputs(heatmap: InvarianceHeatmap, bits: BitsKeptPlot, figures: Figures, source: String) throws -> [(String, [UInt8])] {
        let h = FigureFiles(figures.heatmap), b = FigureFiles(figures.bitsPlot)
        return [
            (h.png, try png(heatmap.render(), h.png)),
            (h.svg, Array(heatmap.svg().utf8)),
            (h.tikz, Array(HeatmapTikZ.render(heatmap, source: source).utf8)),
            (h.standalone, Array(TeXStandalone.figure(inputFile: h.tikz).utf8)),
            (b.png, try png(bits.render(), b.png)),
            (b.svg, Array(bits.svg().utf8)),
            (b.tikz, Array(BitsPlotTikZ.render(bits, source: source).utf8)),
            (b.standalone, Array(TeXStandalone.figure(inputFile: b.tikz).utf8)),
        ]
    }

    static func png(_ image: Image, _ name: String) throws -> [UInt8] {
        do { return try PNG.encode(image.bitmap) } catch {
            throw ReportError.cannotWrite(file: name, directory: "memory", reason: reason(error))
        }
    }

    /// A relative path that stays inside the report folder.
    static func isInside(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    private static func reason(_ error: Error) -> String {
        if let error = error as? FileError { return "\(error.operation): \(error.reason)" }
        return String(describing: error)
    }
}
