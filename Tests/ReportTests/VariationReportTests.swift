import Foundation
import XCTest
@testable import Report

/// The variation numbers (`LayerResult.variation`) in every format: report.json, the Markdown and
/// HTML table, table.tex's column group (compiled with pdflatex where it is installed). The last
/// layer has no label maps, so its ratio is missing, printed as n/a and --, never made up.
final class VariationReportTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try SyntheticResult.temporaryDirectory() }
    override func tearDownWithError() throws { if let directory { try? FileManager.default.removeItem(at: directory) } }

    private func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func result() -> DiagnosisResult {
        var r = SyntheticResult.make()
        r.invarianceCeiling = Dictionary(uniqueKeysWithValues: SyntheticResult.factors.map { ($0, 1.0) })
        let means = [(1.23, 0.04), (12.34, 0.56), (31.0, 1.5)], ratios: [(Double, Double)?] = [(1.05, 0.02), (2.57, 0.13), nil]
        for i in r.layers.indices {
            let e = { (m: Double, s: Double) in MeanWithError(mean: m, standardError: s) }
            r.layers[i].variation = VariationResult(
                meanDeltaE: e(means[i].0, means[i].1), objectToBackground: ratios[i].map { e($0.0, $0.1) },
                objectDeltaE: ratios[i].map { _ in e(2 * means[i].0, 0.1) }, backgroundDeltaE: ratios[i].map { _ in e(means[i].0 / 2, 0.1) },
                outlineDeltaE: ratios[i].map { _ in e(means[i].0, 0.2) }, inputs: 200, samples: 8,
                map: "variation-\(r.layers[i].name).png")
        }
        return r
    }

    func testEveryFormatHoldsTheVariation() throws {
        let result = Self.result()
        try ReportWriter.write(result, to: directory)
        let back = try ReportJSON.decode(Data(contentsOf: directory.appendingPathComponent("report.json")))
        XCTAssertEqual(back.layers.map(\.variation), result.layers.map(\.variation))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json"))) as! [String: Any]
        let first = try XCTUnwrap(((json["layers"] as? [[String: Any]])?.first?["variation"]) as? [String: Any])
        XCTAssertEqual((first["mean_delta_e"] as? [String: Double])?["standard_error"], 0.04)
        XCTAssertEqual((first["object_to_background"] as? [String: Double])?["mean"], 1.05)
        XCTAssertEqual(first["map"] as? String, "variation-layer1.png")

        let markdown = try text("report.md"), html = try text("report.html"), latex = try text("table.tex")
        XCTAssertTrue(markdown.contains("## Where the samples vary"))
        XCTAssertTrue(markdown.contains("| mid | 12.3 ± 0.56 | 2.57 ± 0.13 |"), markdown)
        XCTAssertTrue(markdown.contains("| last | 31.0 ± 1.50 | n/a |"), markdown)
        XCTAssertTrue(markdown.contains("(variation-layer3.png)") && markdown.contains("(variation.png)"))
        XCTAssertEqual(ReportWriter.files(for: result).suffix(4), ["variation.png", "variation.svg", "variation.tex", "variation-standalone.tex"])
        let tikz = try text("variation.tex")
        let svg = try text("variation.svg")
        for l in result.layers {
            let label = ReportFacts.label(l), value = ReportFormat.deltaE(l.variation!.meanDeltaE.mean)
            XCTAssertTrue(svg.contains("data-layer=\"\(label)\">\(value)</text>"), "\(label) \(value)")
            // pgfplots gets report.json's exact value and standard error.
            let e = l.variation!.meanDeltaE
            XCTAssertTrue(tikz.contains(" \(BitsPlotTikZ.exact(e.mean)) \(BitsPlotTikZ.exact(e.standardError)) \(value) \\\\"), label)
        }
        XCTAssertTrue(html.contains("12.3 ± 0.56") && html.contains("variation-layer3.svg"))
        XCTAssertTrue(latex.contains("\\multicolumn{2}{c}{variation}"))
        let rows = latex.components(separatedBy: "\n")
        XCTAssertTrue(try XCTUnwrap(rows.first { $0.hasPrefix("layer3 (mid)") }).hasSuffix("& 12.3 $\\pm$ 0.56 & 2.57 $\\pm$ 0.13 \\\\"))
        XCTAssertTrue(try XCTUnwrap(rows.first { $0.hasPrefix("aspp\\_out (last)") }).hasSuffix("& 31.0 $\\pm$ 1.50 & -- \\\\"))
        XCTAssertTrue(try XCTUnwrap(rows.first { $0.hasPrefix("ceiling") }).hasSuffix("&  &  \\\\"))
    }

    func testTheTableAndThePlotWithVariationCompile() throws {
        _ = try PDFLaTeX.executable()
        try ReportWriter.write(Self.result(), to: directory)
        for file in ["table-standalone.tex", "variation-standalone.tex"] {
            let (status, log) = try PDFLaTeX.compile(file, in: directory)
            XCTAssertEqual(status, 0, "pdflatex failed on \(file):\n\(log)")
        }
    }
}
