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

    /// The files `write` produces, relative to the report folder, in the order it writes them.
    /// The two figures take their names from `result.figures` (heatmap and bits plot).
    public static func files(for result: DiagnosisResult) -> [String] {
        [jsonFile, markdownFile, htmlFile, latexFile, latexStandaloneFile, result.figures.heatmap, result.figures.bitsPlot]
    }

    /// Writes report.json, report.md, report.html, table.tex, table-standalone.tex and the heat map
    /// and bits plot PNGs into `directory`, which must exist (the contact sheets are already there).
    public static func write(_ result: DiagnosisResult, to directory: URL) throws {
        let dir = directory.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.missingDirectory(path: dir)
        }
        for figure in [result.figures.heatmap, result.figures.bitsPlot] where !isInside(figure) {
            throw ReportError.figurePathOutsideReport(path: figure)
        }

        let outputs = try render(result)
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
        func png(_ image: Image, _ name: String) throws -> [UInt8] {
            do { return try PNG.encode(image.bitmap) } catch {
                throw ReportError.cannotWrite(file: name, directory: "memory", reason: reason(error))
            }
        }
        return [
            (jsonFile, Array(json)),
            (markdownFile, Array(MarkdownRenderer.render(document).utf8)),
            (htmlFile, Array(HTMLRenderer.render(document).utf8)),
            (latexFile, Array(LaTeXTable.render(result).utf8)),
            (latexStandaloneFile, Array(LaTeXTable.standalone(tableFile: latexFile).utf8)),
            (result.figures.heatmap, try png(InvarianceHeatmap(result: result).render(), result.figures.heatmap)),
            (result.figures.bitsPlot, try png(BitsKeptPlot(result: result).render(), result.figures.bitsPlot)),
        ]
    }

    /// A relative path that stays inside the report folder.
    static func isInside(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    private static func reason(_ error: Error) -> String {
        if case let ImagingError.io(_, operation, why) = error { return "\(operation): \(why)" }
        return String(describing: error)
    }
}
