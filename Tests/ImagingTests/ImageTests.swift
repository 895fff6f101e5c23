import XCTest
@testable import Imaging

final class ImageTests: XCTestCase {
    func testCHWFloatsBecomePixels() throws {
        // 2x1 image: pixel 0 red-ish, pixel 1 out-of-range values that must clamp.
        let chw: [Float] = [1, 2, /* G */ 0, -1, /* B */ 0.5, .nan]
        let image = try Image(chw: chw, width: 2, height: 1)
        XCTAssertEqual(image[0, 0], RGB8(255, 0, 128))
        XCTAssertEqual(image[1, 0], RGB8(255, 0, 0))
        XCTAssertThrowsError(try Image(chw: [0, 0], width: 2, height: 1))
        let gray = try Image(chw: [0.2], width: 1, height: 1, channels: 1)
        XCTAssertEqual(gray[0, 0], RGB8(51, 51, 51))
    }

    func testNearestUpscaleRepeatsPixels() {
        var image = Image(width: 2, height: 1)
        image[1, 0] = .white
        let big = image.upscaled(by: 3)
        XCTAssertEqual(big.width, 6)
        XCTAssertEqual(big.height, 3)
        XCTAssertEqual(big[2, 2], .black)
        XCTAssertEqual(big[3, 0], .white)
        XCTAssertEqual(big[5, 2], .white)
    }

    func testDrawClipsAndStacksLineUp() {
        var canvas = Image(width: 3, height: 3)
        canvas.draw(Image(width: 5, height: 5, fill: .white), x: 1, y: 1)
        XCTAssertEqual(canvas[0, 0], .black)
        XCTAssertEqual(canvas[2, 2], .white)
        let row = Image.hstack([Image(width: 2, height: 1, fill: .white), Image(width: 3, height: 2, fill: .gray)], spacing: 1)
        XCTAssertEqual(row.width, 6)
        XCTAssertEqual(row.height, 2)
        XCTAssertEqual(row[2, 0], .black)  // the spacing column
        XCTAssertEqual(row[3, 1], .gray)
    }

    func testHSVConversion() {
        XCTAssertEqual(RGBColor(hue: 0, saturation: 1, value: 1).rgb8, RGB8(255, 0, 0))
        XCTAssertEqual(RGBColor(hue: 1.0 / 3, saturation: 1, value: 1).rgb8, RGB8(0, 255, 0))
        XCTAssertEqual(RGBColor(hue: 2.0 / 3, saturation: 1, value: 1).rgb8, RGB8(0, 0, 255))
        XCTAssertEqual(RGBColor(hue: 0.5, saturation: 0, value: 0.5).rgb8, RGB8(128, 128, 128))
        XCTAssertEqual(RGBColor(hue: 1.25, saturation: 1, value: 1), RGBColor(hue: 0.25, saturation: 1, value: 1))
    }
}
