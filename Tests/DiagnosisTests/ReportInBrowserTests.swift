import Foundation
import Report
import XCTest

/// The report of a real run, opened in headless Chromium as a reader opens report.html
/// (Tests/Browser/check_report.py): at 1280 px and at a phone's 390 px, no console error, every
/// image decoded, nothing wider than the page; the explorer driven through its controls, the
/// heat-map table's read-out line, and the page with JavaScript off. Screenshots go to
/// browser-NAME/ beside the report. Skipped with what to install where no browser is; .ci/run
/// installs one, so CI never skips it.
final class ReportInBrowserTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/check_report.py").path

    /// check_report.py's verdict on `folder`/report.html.
    struct Verdict {
        let status: Int32
        /// Per width: console, broken_images, overflow, text_not_shown, markup, unlabelled.
        let widths: [String: [String: [String]]]
        /// problems, views (screenshot files), layers (the layer chooser's options), titles (each view's).
        let explorer: [String: [String]]
        /// problems, lines (the read-out line after each score was pointed at or focused).
        let heat: [String: [String]]
        let withoutJavaScript: [String]
        let screenshots: URL
    }

    func check(_ folder: URL, name: String, expectText: [String] = []) throws -> Verdict {
        let screenshots = folder.deletingLastPathComponent().appendingPathComponent("browser-\(name)")
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, folder.appendingPathComponent("report.html").path, "--screenshots", screenshots.path,
                             "--expect-explorer"] + expectText.flatMap { ["--expect-text", $0] }
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
        if process.terminationStatus == 2 {
            throw XCTSkip("no headless browser: \(json["no_browser"] ?? "") (.ci/run installs chromium, chromium-driver and selenium)")
        }
        for file in ["report-1280.png", "report-390.png", "report-nojs-1280.png", "report-nojs-390.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent(file).path), file)
        }
        return Verdict(status: process.terminationStatus, widths: try XCTUnwrap(json["widths"] as? [String: [String: [String]]]),
                       explorer: try XCTUnwrap(json["explorer"] as? [String: [String]]),
                       heat: try XCTUnwrap(json["heat"] as? [String: [String]]),
                       withoutJavaScript: try XCTUnwrap((json["no_javascript"] as? [String: [String]])?["problems"]),
                       screenshots: screenshots)
    }

    /// A copy of the oracle run's report folder, to change without touching the shared run.
    func copyOfTheOracleReport(_ name: String) throws -> (DiagnosisResult, URL) {
        let (result, folder) = try DiagnosisRunTests.oracleRun.get()
        let copy = folder.deletingLastPathComponent().appendingPathComponent("report-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: copy)
        return (result, copy)
    }

    func testTheReportLoadsDecodesAndFitsAtLaptopAndPhoneWidths() throws {
        let (result, folder) = try DiagnosisRunTests.oracleRun.get()
        let verdict = try check(folder, name: "report")
        XCTAssertEqual(verdict.status, 0, "\(verdict)")
        // A view per layer and per input, each screenshot written, and one at the phone's width.
        let inputs = try XCTUnwrap(result.figures.explorer?.inputs.count)
        XCTAssertEqual(verdict.explorer["views"]?.count, result.layers.count + inputs + 1)
        for view in verdict.explorer["views"] ?? [] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: verdict.screenshots.appendingPathComponent(view).path), view)
        }
        XCTAssertEqual(verdict.heat["lines"]?.count, (result.layers.count + 1) * result.readouts.count, "every score and the ceiling's")
    }

    /// Layer and factor names with <, &, quotes and non-ASCII letters are shown as text, not markup:
    /// in the tables, the heat map's read-out line and the explorer, whose data sits in a
    /// <script> element that a "</script>" in a name must not close.
    func testNamesThatLookLikeMarkupRenderAsText() throws {
        var (result, folder) = try copyOfTheOracleReport("names")
        let (layer, factor) = ("<b>pixels</b> & \"more\" </script><!--", "Größe <i>x</i> & 'y'")
        result.layers[0].name = layer
        result.layers[0].alias = nil
        for i in result.layers.indices {
            result.layers[i].invariance[factor] = result.layers[i].invariance.removeValue(forKey: "hue")
        }
        for i in result.readouts.indices where result.readouts[i].factor == "hue" { result.readouts[i].factor = factor }
        try ReportWriter.write(result, to: folder)
        let verdict = try check(folder, name: "names", expectText: [layer, factor])
        XCTAssertEqual(verdict.status, 0, "\(verdict)")
        XCTAssertEqual(verdict.explorer["layers"]?.first, layer, "the layer chooser")
        XCTAssertTrue(verdict.explorer["titles"]?.contains { $0.contains(layer) } ?? false,
                      "the explorer's title")
        XCTAssertTrue(verdict.heat["lines"]?.contains { $0.contains(factor) && $0.hasPrefix(layer) } ?? false,
                      "the heat map's read-out line")
    }

    /// A report folder that lost some images still opens, and the page says which are missing:
    /// figures and an explorer sprite alike; without JavaScript the rest of the page is there.
    func testAFolderMissingImagesSaysWhatIsMissing() throws {
        let (result, folder) = try copyOfTheOracleReport("missing")
        let figures = [result.figures.heatmap, result.figures.overview].map { FigureFiles($0).svg }
        let sprite = try XCTUnwrap(result.layers.last?.sprite?.sprite)
        let gone = figures + [sprite]
        for file in gone { try FileManager.default.removeItem(at: folder.appendingPathComponent(file)) }
        let verdict = try check(folder, name: "missing")
        XCTAssertEqual(verdict.status, 1)
        for (width, found) in verdict.widths {
            XCTAssertEqual(Set(found["broken_images"] ?? []), Set(gone.map { "Missing from the report folder: \($0)" }), width)
            XCTAssertEqual(found["overflow"], [], width)
            XCTAssertEqual(found["text_not_shown"], [], width)
            XCTAssertEqual(found["markup"], [], width)
            XCTAssertEqual(found["unlabelled"], [], width)
            for line in found["console"] ?? [] { XCTAssertTrue(gone.contains { line.contains($0) }, "\(width): \(line)") }
        }
        // The explorer still works for the layers whose sprites are there; only the lost one is a problem.
        let problems = verdict.explorer["problems"] ?? []
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertTrue(problems.allSatisfy { $0.hasPrefix("sprite \(sprite) is 0x0") }, "\(problems)")
        XCTAssertEqual(verdict.heat["problems"], [])
        XCTAssertFalse(verdict.withoutJavaScript.isEmpty)
        XCTAssertTrue(verdict.withoutJavaScript.allSatisfy { $0.contains("images that did not decode") && figures.contains(where: $0.contains) },
                      "\(verdict.withoutJavaScript)")
    }
}
