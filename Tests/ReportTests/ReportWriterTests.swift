import Foundation
import Imaging
import XCTest
@testable import Report

final class ReportWriterTests: XCTestCase {
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

    func testWritesEveryFile() throws {
        let result = SyntheticResult.make()
        try ReportWriter.write(result, to: directory)
        let expected = ["report.json", "report.md", "report.html", "table.tex", "table-standalone.tex", "references.bib",
                        "heatmap.png", "heatmap.svg", "heatmap.tex", "heatmap-standalone.tex",
                        "bits.png", "bits.svg", "bits.tex", "bits-standalone.tex"]
        XCTAssertEqual(ReportWriter.files(for: result), expected)
        for name in expected {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            XCTAssertGreaterThan((attributes[.size] as? Int) ?? 0, 100, name)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testJSONHoldsEveryRequiredKeyWithTheInputValues() throws {
        let result = SyntheticResult.make()
        try ReportWriter.write(result, to: directory)
        let data = try Data(contentsOf: directory.appendingPathComponent("report.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["expert", "seed", "unconditional_nll_nats_per_dim", "frechet_reconstruction", "timings_seconds", "layers"] {
            XCTAssertNotNil(root[key], key)
        }
        XCTAssertEqual(root["expert"] as? String, "deeplab")
        XCTAssertEqual((root["seed"] as? NSNumber)?.uint64Value, 7)
        XCTAssertEqual(root["unconditional_nll_nats_per_dim"] as? Double, 1.702)
        XCTAssertEqual(root["frechet_reconstruction"] as? Double, 4.3)
        // Dictionary keys are data (stage, setting and factor names), not Swift property names.
        let timings = try XCTUnwrap(root["timings_seconds"] as? [String: Double])
        XCTAssertEqual(timings, result.timingsSeconds)
        XCTAssertEqual(root["configuration"] as? [String: String], result.configuration)

        let layers = try XCTUnwrap(root["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, result.layers.count)
        for (json, layer) in zip(layers, result.layers) {
            XCTAssertEqual(json["name"] as? String, layer.name)
            XCTAssertEqual(json["nll_conditional_nats_per_dim"] as? Double, layer.nllConditionalNatsPerDim)
            XCTAssertEqual(json["bits_kept"] as? Double, layer.bitsKept)
            XCTAssertEqual(json["invariance"] as? [String: Double], layer.invariance)
            XCTAssertEqual(json["frechet_cinn"] as? Double, layer.frechetCinn)
            if layer.frechetMlp.isNaN {
                XCTAssertEqual(json["frechet_mlp"] as? String, ReportJSON.nan)
            } else {
                XCTAssertEqual(json["frechet_mlp"] as? Double, layer.frechetMlp)
            }
            XCTAssertEqual(json["diversity_cinn"] as? Double, layer.diversityCinn)
            XCTAssertEqual(json["diversity_mlp"] as? Double, layer.diversityMlp)
            XCTAssertEqual(json["calibration"] as? Double, layer.calibration)
        }
    }

    func testNonFiniteNumbersEncodeAsStrings() throws {
        var result = SyntheticResult.make()
        result.unconditionalNllNatsPerDim = .infinity
        result.layers[0].bitsKept = -.infinity
        result.layers[1].calibration = .nan
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: ReportJSON.encode(result)) as? [String: Any])
        XCTAssertEqual(root["unconditional_nll_nats_per_dim"] as? String, "Infinity")
        let layers = try XCTUnwrap(root["layers"] as? [[String: Any]])
        XCTAssertEqual(layers[0]["bits_kept"] as? String, "-Infinity")
        XCTAssertEqual(layers[1]["calibration"] as? String, "NaN")
    }

    func testMarkdownHoldsTheMainTableWithFormattedNumbers() throws {
        var result = SyntheticResult.make()
        result.layers[0].bitsKeptStandardError = 0.42
        try ReportWriter.write(result, to: directory)
        let md = try text("report.md")
        let lines = md.components(separatedBy: "\n")
        let header = "| layer | alias | shape | NLL (nats/dim) | bits kept | Fréchet cINN | Fréchet MLP | diversity cINN | calibration | self-calibration |"
        let start = try XCTUnwrap(lines.firstIndex(of: header), "main table header missing")
        XCTAssertEqual(lines[start + 1], "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        let rows = lines[(start + 2)...].prefix { $0.hasPrefix("|") }
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.first, "| layer1 | early | 64x16x16 | 0.412 | 79.2 ± 0.42 | 8.7 | 9.1 | 0.081 | 0.84 | 0.97 |")
        XCTAssertEqual(rows.last, "| aspp_out | last | 11x32x32 | 1.655 | 3.1 | 27.6 | n/a | 0.356 | 1.52 | 1.10 |")
        XCTAssertTrue(md.hasPrefix("# "))
        XCTAssertTrue(md.contains("![Invariance scores"))
        XCTAssertTrue(md.contains("(heatmap.png)"))
        XCTAssertTrue(md.contains("(sheet-layer3.png)"))
        XCTAssertTrue(md.contains("not of Inception"))
        // Every mention of FID says that this is not it.
        XCTAssertEqual(md.components(separatedBy: "FID").count, md.components(separatedBy: "not FID").count)
        // The summary is generated from the numbers.
        XCTAssertTrue(md.contains("early keeps 79.2 bits"))
        XCTAssertTrue(md.contains("background\\_hue (0.93)") || md.contains("background_hue (0.93)"))
        XCTAssertTrue(md.contains("9f3c2a01b7e4d5c6"))
        XCTAssertTrue(md.contains("calibration of mid is 2.41"))
    }

    func testHTMLEscapesNamesAndIsSelfContained() throws {
        let result = SyntheticResult.make(expert: "seg<&>net", layerNames: ["block<1>&2", "layer3", "aspp_out"],
                                          factorNames: ["class", "hue<x>", "value", "offset_x", "background_kind", "bg&fg"])
        try ReportWriter.write(result, to: directory)
        let html = try text("report.html")
        XCTAssertTrue(html.contains("seg&lt;&amp;&gt;net"))
        XCTAssertTrue(html.contains("<td>block&lt;1&gt;&amp;2</td>"))
        XCTAssertTrue(html.contains("hue&lt;x&gt;"))
        XCTAssertTrue(html.contains("bg&amp;fg"))
        XCTAssertFalse(html.contains("block<1>"))
        XCTAssertFalse(html.contains("seg<&>"))
        XCTAssertFalse(html.lowercased().contains("<script src"), "no external script")
        XCTAssertEqual(html.components(separatedBy: "<script>").count, 2, "one inline script")
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("<link"))
        XCTAssertTrue(html.contains("<img src=\"heatmap.svg\""))
        XCTAssertEqual(html.components(separatedBy: "<table>").count - 1, html.components(separatedBy: "</table>").count - 1)
        // Markdown escapes the same names instead of letting them through as raw HTML.
        let md = try text("report.md")
        XCTAssertTrue(md.contains("block\\<1\\>\\&2"))
    }

    func testLaTeXTableEscapesAndHasOneRowPerLayer() throws {
        try ReportWriter.write(SyntheticResult.make(), to: directory)
        let tex = try text("table.tex")
        for rule in ["\\toprule", "\\midrule", "\\bottomrule"] { XCTAssertTrue(tex.contains(rule), rule) }
        XCTAssertTrue(tex.contains("aspp\\_out"))
        XCTAssertTrue(tex.contains("bg\\_hue"))
        XCTAssertTrue(tex.contains("background\\_hue"))
        // No unescaped underscore anywhere outside math.
        for line in tex.components(separatedBy: "\n") where !line.hasPrefix("%") {
            // Math mode ($\log_2 10$) may use subscripts.
            let text = line.components(separatedBy: "$").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
            let chars = Array(text)
            for (i, c) in chars.enumerated() where c == "_" {
                XCTAssertEqual(i > 0 ? chars[i - 1] : " ", "\\", "unescaped _ in: \(line)")
            }
        }
        let body = try XCTUnwrap(tex.components(separatedBy: "\\midrule").last?.components(separatedBy: "\\bottomrule").first)
        let rows = body.components(separatedBy: "\n").filter { $0.hasSuffix("\\\\") }
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows[0].hasPrefix("layer1 (early) & 79.2 & 0.412 & 8.7 & 9.1 & 0.84 & 0.02 & 0.05"))
        XCTAssertTrue(rows[2].contains("& -- &"), "NaN must print as a dash")
        let standalone = try text("table-standalone.tex")
        XCTAssertTrue(standalone.contains("\\usepackage{booktabs}"))
        XCTAssertTrue(standalone.contains("\\input{table}"))
    }

    func testLaTeXTableCompilesWithPdflatex() throws {
        _ = try PDFLaTeX.executable()
        let result = SyntheticResult.make(layerNames: ["layer_1", "50%_block#2", "aspp_out"],
                                          factorNames: ["class", "hue", "value", "offset_x", "background_kind", "a&b~c^d"])
        try ReportWriter.write(result, to: directory)
        let (status, log) = try PDFLaTeX.compile("table-standalone.tex", in: directory)
        XCTAssertEqual(status, 0, "pdflatex failed:\n\(log)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("table-standalone.pdf").path))
    }

    func testHeatmapSizeFollowsRowsAndColumnsAndColoursFollowScores() throws {
        func map(rows: Int, columns: Int) -> InvarianceHeatmap {
            let factors = (0..<columns).map { "f\($0)" }
            let scores = (0..<rows).map { r in (0..<columns).map { c in Double((r + c) % 2) } }
            return InvarianceHeatmap(title: "t", rowLabels: (0..<rows).map { "layer\($0)" }, factors: factors,
                                     headers: factors, scores: scores)
        }
        let base = map(rows: 3, columns: 6)
        let image = base.render()
        XCTAssertEqual(image.width, base.gridLeft + max(6 * base.cellWidth, 360) + base.margin)
        XCTAssertEqual(image.height, base.height)
        XCTAssertEqual(map(rows: 3, columns: 7).render().width, image.width + base.cellWidth)
        XCTAssertEqual(map(rows: 4, columns: 6).render().height, image.height + base.cellHeight)

        // Score 0 at (0, 0), score 1 at (0, 1): the ignored cell is the brighter end of the ramp.
        let kept = base.cellRect(row: 0, column: 0), ignored = base.cellRect(row: 0, column: 1)
        let keptColor = image[kept.x + 2, kept.y + 2], ignoredColor = image[ignored.x + 2, ignored.y + 2]
        XCTAssertEqual(keptColor, HeatColorMap.viridisLike.color(0))
        XCTAssertEqual(ignoredColor, HeatColorMap.viridisLike.color(1))
        XCTAssertGreaterThan(Image.luminance(ignoredColor), Image.luminance(keptColor) + 100)

        // The written figure has the size of its 3 layers x 6 factors layout.
        let result = SyntheticResult.make()
        try ReportWriter.write(result, to: directory)
        let written = try PNG.read(path: directory.appendingPathComponent("heatmap.png").path)
        let layout = InvarianceHeatmap(result: result)
        XCTAssertEqual(written.width, layout.width)
        XCTAssertEqual(written.height, layout.height)
        XCTAssertEqual(layout.factors.count, 6)
        XCTAssertEqual(layout.rowLabels, ["early", "mid", "last"])
        // In the real figure, the last layer's background_hue (0.93) is brighter than its class (0.00).
        let png = Image(bitmap: written)
        let cls = layout.cellRect(row: 2, column: 0), bgHue = layout.cellRect(row: 2, column: 5)
        XCTAssertGreaterThan(Image.luminance(png[bgHue.x + 2, bgHue.y + 2]), Image.luminance(png[cls.x + 2, cls.y + 2]))
    }

    /// The ceiling (scores of unconditional samples) is a row of every table and the heat map, and
    /// lowers the "ignores" threshold of a factor it bounds: 0.6 × 0.25 = 0.15 for offset_x here.
    func testInvarianceCeilingRowThresholdAndNote() throws {
        XCTAssertEqual(ReportFacts.ignoresThreshold(ceiling: nil), 0.6)
        XCTAssertEqual(ReportFacts.ignoresThreshold(ceiling: 1.3), 0.6)
        XCTAssertEqual(ReportFacts.ignoresThreshold(ceiling: 0.25), 0.15, accuracy: 1e-12)

        var result = SyntheticResult.make()
        result.invarianceCeiling = ["class": 0.98, "hue": 1.02, "value": 0.95, "offset_x": 0.25,
                                    "background_kind": 0.97, "background_hue": 1.0]
        // The last layer's offset_x (0.12) is below 0.15: not reported as ignored even so.
        result.layers[2].invariance["offset_x"] = 0.19
        try ReportWriter.write(result, to: directory)

        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json"))) as? [String: Any])
        XCTAssertEqual(root["invariance_ceiling"] as? [String: Double], result.invarianceCeiling)

        let markdown = try text("report.md")
        XCTAssertTrue(markdown.contains("| ceiling (unconditional) | 0.98 | 1.02 | 0.95 | 0.25 | 0.97 | 1.00 |"), markdown)
        XCTAssertTrue(markdown.contains("vary offset_x (0.25) much less than the data do"))
        // 0.19 ≥ 0.15 but ≤ 0.2 (kept): a score is never read as both.
        let facts = ReportFacts(result)
        XCTAssertFalse(facts.layerFindings()[2].contains("ignores offset_x"))
        XCTAssertEqual(facts.boundedFactors().map(\.factor), ["offset_x"])

        let tex = try text("table.tex")
        let ceilingRow = try XCTUnwrap(tex.components(separatedBy: "\n").first { $0.hasPrefix("ceiling") })
        XCTAssertEqual(ceilingRow, "ceiling (unconditional) &  &  &  &  &  & 0.98 & 1.02 & 0.95 & 0.25 & 0.97 & 1.00 \\\\")

        let layout = InvarianceHeatmap(result: result)
        XCTAssertEqual(layout.rowLabels, ["early", "mid", "last", "ceiling"])
        XCTAssertEqual(layout.scores[3][3], 0.25)
        XCTAssertTrue(TerminalSummary.render(result, reportPath: nil).contains("ceiling"))
    }

    /// The findings read a categorical factor as kept up to 0.2 above its read-out's floor, as the
    /// validity check does: with a class floor of 0.27, the mid layer's 0.41 is kept, not ignored.
    func testFindingsHoldKeptToTheReadoutFloor() {
        var result = SyntheticResult.make()
        result.layers[1].invariance["class"] = 0.41
        XCTAssertFalse(ReportFacts(result).layerFindings()[1].contains("class (0.41)"))
        result.readouts[0].floor = 0.27
        let mid = ReportFacts(result).layerFindings()[1]
        XCTAssertTrue(mid.contains("determines offset_x (0.06), class (0.41)"), mid)
        XCTAssertEqual(ReportFacts(result).keepsThreshold("class"), 0.47, accuracy: 1e-12)
        XCTAssertEqual(ReportFacts(result).keepsThreshold("hue"), 0.2)
    }

    func testBitsPlotDrawsBarsToScaleAndTheClassOnlyLine() throws {
        let plot = BitsKeptPlot(result: SyntheticResult.make())
        let image = plot.render()
        XCTAssertGreaterThanOrEqual(plot.yMax, 79.24)
        // The dashed reference line is on the row of log2(10) at the plot's left end.
        XCTAssertEqual(image[plot.plotLeft + 2, plot.y(log2(10)) - 1], FigureStyle.reference)
        // Bar tops: the bar colour starts at the row of each value.
        for (i, bits) in plot.bits.enumerated() {
            let cx = plot.plotLeft + i * plot.slotWidth + plot.slotWidth / 2
            XCTAssertEqual(image[cx, plot.y(bits) + 1], FigureStyle.bar, "bar \(i)")
            XCTAssertEqual(image[cx, plot.y(bits) - 3], FigureStyle.background, "above bar \(i)")
        }
    }

    func testFailedWriteNamesTheFileAndLeavesNoPartialFiles() throws {
        // A directory where table.tex should go: the rename onto it fails, even for root.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("table.tex"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try ReportWriter.write(SyntheticResult.make(), to: directory)) { error in
            guard case let ReportError.cannotWrite(file, _, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(file, "table.tex")
            XCTAssertTrue(String(describing: error).hasPrefix("table.tex: cannot write it in"))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(left, ["table.tex"], "earlier files must be removed and no temporary files left")
    }

    func testMissingFolderAndEscapingFigurePathsAreRejected() throws {
        let missing = directory.appendingPathComponent("nope")
        XCTAssertThrowsError(try ReportWriter.write(SyntheticResult.make(), to: missing)) { error in
            XCTAssertTrue(String(describing: error).contains("nope"))
        }
        var result = SyntheticResult.make()
        result.figures.heatmap = "../heatmap.png"
        XCTAssertThrowsError(try ReportWriter.write(result, to: directory)) { error in
            guard case ReportError.figurePathOutsideReport = error else { return XCTFail("unexpected \(error)") }
        }
    }

    func testSummaryFitsOneScreen() throws {
        let summary = ReportWriter.summary(SyntheticResult.make(), reportPath: "/tmp/run/report.md")
        let lines = summary.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertLessThanOrEqual(lines.count, 25)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 100, String(line)) }
        XCTAssertTrue(summary.contains("report: /tmp/run/report.md"))
        XCTAssertTrue(summary.contains("calibration of mid is 2.41"))
        let early = try XCTUnwrap(lines.first { $0.hasPrefix("early ") })
        XCTAssertTrue(early.contains("79.2") && early.contains("0.412") && early.contains("0.84"), String(early))
        // The most telling factors are those that differ most between layers.
        XCTAssertTrue(lines[1].contains("bg_hue") && lines[1].contains("hue"), String(lines[1]))
        XCTAssertFalse(lines[1].contains("offset_x"))
        // A long warning is wrapped onto indented lines, not cut: its last word is printed.
        var wordy = SyntheticResult.make()
        wordy.warnings = ["mid: " + (0..<40).map { "word\($0)" }.joined(separator: " ")]
        let wrapped = ReportWriter.summary(wordy, reportPath: nil).split(separator: "\n")
        XCTAssertTrue(wrapped.contains { $0.hasPrefix("    ") && $0.hasSuffix("word39") }, wrapped.joined(separator: "\n"))
        XCTAssertFalse(wrapped.contains { $0.hasSuffix("~") })

        // Many layers, long names and many warnings still fit.
        var big = SyntheticResult.make(layerNames: (0..<14).map { "a_very_long_layer_name_number_\($0)" })
        big.warnings = (0..<30).map { "warning \($0): " + String(repeating: "x", count: 150) }
        let bigLines = ReportWriter.summary(big, reportPath: "/" + String(repeating: "d/", count: 80)).split(separator: "\n")
        XCTAssertLessThanOrEqual(bigLines.count, 25)
        for line in bigLines { XCTAssertLessThanOrEqual(line.count, 100) }
    }

    func testCalibrationNotesTellAWeakBaselineFromBadlySpreadSamples() {
        var layer = SyntheticResult.make().layers[0]
        layer.calibration = 0.55
        layer.selfCalibration = 0.98
        XCTAssertTrue(ReportFacts.calibrationNote(layer)!.contains("the MLP baseline fits this layer worse"))
        layer.selfCalibration = 0.5
        XCTAssertTrue(ReportFacts.calibrationNote(layer)!.contains("spread too little"))
        layer.calibration = 1.6
        XCTAssertTrue(ReportFacts.calibrationNote(layer)!.contains("spread too much"))
        layer.calibration = 1.0
        XCTAssertNil(ReportFacts.calibrationNote(layer))
    }

    /// A cINN worse than the unconditional flow beyond two standard errors is called one that did
    /// not generalise (EfficientNet-Lite0's early layer on Fashion-MNIST: −48.7 ± 1.2 bits).
    func testACINNWorseThanTheUnconditionalFlowIsSaidNotToGeneralise() {
        var layer = SyntheticResult.make().layers[0]
        (layer.bitsKept, layer.bitsKeptStandardError, layer.bestStep, layer.trainingSteps) = (-48.7, 1.2, 200, 1200)
        let note = try? XCTUnwrap(ReportFacts.generalizationNote(layer))
        XCTAssertTrue(note?.contains("worse than the unconditional flow (bits kept -48.7)") == true, "\(note ?? "nil")")
        XCTAssertTrue(note?.contains("best step 200 of 1200") == true)
        XCTAssertEqual(ReportFacts.layerNotes(layer).first, note)
        (layer.bitsKept, layer.bitsKeptStandardError) = (-1.5, 1.0)
        XCTAssertNil(ReportFacts.generalizationNote(layer), "within two standard errors of 0")
        layer.bitsKept = 12
        XCTAssertNil(ReportFacts.generalizationNote(layer))
    }

    func testOracleCheckSectionAppearsOnlyWithDocumentedInvariances() throws {
        XCTAssertFalse(MarkdownRenderer.render(ReportDocument(SyntheticResult.make())).contains("documented invariances"))
        var result = SyntheticResult.make(expert: "oracle")
        result.layers[2].expectedKeeps = ["class"]
        result.layers[2].expectedIgnores = ["hue", "background_hue"]
        result.layers[2].validity = ["class": true, "hue": true, "background_hue": false]
        let md = MarkdownRenderer.render(ReportDocument(result))
        XCTAssertTrue(md.contains("## Check against the documented invariances"))
        XCTAssertTrue(md.contains("| aspp_out | class | hue, background_hue | background_hue: NO, class: yes, hue: yes |"))
    }

    func testBitsPlotSurvivesNegativeAndMissingValues() throws {
        let plot = BitsKeptPlot(title: "t", labels: ["a", "b", "c"], bits: [-0.4, .nan, 5], nll: [1, .nan, 0.5])
        let image = plot.render()
        XCTAssertEqual(image.width, plot.width)
        XCTAssertEqual(image.height, plot.height)
        // Both axis ends are round and cover the largest value and the class-only line.
        XCTAssertGreaterThanOrEqual(plot.yMax, 5)
        XCTAssertEqual(plot.yMax.truncatingRemainder(dividingBy: plot.tickStep), 0, accuracy: 1e-9)
        // No bar above the axis for the negative and the missing value.
        for i in 0..<2 {
            let cx = plot.plotLeft + i * plot.slotWidth + plot.slotWidth / 2
            XCTAssertNotEqual(image[cx, plot.y(0) - 3], FigureStyle.bar)
        }
    }
}
