import XCTest
@testable import Report

final class ReportSmokeTests: XCTestCase {
    func testFiguresEncode() throws {
        let data = try JSONEncoder().encode(Figures(overview: "a.png", heatmap: "b.png", bitsPlot: "c.png", exemplarTransfer: "d.png"))
        XCTAssertFalse(data.isEmpty)
    }
}
