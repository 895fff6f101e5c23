import XCTest
@testable import Imaging

final class BitmapFontTests: XCTestCase {
    /// Renders text in white on black and returns it as '#'/'.' rows.
    private func ascii(_ image: Image) -> [String] {
        (0..<image.height).map { y in
            String((0..<image.width).map { x in image[x, y] == .white ? "#" : "." })
        }
    }

    func testGoldenAB1() {
        let image = Image.text("AB1", color: .white, background: .black)
        let expected = [
            ".###..####....#..",
            "#...#.#...#..##..",
            "#...#.#...#...#..",
            "#####.####....#..",
            "#...#.#...#...#..",
            "#...#.#...#...#..",
            "#...#.####...###.",
            ".................",
        ]
        XCTAssertEqual(ascii(image), expected)
    }

    func testScaleTwoDoublesEveryPixel() {
        let one = Image.text("g", scale: 1)
        let two = Image.text("g", scale: 2)
        XCTAssertEqual(two.width, 2 * one.width)
        XCTAssertEqual(two.height, 2 * one.height)
        XCTAssertEqual(one.upscaled(by: 2), two)
        // The descender of g reaches the last row.
        XCTAssertTrue((0..<one.width).contains { one[$0, one.height - 1] == .white })
    }

    func testSizeOfMultilineText() {
        let size = BitmapFont.size(of: "abc\nde", scale: 3)
        XCTAssertEqual(size.width, (3 * BitmapFont.advance - 1) * 3)
        XCTAssertEqual(size.height, (BitmapFont.lineHeight + BitmapFont.glyphHeight) * 3)
    }

    func testEveryPrintableASCIICharacterHasAGlyph() {
        let box = BitmapFont.rows(for: "\u{1}")
        for code in 33...126 {
            let ch = Character(UnicodeScalar(UInt8(code)))
            let rows = BitmapFont.rows(for: ch)
            XCTAssertEqual(rows.count, BitmapFont.glyphHeight)
            XCTAssertNotEqual(rows, box, "character \(ch) falls back to the box")
            XCTAssertTrue(rows.contains { $0 != 0 }, "character \(ch) is blank")
        }
        XCTAssertTrue(BitmapFont.rows(for: " ").allSatisfy { $0 == 0 })
    }

    func testDrawingIsClippedAtEdges() {
        var image = Image(width: 4, height: 4)
        image.drawText("W", x: -2, y: -3, color: .white, scale: 2)  // must not trap
        XCTAssertTrue(image.pixels.contains(.white))
    }
}
