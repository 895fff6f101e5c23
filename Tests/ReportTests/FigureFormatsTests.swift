import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Report

/// The figures in every format (PNG, SVG, TikZ) show the numbers of report.json, and the LaTeX
/// compiles. The expected numbers are read back from report.json with JSONSerialization, not
/// taken from the result the writer was given.
final class FigureFormatsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try SyntheticResult.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// report.json's layers as (row label, invariance, bits kept, standard error), its factor
    /// order (the read-outs') and its ceiling.
    private func reportJSON() throws -> (layers: [(label: String, invariance: [String: Any], bits: Double, se: Double?)],
                                         factors: [String], ceiling: [String: Double]?) {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json")))
            as? [String: Any])
        let layers = try XCTUnwrap(root["layers"] as? [[String: Any]]).map { l -> (String, [String: Any], Double, Double?) in
            let name = l["name"] as? String ?? "", alias = l["alias"] as? String
            return (alias.map { $0.isEmpty || $0 == name ? name : $0 } ?? name, l["invariance"] as? [String: Any] ?? [:],
                    l["bits_kept"] as? Double ?? .nan, l["bits_kept_standard_error"] as? Double)
        }
        let factors = try XCTUnwrap(root["readouts"] as? [[String: Any]]).compactMap { $0["factor"] as? String }
        return (layers, factors, root["invariance_ceiling"] as? [String: Double])
    }

    /// A JSON number, or NaN for the strings report.json writes for failed measurements.
    private func number(_ value: Any?) -> Double {
        (value as? Double) ?? .nan
    }

    private func printed(_ value: Double, decimals: Int) -> String {
        value.isFinite ? String(format: "%.\(decimals)f", value).replacingOccurrences(of: "-0.00", with: "0.00") : "n/a"
    }

    private func writeSynthetic() throws -> DiagnosisResult {
        var result = SyntheticResult.make()
        result.invarianceCeiling = ["class": 0.98, "hue": 1.02, "value": 0.95, "offset_x": 0.25, "background_kind": 0.97, "background_hue": 1.0]
        result.layers[0].bitsKeptStandardError = 0.42
        result.layers[1].bitsKeptStandardError = 1.3
        result.layers[1].invariance["hue"] = .nan
        try ReportWriter.write(result, to: directory)
        return result
    }

    func testEveryFigureIsWrittenInEveryFormat() throws {
        let result = try writeSynthetic()
        for name in ["heatmap.png", "heatmap.svg", "heatmap.tex", "heatmap-standalone.tex",
                     "bits.png", "bits.svg", "bits.tex", "bits-standalone.tex", "references.bib"] {
            XCTAssertTrue(ReportWriter.files(for: result).contains(name), name)
            let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int
            XCTAssertGreaterThan(size ?? 0, 200, name)
        }
        // The SVGs are well-formed XML with their text as text, not pictures of it.
        for name in ["heatmap.svg", "bits.svg"] {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let parser = XMLParser(data: data)
            XCTAssertTrue(parser.parse(), "\(name): \(String(describing: parser.parserError))")
            let svg = try text(name)
            XCTAssertTrue(svg.contains("<text "), name)
            XCTAssertFalse(svg.contains("<image"), name)
        }
        // The HTML page shows the SVGs; the Markdown keeps the PNGs.
        let html = try text("report.html")
        XCTAssertTrue(html.contains("<img src=\"heatmap.svg\""))
        XCTAssertTrue(html.contains("<img src=\"bits.svg\""))
        XCTAssertTrue(try text("report.md").contains("(heatmap.png)"))
        // The pipeline's sheets too (it writes their SVGs: `SheetFigure`).
        XCTAssertTrue(html.contains("<img src=\"\(FigureFiles(result.figures.overview).svg)\""))
        XCTAssertTrue(html.contains("<img src=\"\(FigureFiles(result.layers[0].contactSheet).svg)\""))
        XCTAssertTrue(try text("report.md").contains("(\(result.figures.overview))"))
    }

    func testHeatmapNumbersInSVGAndTikZEqualReportJSON() throws {
        _ = try writeSynthetic()
        let json = try reportJSON()
        var expected: [String: String] = [:]  // "row|factor" → printed score
        for l in json.layers {
            for f in json.factors { expected["\(l.label)|\(f)"] = printed(number(l.invariance[f]), decimals: 2) }
        }
        let ceiling = try XCTUnwrap(json.ceiling)
        for f in json.factors { expected["ceiling|\(f)"] = printed(ceiling[f] ?? .nan, decimals: 2) }
        XCTAssertEqual(expected["mid|hue"], "n/a", "the NaN must stay missing in every format")

        // SVG: each score is a <text> tagged with its row and factor.
        let svg = try text("heatmap.svg")
        let cell = try NSRegularExpression(pattern: "<text [^>]*data-row=\"([^\"]*)\" data-factor=\"([^\"]*)\"[^>]*>([^<]*)</text>")
        var svgCells: [String: String] = [:]
        for m in cell.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)) {
            let g = (1...3).map { String(svg[Range(m.range(at: $0), in: svg)!]) }
            svgCells["\(g[0])|\(g[1])"] = g[2]
        }
        XCTAssertEqual(svgCells, expected)

        // TikZ: \diagnosecell{column}{row}{fill}{ink}{score}, columns in read-out order, rows in layer order.
        let tikz = try text("heatmap.tex")
        let tcell = try NSRegularExpression(pattern: "^\\\\diagnosecell\\{(\\d+)\\}\\{(\\d+)\\}\\{[^}]*\\}\\{[^}]*\\}\\{([^}]*)\\}",
                                            options: .anchorsMatchLines)
        let rows = json.layers.map(\.label) + ["ceiling"]
        var tikzCells: [String: String] = [:]
        for m in tcell.matches(in: tikz, range: NSRange(tikz.startIndex..., in: tikz)) {
            let g = (1...3).map { String(tikz[Range(m.range(at: $0), in: tikz)!]) }
            let key = "\(rows[Int(g[1])!])|\(json.factors[Int(g[0])!])"
            tikzCells[key] = g[2] == "--" ? "n/a" : g[2]
        }
        XCTAssertEqual(tikzCells, expected)
    }

    func testBitsNumbersInSVGAndTikZEqualReportJSON() throws {
        _ = try writeSynthetic()
        let json = try reportJSON()
        let svg = try text("bits.svg")
        for l in json.layers {
            XCTAssertTrue(svg.contains("data-layer=\"\(l.label)\">\(printed(l.bits, decimals: 1))</text>"), l.label)
        }
        // pgfplots rows "x bits se label": the exact value, its standard error (0 = none) and the printed value.
        let tikz = try text("bits.tex")
        let row = try NSRegularExpression(pattern: "^  (\\d+) (\\S+) (\\S+) (\\S+) \\\\\\\\", options: .anchorsMatchLines)
        let matches = row.matches(in: tikz, range: NSRange(tikz.startIndex..., in: tikz)).map { m in
            (1...4).map { String(tikz[Range(m.range(at: $0), in: tikz)!]) }
        }
        XCTAssertEqual(matches.count, json.layers.count)
        for (g, l) in zip(matches, json.layers) {
            XCTAssertEqual(Double(g[1]), l.bits, l.label)
            XCTAssertEqual(Double(g[2]), l.se ?? 0, l.label)
            XCTAssertEqual(g[3], printed(l.bits, decimals: 1), l.label)
        }
    }

    /// table.tex, heatmap.tex and bits.tex compile on their own (the standalone wrappers) and
    /// together in one article, as a paper would \input them; names carry LaTeX's special characters.
    func testGeneratedLaTeXCompilesWithPdflatex() throws {
        _ = try PDFLaTeX.executable()
        var result = SyntheticResult.make(layerNames: ["layer_1", "50%_block#2", "aspp_out"],
                                          factorNames: ["class", "hue", "value", "offset_x", "background_kind", "a&b~c^d"])
        result.layers[0].alias = "early_{x}"
        result.layers[1].bitsKeptStandardError = 2.5
        try ReportWriter.write(result, to: directory)
        try PDFLaTeX.writePaper(in: directory)
        for file in PDFLaTeX.reportFiles {
            let (status, log) = try PDFLaTeX.compile(file, in: directory)
            XCTAssertEqual(status, 0, "\(file): pdflatex failed:\n\(log)")
            let pdf = directory.appendingPathComponent(String(file.dropLast(4)) + ".pdf")
            let bytes = try Data(contentsOf: pdf)
            XCTAssertEqual(Array(bytes.prefix(5)), Array("%PDF-".utf8), file)
            XCTAssertFalse(log.contains("Overfull \\hbox"), "\(file): \(log)")
        }
    }
}
