import Foundation
import Imaging
import XCTest
@testable import Report

/// Writes the synthetic report into $REPORT_DEMO_DIR for looking at (and for the docs screenshot);
/// skipped otherwise. The pipeline's figures are stood in for by labelled placeholders.
final class ReportDemoTests: XCTestCase {
    func testWriteDemoReport() throws {
        guard let path = ProcessInfo.processInfo.environment["REPORT_DEMO_DIR"] else {
            throw XCTSkip("set REPORT_DEMO_DIR to write the demo report")
        }
        let dir = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let result = SyntheticResult.make()
        let placeholders = [result.figures.overview, result.figures.exemplarTransfer, result.figures.scenes ?? "scenes.png"]
            + result.layers.map(\.contactSheet)
        for name in placeholders {
            let label = Image.text("placeholder for \(name) (written by the pipeline)", color: FigureStyle.mutedText,
                                   background: RGB8(240, 240, 240), scale: 2, padding: 24)
            try label.writePNG(to: dir.appendingPathComponent(name).path)
        }
        try ReportWriter.write(result, to: dir)
        print(ReportWriter.summary(result, reportPath: dir.appendingPathComponent("report.md").path))
    }
}
