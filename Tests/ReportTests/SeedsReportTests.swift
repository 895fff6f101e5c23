import Foundation
import XCTest
@testable import Report

/// A result of `--seeds K` (K > 1) in every format: mean ± sd where report.json has a spread over
/// seeds, the sd's numbers those of report.json, and the LaTeX with ± compiles.
final class SeedsReportTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try SyntheticResult.temporaryDirectory() }
    override func tearDownWithError() throws { if let directory { try? FileManager.default.removeItem(at: directory) } }

    private func text(_ name: String, in folder: URL? = nil) throws -> String {
        try String(contentsOf: (folder ?? directory).appendingPathComponent(name), encoding: .utf8)
    }

    /// The seeded result as written and read back from report.json.
    private func writeSeeded(to folder: URL, expert: String = "deeplab") throws -> DiagnosisResult {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ReportWriter.write(SyntheticResult.withSeeds(SyntheticResult.make(expert: expert)), to: folder)
        return try ReportJSON.decode(Data(contentsOf: folder.appendingPathComponent("report.json")))
    }

    func testEveryFormatPrintsMeanAndSDOfReportJSON() throws {
        let r = try writeSeeded(to: directory)
        XCTAssertEqual(r.seeds, 3)
        XCTAssertEqual(r.translatorSeeds, [7, 8, 9])
        let markdown = try text("report.md"), html = try text("report.html"), latex = try text("table.tex")
        let svg = try text("heatmap.svg"), tikz = try text("heatmap.tex"), bits = try text("bits.tex")
        let terminal = ReportWriter.summary(r, reportPath: nil)
        for l in r.layers {
            let sd = try XCTUnwrap(l.overSeeds?.sd)
            let label = ReportFacts.label(l)
            let bitsCell = ReportFormat.bits(l.bitsKept) + " ± " + ReportFormat.bits(sd.bitsKept)
            XCTAssertTrue(markdown.contains(bitsCell), bitsCell)
            XCTAssertTrue(html.contains(bitsCell), bitsCell)
            XCTAssertTrue(latex.contains(ReportFormat.bits(l.bitsKept) + " $\\pm$ " + ReportFormat.bits(sd.bitsKept)), bitsCell)
            let nll = ReportFormat.nll(l.nllConditionalNatsPerDim) + " ± " + ReportFormat.nll(sd.nllConditionalNatsPerDim)
            XCTAssertTrue(markdown.contains(nll), nll)
            let calibration = ReportFormat.calibration(l.calibration) + " $\\pm$ " + ReportFormat.calibration(sd.calibration)
            XCTAssertTrue(latex.contains(calibration), calibration)
            XCTAssertTrue(terminal.contains(ReportFormat.bits(sd.bitsKept)), terminal)
            // Bits: the sd bar's exact value in bits.tex.
            XCTAssertTrue(bits.contains("% sd \(BitsPlotTikZ.exact(sd.bitsKept)) over seeds: \(label)"), label)
            for (c, f) in ReportFacts(r).factors.enumerated() {
                let score = try XCTUnwrap(l.invariance[f]), s = try XCTUnwrap(sd.invariance[f])
                XCTAssertTrue(markdown.contains(ReportFormat.score(score) + " ± " + ReportFormat.score(s)), "\(label) \(f)")
                XCTAssertTrue(latex.contains(ReportFormat.score(score) + " $\\pm$ " + ReportFormat.score(s)), "\(label) \(f)")
                XCTAssertTrue(svg.contains("data-sd-row=\"\(label)\" data-sd-factor=\"\(f)\">sd \(ReportFormat.score(s))</text>"), "\(label) \(f)")
                let row = r.layers.firstIndex { $0.name == l.name }!
                let cell = try NSRegularExpression(pattern: "^\\\\diagnosecellsd\\{\(c)\\}\\{\(row)\\}\\{[^}]*\\}\\{[^}]*\\}\\{([^}]*)\\}\\{([^}]*)\\}",
                                                   options: .anchorsMatchLines)
                let m = try XCTUnwrap(cell.firstMatch(in: tikz, range: NSRange(tikz.startIndex..., in: tikz)), "\(label) \(f)")
                XCTAssertEqual(String(tikz[Range(m.range(at: 1), in: tikz)!]), ReportFormat.score(score))
                XCTAssertEqual(String(tikz[Range(m.range(at: 2), in: tikz)!]), ReportFormat.score(s))
            }
        }
        // The ceiling's spread, and what ± means.
        let ceilingSD = try XCTUnwrap(r.overSeeds?.sd.invarianceCeiling?["class"])
        XCTAssertTrue(markdown.contains(ReportFormat.score(r.invarianceCeiling!["class"]!) + " ± " + ReportFormat.score(ceilingSD)))
        XCTAssertTrue(markdown.contains("mean ± standard deviation over 3 translator seeds (7, 8, 9)"))
        XCTAssertTrue(latex.contains("Mean $\\pm$ standard deviation over 3 translator seeds"))
        XCTAssertTrue(bits.contains("\\addlegendentry{$\\pm$1 sd (seeds)}"))
        XCTAssertTrue(terminal.contains("3 translator seeds"))
        XCTAssertLessThanOrEqual(terminal.split(separator: "\n").count, TerminalSummary.maxLines)
    }

    /// table.tex, heatmap.tex and bits.tex with ± compile alone and in one article.
    func testSeededLaTeXCompilesWithPdflatex() throws {
        _ = try PDFLaTeX.executable()
        _ = try writeSeeded(to: directory)
        try PDFLaTeX.writePaper(in: directory)
        for file in PDFLaTeX.reportFiles {
            let (status, log) = try PDFLaTeX.compile(file, in: directory)
            XCTAssertEqual(status, 0, "\(file): pdflatex failed:\n\(log)")
        }
    }

    /// `diagnose compare` on a 3-seed and a single-seed run: ± sd where a run has it, K in the run
    /// table, and the LaTeX compiles.
    func testComparisonShowsEachRunsSD() throws {
        let seeded = directory.appendingPathComponent("deeplab"), single = directory.appendingPathComponent("resnet")
        let a = try writeSeeded(to: seeded)
        try FileManager.default.createDirectory(at: single, withIntermediateDirectories: true)
        try ReportWriter.write(SyntheticResult.make(expert: "resnet"), to: single)
        let out = directory.appendingPathComponent("cmp")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try ComparisonWriter.write(try Comparison.load(paths: [seeded.path, single.path]), to: out)
        let markdown = try text("comparison.md", in: out), latex = try text("table.tex", in: out)
        XCTAssertTrue(markdown.contains("7 (K = 3)"))
        for l in a.layers {
            let sd = try XCTUnwrap(l.overSeeds?.sd)
            XCTAssertTrue(markdown.contains(ReportFormat.bits(l.bitsKept) + " ± " + ReportFormat.bits(sd.bitsKept)))
            XCTAssertTrue(latex.contains(ReportFormat.nll(l.nllConditionalNatsPerDim) + " $\\pm$ " + ReportFormat.nll(sd.nllConditionalNatsPerDim)))
            XCTAssertTrue(latex.contains(ReportFormat.score(l.invariance["hue"]!) + " $\\pm$ " + ReportFormat.score(sd.invariance["hue"]!)))
        }
        XCTAssertTrue(try text("heatmap.svg", in: out).contains("data-sd-row="))
        XCTAssertTrue(try text("bits.tex", in: out).contains("over seeds"))
        if (try? PDFLaTeX.executable()) != nil {
            for file in ["table-standalone.tex", "heatmap-standalone.tex", "bits-standalone.tex"] {
                let (status, log) = try PDFLaTeX.compile(file, in: out)
                XCTAssertEqual(status, 0, "\(file): pdflatex failed:\n\(log)")
            }
        }
    }
}
