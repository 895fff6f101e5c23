import XCTest
@testable import Imaging

final class ContactSheetTests: XCTestCase {
    func testLayoutHasAColumnPerImageAndHeaders() throws {
        var sheet = ContactSheet(layers: ["early", "last"], samplesPerLayer: 3, scale: 2)
        XCTAssertEqual(sheet.columnHeaders, ["input", "recon", "s1", "s2", "s3", "MLP", "s1", "s2", "s3", "MLP"])
        let side = 4
        let red = [Float](repeating: 1, count: side * side) + [Float](repeating: 0, count: 2 * side * side)
        for row in 0..<2 {
            try sheet.add(title: "x\(row)", input: red, reconstruction: red,
                          samples: [[red, red, red], [red, red, red]], mlp: [red, red], width: side, height: side)
        }
        let image = sheet.render()
        // 10 image columns of 8 px plus padding, headers and the row title column.
        XCTAssertGreaterThan(image.width, 10 * 8)
        XCTAssertGreaterThan(image.height, 2 * 8)
        let redCount = image.pixels.filter { $0 == RGB8(255, 0, 0) }.count
        XCTAssertEqual(redCount, 2 * 10 * 8 * 8, "every cell appears once, enlarged 2x")
    }

    func testMismatchedRowsAreRejected() throws {
        var sheet = ContactSheet(layers: ["a"], samplesPerLayer: 2)
        let img = Image(width: 2, height: 2)
        XCTAssertThrowsError(try sheet.add(.init(input: img, reconstruction: img, samples: [[img]])))
        XCTAssertThrowsError(try sheet.add(.init(input: img, reconstruction: img, samples: [[img, img], [img, img]])))
        XCTAssertNoThrow(try sheet.add(.init(input: img, reconstruction: nil, samples: [[img, img]])))
        XCTAssertEqual(sheet.rows.count, 1)
    }

    func testGridCentresSmallerCells() {
        var grid = ImageGrid(rows: 1, columns: 2)
        grid.padding = 1
        grid[0, 0] = Image(width: 4, height: 4, fill: .white)
        grid[0, 1] = Image(width: 2, height: 2, fill: .gray)
        let out = grid.render()
        XCTAssertEqual(out.width, 1 + 4 + 1 + 2 + 1)
        XCTAssertEqual(out.height, 1 + 4 + 1)
        XCTAssertEqual(out[6, 2], .gray)
        XCTAssertEqual(out[6, 1], grid.background)
    }
}
