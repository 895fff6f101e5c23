import Foundation
import Report
import XCTest

/// The report of a real run, opened in headless Chromium as a reader opens report.html
/// (Tests/Browser/check_report.py): at 1280 px and at a phone's 390 px, no console error, every
/// image decoded, nothing wider than the page. Screenshots go to browser-NAME/ beside the report.
/// Skipped with what to install where no browser is; .ci/run installs one, so CI never skips it.
final class ReportInBrowserTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/check_report.py").path

    /// check_report.py's verdict on `folder`/report.html: exit status and its JSON per width.
    func check(_ folder: URL, name: String, expectText: [String] = []) throws -> (status: Int32, widths: [String: [String: [String]]]) {
        let screenshots = folder.deletingLastPathComponent().appendingPathComponent("browser-\(name)")
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, folder.appendingPathComponent("report.html").path, "--screenshots", screenshots.path]
            + expectText.flatMap { ["--expect-text", $0] }
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
        if process.terminationStatus == 2 {
            throw XCTSkip("no headless browser: \(json["no_browser"] ?? "") (.ci/run installs chromium, chromium-driver and selenium)")
        }
        for width in [1280, 390] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent("report-\(width).png").path))
        }
        return (process.terminationStatus, try XCTUnwrap(json["widths"] as? [String: [String: [String]]]))
    }

    /// A copy of the oracle run's report folder, to change without touching the shared run.
    func copyOfTheOracleReport(_ name: String) throws -> (DiagnosisResult, URL) {
        let (result, folder) = try DiagnosisRunTests.oracleRun.get()
        let copy = folder.deletingLastPathComponent().appendingPathComponent("report-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: copy)
        return (result, copy)
    }

    func testTheReportLoadsDecodesAndFitsAtLaptopAndPhoneWidths() throws {
        let (_, folder) = try DiagnosisRunTests.oracleRun.get()
        let (status, widths) = try check(folder, name: "report")
        XCTAssertEqual(status, 0, "\(widths)")
    }

    /// Layer and factor names with <, &, quotes and non-ASCII letters are shown as text, not markup.
    func testNamesThatLookLikeMarkupRenderAsText() throws {
        var (result, folder) = try copyOfTheOracleReport("names")
        let (layer, factor) = ("<b>pixels</b> & \"more\"", "Größe <i>x</i> & 'y'")
        result.layers[0].name = layer
        for i in result.layers.indices {
            result.layers[i].invariance[factor] = result.layers[i].invariance.removeValue(forKey: "hue")
        }
        for i in result.readouts.indices where result.readouts[i].factor == "hue" { result.readouts[i].factor = factor }
        try ReportWriter.write(result, to: folder)
        let (status, widths) = try check(folder, name: "names", expectText: [layer, factor])
        XCTAssertEqual(status, 0, "\(widths)")
    }

    /// A report folder that lost some images still opens, and the page says which are missing.
    func testAFolderMissingImagesSaysWhatIsMissing() throws {
        let (result, folder) = try copyOfTheOracleReport("missing")
        let gone = [result.figures.heatmap, result.figures.overview].map { FigureFiles($0).svg }
        for file in gone { try FileManager.default.removeItem(at: folder.appendingPathComponent(file)) }
        let (status, widths) = try check(folder, name: "missing")
        XCTAssertEqual(status, 1)
        for (width, found) in widths {
            XCTAssertEqual(Set(found["broken_images"] ?? []), Set(gone.map { "Missing from the report folder: \($0)" }), width)
            XCTAssertEqual(found["overflow"], [], width)
            XCTAssertEqual(found["text_not_shown"], [], width)
            for line in found["console"] ?? [] { XCTAssertTrue(gone.contains { line.contains($0) }, "\(width): \(line)") }
        }
    }
}
