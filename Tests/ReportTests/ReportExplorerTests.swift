import Foundation
import XCTest
@testable import Report

/// report.html's explorer and heat-map table as text: the data the script reads is the result's,
/// survives any name (JSON inside a <script> element must not be closed by one), and a report
/// without sprites has no explorer. Tests/Browser/check_report.py drives them in Chromium
/// (ReportInBrowserTests).
final class ReportExplorerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try SyntheticResult.temporaryDirectory() }
    override func tearDownWithError() throws { if let directory { try? FileManager.default.removeItem(at: directory) } }

    private func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The synthetic result with sprites as a run writes them: 3 sheet inputs, a pool of 8, 2 shown.
    static func withSprites(_ result: DiagnosisResult, selection: SampleSelection = .diverse) -> DiagnosisResult {
        var r = result
        r.figures.explorer = ExplorerImages(inputSprite: "explore/inputs.png", inputs: [0, 5, 9], width: 32, height: 32,
                                            selection: selection, shown: 2)
        for i in r.layers.indices {
            r.layers[i].sprite = LayerSprite(sprite: "explore/\(r.layers[i].name).png", pool: 8, shown: [[0, 3], [1, 7], [2, 5]],
                                             shownDeltaE: 12.34 + Double(i), randomDeltaE: 10.5)
        }
        return r
    }

    /// The JSON of the page's `<script type="application/json" id="explorer-data">`, parsed.
    func explorerData(_ html: String) throws -> [String: Any] {
        let start = try XCTUnwrap(html.range(of: "<script type=\"application/json\" id=\"explorer-data\">"))
        let end = try XCTUnwrap(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    func testTheExplorerCarriesTheSpritesLayoutAndNumbers() throws {
        let result = Self.withSprites(SyntheticResult.make())
        try ReportWriter.write(result, to: directory)
        let html = try text("report.html")
        XCTAssertTrue(html.contains("<h2 id=\"explore-the-samples\">Explore the samples</h2>"))
        XCTAssertTrue(html.contains("<p class=\"explorer-fallback\">"), "readers without JavaScript are told where the pictures are")
        let data = try explorerData(html)
        XCTAssertEqual(data["inputSprite"] as? String, "explore/inputs.png")
        XCTAssertEqual(data["inputs"] as? [Int], [0, 5, 9])
        XCTAssertEqual(data["cellWidth"] as? Int, 32)
        XCTAssertEqual(data["selection"] as? String, "diverse")
        XCTAssertEqual(data["scaleMin"] as? String, "0")
        XCTAssertEqual(data["scaleMax"] as? String, "40")
        XCTAssertTrue((data["scaleGradient"] as? String ?? "").hasPrefix("linear-gradient(to right, #440154 0%"))
        let layers = try XCTUnwrap(data["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["label"] as? String }, ["early (layer1)", "mid (layer3)", "last (aspp_out)"])
        XCTAssertEqual(layers[1]["sprite"] as? String, "explore/layer3.png")
        XCTAssertEqual(layers[1]["pool"] as? Int, 8)
        XCTAssertEqual(layers[1]["shown"] as? [[Int]], [[0, 3], [1, 7], [2, 5]])
        // The numbers as the tables print them.
        let numbers = try XCTUnwrap(layers[0]["numbers"] as? [[String]])
        XCTAssertEqual(numbers.first, ["bits kept", "79.2"])
        XCTAssertTrue(numbers.contains(["ΔE of the sheet's 2 samples (mean over 3 inputs)", "12.3"]), "\(numbers)")
        XCTAssertTrue(numbers.contains(["ΔE of the pool's first 2 (random selection)", "10.5"]), "\(numbers)")
        // One inline script, none from elsewhere; the JSON element is data, not a script.
        XCTAssertEqual(html.components(separatedBy: "<script>").count, 2)
        XCTAssertFalse(html.lowercased().contains("<script src"))
        // Markdown says where the sprites are.
        let md = try text("report.md")
        XCTAssertTrue(md.contains("## Explore the samples"))
        XCTAssertTrue(md.contains("explore/inputs.png has a row per input"), md)
        XCTAssertTrue(md.contains("each layer's (explore/layer1.png, explore/layer3.png, explore/aspp_out.png) a row per input"), md)
    }

    /// With the random selection the sheet shows the pool's first samples: one number, not two.
    func testTheRandomSelectionHasOneSpreadNumber() throws {
        try ReportWriter.write(Self.withSprites(SyntheticResult.make(), selection: .random), to: directory)
        let layers = try XCTUnwrap(try explorerData(try text("report.html"))["layers"] as? [[String: Any]])
        let labels = try XCTUnwrap(layers[0]["numbers"] as? [[String]]).map { $0[0] }
        XCTAssertFalse(labels.contains { $0.contains("random selection") }, "\(labels)")
    }

    /// Names that would close the script element, open a comment or break a JavaScript string
    /// are written as \u escapes and read back unchanged; paths are ready for CSS url("…").
    func testNamesCannotEscapeTheEmbeddedData() throws {
        let layer = "</script><script>alert('x')</script> <!-- & \"q\" Größe \u{2028}"
        var result = Self.withSprites(SyntheticResult.make(layerNames: [layer, "layer3", "aspp_out"]))
        result.layers[0].alias = nil
        result.layers[0].sprite?.sprite = "explore/a \"b\" (c).png"
        try ReportWriter.write(result, to: directory)
        let html = try text("report.html")
        let start = try XCTUnwrap(html.range(of: "id=\"explorer-data\">"))
        let embedded = html[start.upperBound...].prefix { $0 != "\n" }
        XCTAssertFalse(embedded.dropLast("</script>".count).contains("<"), "no < inside the data: \(embedded)")
        XCTAssertFalse(embedded.contains("\u{2028}"))
        XCTAssertTrue(embedded.contains("\\u003c/script\\u003e"))
        XCTAssertEqual(html.components(separatedBy: "</script>").count, 3, "the data's and the script's end tags, no more")
        let layers = try XCTUnwrap(try explorerData(html)["layers"] as? [[String: Any]])
        XCTAssertEqual(layers[0]["label"] as? String, layer)
        XCTAssertEqual(layers[0]["sprite"] as? String, "explore/a%20%22b%22%20%28c%29.png")
    }

    func testNoExplorerWithoutSprites() throws {
        var result = SyntheticResult.make()
        try ReportWriter.write(result, to: directory)
        XCTAssertFalse(try text("report.html").contains("id=\"explorer-data\""))
        XCTAssertFalse(try text("report.md").contains("Explore the samples"))
        // Layout but no layer sprites (a plan's later seeds): no explorer either.
        result.figures.explorer = Self.withSprites(result).figures.explorer
        try ReportWriter.write(result, to: directory)
        XCTAssertFalse(try text("report.html").contains("id=\"explorer-data\""))
    }

    /// The invariance table is a heat map in the page: each score coloured as in heatmap.png,
    /// focusable, titled with its read-out quality, floor and ceiling.
    func testTheInvarianceTableIsAHeatMapWithReadouts() throws {
        var result = SyntheticResult.make()
        result.invarianceCeiling = Dictionary(uniqueKeysWithValues: SyntheticResult.factors.map { ($0, 0.9) })
        result.readouts[0].floor = 0.32
        try ReportWriter.write(result, to: directory)
        let html = try text("report.html")
        let cells = html.components(separatedBy: "<td class=\"num heat\" tabindex=\"0\"").count - 1
        XCTAssertEqual(cells, (result.layers.count + 1) * SyntheticResult.factors.count, "layers and the ceiling, every factor")
        // layer1 × class: 0.02, dark violet with white ink; its read-out is categorical with a floor.
        let classCell = "title=\"early, class: score 0.02 (0 = kept, 1 = ignored). Read-out: accuracy 0.910 held-out, chance 0.100, "
            + "skill 0.90. Floor 0.32. Ceiling 0.90. Kept up to 0.52, ignored from 0.54.\">0.02</td>"
        XCTAssertTrue(html.contains(classCell), "the class cell's title")
        XCTAssertTrue(html.contains("last, value: score 0.68"))
        XCTAssertTrue(html.contains("Weak read-out (skill below 0.5): the score is unreliable.\">0.68</td>"))
        XCTAssertTrue(html.contains("ceiling (unconditional), hue: score 0.90"))
        XCTAssertTrue(html.contains("<p class=\"heat-readout\" aria-live=\"polite\" hidden>"))
        let (fill, ink) = InvarianceHeatmap.colors(0.02)
        XCTAssertTrue(html.contains("background-color: \(SVGCanvas.hex(fill)); color: \(SVGCanvas.hex(ink))\""))
        // Markdown keeps the plain table.
        XCTAssertFalse(try text("report.md").contains("Read-out: accuracy"))
    }
}
