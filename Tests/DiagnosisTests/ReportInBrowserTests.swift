import Foundation
import XCTest

/// The report of a real run, opened in headless Chromium as a reader opens report.html
/// (Tests/Browser/check_report.py): at 1280 px and at a phone's 390 px, no console error, every
/// image decoded, nothing wider than the page. Screenshots go to browser/ beside the report.
/// Skipped with what to install where no browser is; .ci/run installs one, so CI never skips it.
final class ReportInBrowserTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/check_report.py").path

    func testTheReportLoadsDecodesAndFitsAtLaptopAndPhoneWidths() throws {
        let (_, folder) = try DiagnosisRunTests.oracleRun.get()
        let screenshots = folder.deletingLastPathComponent().appendingPathComponent("browser")
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, folder.appendingPathComponent("report.html").path, "--screenshots", screenshots.path]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
        if process.terminationStatus == 2 {
            throw XCTSkip("no headless browser: \(report["no_browser"] ?? "") (.ci/run installs chromium, chromium-driver and selenium)")
        }
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: data, as: UTF8.self))
        for width in [1280, 390] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent("report-\(width).png").path))
        }
    }
}
