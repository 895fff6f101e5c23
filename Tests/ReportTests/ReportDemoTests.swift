import Foundation
import Imaging
import XCTest
@testable import Report

/// Writes the synthetic report into $REPORT_DEMO_DIR for looking at (and for the docs screenshot),
/// and two comparable runs into $REPORT_DEMO_DIR/runs for trying `diagnose compare`; skipped
/// otherwise. The pipeline's figures are stood in for by labelled placeholders.
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
            // As the pipeline writes its sheets: the HTML page shows their SVGs.
            var grid = ImageGrid(rows: 1, columns: 1)
            grid[0, 0] = label
            try SheetFigure(grid, title: name).write(to: dir, named: name)
        }
        try ReportWriter.write(result, to: dir)
        print(ReportWriter.summary(result, reportPath: dir.appendingPathComponent("report.md").path))

        // A second, comparable run beside it (runs/resnet) for `diagnose compare`.
        var resnet = SyntheticResult.make(expert: "resnet", layerNames: ["conv1", "block2", "fc"])
        for i in resnet.layers.indices {
            resnet.layers[i].bitsKept *= 0.6
            resnet.layers[i].bitsKeptStandardError = 0.8
            for f in SyntheticResult.factors { resnet.layers[i].invariance[f] = min(1, (resnet.layers[i].invariance[f] ?? 0) * 1.3 + 0.05) }
        }
        let runs = dir.appendingPathComponent("runs")
        for (name, run) in [("deeplab", result), ("resnet", resnet)] {
            let folder = runs.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try ReportWriter.write(run, to: folder)
        }
    }
}
