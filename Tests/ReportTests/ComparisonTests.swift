import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Report

/// `diagnose compare`'s logic on synthetic report folders: reading report.json back, refusing
/// runs that are not comparable or not reports, and writing tables and figures whose numbers are
/// each run's report.json's.
final class ComparisonTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try SyntheticResult.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    /// Writes a synthetic run as a report folder `name` and returns its path.
    @discardableResult
    private func writeRun(_ name: String, _ result: DiagnosisResult) throws -> String {
        let dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try ReportWriter.write(result, to: dir)
        return dir.path
    }

    /// A resnet run on the same data: other layer names, the same aliases, other numbers.
    private func resnet() -> DiagnosisResult {
        var r = SyntheticResult.make(expert: "resnet", layerNames: ["conv1", "block2", "fc"])
        r.invarianceCeiling = ["class": 0.98, "hue": 1.02, "value": 0.95, "offset_x": 0.25, "background_kind": 0.97, "background_hue": 1.0]
        for i in r.layers.indices {
            r.layers[i].bitsKept *= 0.5
            for f in SyntheticResult.factors { r.layers[i].invariance[f] = min(1, (r.layers[i].invariance[f] ?? 0) + 0.11) }
        }
        r.layers[2].bitsKeptStandardError = 0.3
        return r
    }

    private func twoRuns() throws -> (deeplab: String, resnet: String) {
        (try writeRun("deeplab", SyntheticResult.make()), try writeRun("resnet", resnet()))
    }

    func testReadsBackWhatTheReportWrote() throws {
        var original = SyntheticResult.make()
        original.layers[0].bitsKeptStandardError = 0.42
        let a = try writeRun("a", original)
        let b = try writeRun("b", resnet())
        let c = try Comparison.load(paths: [a, b])
        let read = c.runs[0].result
        XCTAssertEqual(c.runs.map(\.name), ["deeplab", "resnet"])
        XCTAssertEqual(read.layers.map(\.name), original.layers.map(\.name))
        // Factor names keep their underscores (dictionary keys are data, not Swift names).
        XCTAssertEqual(read.layers[1].invariance, original.layers[1].invariance)
        XCTAssertEqual(read.layers[0].bitsKeptStandardError, 0.42)
        XCTAssertTrue(read.layers[2].frechetMlp.isNaN, "the NaN written as a string reads back as NaN")
        XCTAssertEqual(read.timingsSeconds, original.timingsSeconds)
        XCTAssertEqual(c.slots, ["early", "mid", "last"])
        XCTAssertEqual(c.factors, SyntheticResult.factors)
    }

    func testTwoRunsOfOneExpertAreNamedByTheirFolders() throws {
        let a = try writeRun("steps-a", SyntheticResult.make())
        var longer = SyntheticResult.make()
        longer.configuration["flow_steps"] = "12000"
        let b = try writeRun("steps-b", longer)
        XCTAssertEqual(try Comparison.load(paths: [a, b]).runs.map(\.name), ["deeplab (\(a))", "deeplab (\(b))"])
    }

    private func assertRefused(_ second: DiagnosisResult, field: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try writeRun("first-\(field)", SyntheticResult.make())
        let b = try writeRun("second-\(field)", second)
        XCTAssertThrowsError(try Comparison.load(paths: [a, b]), file: file, line: line) { error in
            guard case let ComparisonError.notComparable(first, other, f, _, _, _) = error else {
                return XCTFail("unexpected \(error)", file: file, line: line)
            }
            XCTAssertEqual([first, other, f], [a, b, field], file: file, line: line)
            let message = String(describing: error)
            XCTAssertTrue(message.contains(a) && message.contains(b) && message.contains(field), message, file: file, line: line)
        }
    }

    func testRefusesRunsThatAreNotComparable() throws {
        var otherAutoencoder = resnet()
        otherAutoencoder.weightsHashes = ["autoencoder.safetensors": "ffffffffffffffff"]
        try assertRefused(otherAutoencoder, field: "weights_hashes.autoencoder")
        var otherSeed = resnet()
        otherSeed.seed = 8
        try assertRefused(otherSeed, field: "seed")
        var otherScenes = resnet()
        otherScenes.configuration["test_scenes"] = "200"
        try assertRefused(otherScenes, field: "configuration.test_scenes")
        let otherFactors = SyntheticResult.make(expert: "resnet", factorNames: ["class", "hue", "value", "offset_x", "background_kind", "size"])
        try assertRefused(otherFactors, field: "factors")
        // The message says which factors only one run has.
        let a = try writeRun("f1", SyntheticResult.make()), b = try writeRun("f2", otherFactors)
        XCTAssertThrowsError(try Comparison.load(paths: [a, b])) { error in
            XCTAssertTrue(String(describing: error).contains("only background_hue vs only size"), String(describing: error))
        }
    }

    func testBadInputGetsAClearErrorNotACrash() throws {
        let (deeplab, _) = try twoRuns()
        func message(_ paths: [String]) -> String {
            do { _ = try Comparison.load(paths: paths); return "no error" } catch { return String(describing: error) }
        }
        XCTAssertTrue(message([deeplab]).contains("at least two finished runs, got 1"))
        XCTAssertTrue(message([]).contains("got 0"))
        let missing = root.appendingPathComponent("nope").path
        XCTAssertTrue(message([deeplab, missing]).hasPrefix("\(missing): no such folder"))
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertTrue(message([deeplab, empty.path]).contains("not a diagnose report (no report.json"))
        XCTAssertTrue(message([deeplab, deeplab]).contains("given twice"))

        let corrupt = root.appendingPathComponent("corrupt")
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        try Data("{\"expert\": \"deeplab\", ".utf8).write(to: corrupt.appendingPathComponent("report.json"))
        XCTAssertTrue(message([deeplab, corrupt.path]).contains("cannot be read as a diagnose report (not valid JSON)"),
                      message([deeplab, corrupt.path]))

        // Valid JSON without a required field: the field is named.
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: deeplab)
            .appendingPathComponent("report.json"))) as? [String: Any])
        var layers = try XCTUnwrap(root["layers"] as? [[String: Any]])
        layers[1].removeValue(forKey: "bits_kept")
        root["layers"] = layers
        let partial = self.root.appendingPathComponent("partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: root).write(to: partial.appendingPathComponent("report.json"))
        XCTAssertTrue(message([deeplab, partial.path]).contains("missing layers[1].bits_kept"), message([deeplab, partial.path]))
    }

    func testWritesEveryFileWithAColumnGroupPerRun() throws {
        let (deeplab, resnetPath) = try twoRuns()
        let out = root.appendingPathComponent("cmp")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try ComparisonWriter.write(try Comparison.load(paths: [deeplab, resnetPath]), to: out)
        for name in ComparisonWriter.files {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }
        let tex = try String(contentsOf: out.appendingPathComponent("table.tex"), encoding: .utf8)
        XCTAssertTrue(tex.contains("\\multicolumn{4}{c}{deeplab} & \\multicolumn{4}{c}{resnet}"), tex)
        XCTAssertTrue(tex.contains("\\cmidrule(lr){2-5} \\cmidrule(lr){6-9}"))
        XCTAssertTrue(tex.contains("early & 79.2 & 0.412 & 8.7 & 0.84 & 39.6 & 0.412 & 8.7 & 0.84 \\\\"), tex)
        // The invariance table: a row per factor, a column per layer (and the ceiling where a run has one).
        XCTAssertTrue(tex.contains("\\multicolumn{3}{c}{deeplab} & \\multicolumn{4}{c}{resnet}"))
        XCTAssertTrue(tex.contains("background\\_hue & 0.08 & 0.57 & 0.93 & 0.19 & 0.68 & 1.00 & 1.00 \\\\"), tex)
        XCTAssertTrue(tex.contains("deeplab: early = layer1"))
        let md = try String(contentsOf: out.appendingPathComponent("comparison.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("| early | 79.2 | 0.412 | 8.7 | 0.84 | 39.6 | 0.412 | 8.7 | 0.84 |"), md)
        let html = try String(contentsOf: out.appendingPathComponent("comparison.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<img src=\"heatmap.svg\"") && html.contains("<img src=\"bits.svg\""))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("comparison.json")))
            as? [String: Any])
        XCTAssertEqual((manifest["runs"] as? [[String: Any]])?.compactMap { $0["path"] as? String }, [deeplab, resnetPath])
    }

    /// Every score in the comparison's heat map (SVG and TikZ) and every bar (SVG and pgfplots)
    /// is the number in its run's report.json.
    func testFigureNumbersEqualEachRunsReportJSON() throws {
        let (deeplab, resnetPath) = try twoRuns()
        let out = root.appendingPathComponent("cmp")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try ComparisonWriter.write(try Comparison.load(paths: [deeplab, resnetPath]), to: out)
        func json(_ path: String) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent("report.json")))
                as? [String: Any])
        }
        let svg = try String(contentsOf: out.appendingPathComponent("heatmap.svg"), encoding: .utf8)
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
        let tikz = try String(contentsOf: out.appendingPathComponent("heatmap.tex"), encoding: .utf8)
        // Two pictures, the runs stacked and side by side (TeX picks by \linewidth), each a panel per run.
        let pictures = tikz.components(separatedBy: "\\begin{tikzpicture}").dropFirst()
        XCTAssertEqual(pictures.count, 2, "a stacked and a side-by-side picture")
        XCTAssertTrue(tikz.contains("\\ifdim\\linewidth<"), tikz)
        let scopes = pictures.flatMap { $0.components(separatedBy: "\\begin{scope}").dropFirst() }
        XCTAssertEqual(scopes.count, 4, "one TikZ panel per run in each picture")
        let bitsSVG = try String(contentsOf: out.appendingPathComponent("bits.svg"), encoding: .utf8)
        let bitsTeX = try String(contentsOf: out.appendingPathComponent("bits.tex"), encoding: .utf8)
        let plots = bitsTeX.components(separatedBy: "\\addplot[").dropFirst()
        XCTAssertEqual(plots.count, 2, "one pgfplots series per run")
        let factors = SyntheticResult.factors
        for (run, (name, path)) in [("deeplab", deeplab), ("resnet", resnetPath)].enumerated() {
            let layers = try XCTUnwrap(try json(path)["layers"] as? [[String: Any]])
            let panels = [scopes[run], scopes[2 + run]], plot = Array(plots)[run]
            for (r, layer) in layers.enumerated() {
                let label = try XCTUnwrap(layer["alias"] as? String)
                let invariance = try XCTUnwrap(layer["invariance"] as? [String: Double])
                for (c, f) in factors.enumerated() {
                    let printed = String(format: "%.2f", try XCTUnwrap(invariance[f]))
                    XCTAssertTrue(svg.contains("data-panel=\"\(name)\" data-row=\"\(label)\" data-factor=\"\(f)\">\(printed)</text>"),
                                  "\(name) \(label) \(f)")
                    for scope in panels {
                        XCTAssertTrue(scope.contains("\\diagnosecell{\(c)}{\(r)}{"), "\(name) \(label) \(f)")
                        XCTAssertTrue(scope.contains("}{\(printed)} % \(label) / \(f)"), "\(name) \(label) \(f) \(printed)")
                    }
                }
                let bits = try XCTUnwrap(layer["bits_kept"] as? Double)
                XCTAssertTrue(bitsSVG.contains("data-series=\"\(name)\" data-layer=\"\(label)\">\(String(format: "%.1f", bits))</text>"))
                XCTAssertTrue(plot.contains("  \(r) \(bits) "), "\(name) \(label): \(bits)")
            }
        }
    }

    func testComparisonLaTeXCompilesWithPdflatex() throws {
        _ = try PDFLaTeX.executable()
        let (deeplab, resnetPath) = try twoRuns()
        let out = root.appendingPathComponent("cmp")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try ComparisonWriter.write(try Comparison.load(paths: [deeplab, resnetPath]), to: out)
        for file in ["table-standalone.tex", "heatmap-standalone.tex", "bits-standalone.tex"] {
            let (status, log) = try PDFLaTeX.compile(file, in: out)
            XCTAssertEqual(status, 0, "\(file): pdflatex failed:\n\(log)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(String(file.dropLast(4)) + ".pdf").path))
        }
    }
}
