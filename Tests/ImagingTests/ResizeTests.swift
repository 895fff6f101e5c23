import Foundation
import XCTest
@testable import Imaging

/// Resizing against Pillow: `resize(size, Image.BILINEAR)` and `ImageOps.fit(image, size,
/// Image.BILINEAR)` of formula images, expected pixels from
/// `python3 Tests/Reference/image_reference.py Tests/ImagingTests/Fixtures` (RESIZE_CASES there).
final class ResizeTests: XCTestCase {
    /// The script's `pattern`: gradients with a fine 7-periodic texture, wrapping at 256 (sharp
    /// edges), so both the filter's reach and its weights show in the result.
    private func pattern(_ format: PixelFormat, _ width: Int, _ height: Int) throws -> Bitmap {
        var samples: [UInt8] = []
        samples.reserveCapacity(width * height * format.channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<format.channels {
                    samples.append(UInt8((x * 37 + y * 11 + c * 71 + ((x * y + c) % 7) * 13) % 256))
                }
            }
        }
        return try Bitmap(width: width, height: height, format: format, samples: samples)
    }

    /// Down 7x, down 1.5x, up 2x, an uneven non-square shrink, grey, and fits that crop the sides,
    /// the top and bottom, and enlarge from a fractional crop box. The brief allows ±1; the
    /// fixed-point arithmetic is Pillow's, so every sample agrees exactly.
    func testResizeAndFitMatchPillowBitForBit() throws {
        let cases: [(String, PixelFormat, Int, Int, Bool, Int, Int)] = [
            ("down7", .rgb, 448, 448, false, 64, 64),
            ("down1.5", .rgb, 96, 72, false, 64, 48),
            ("up2", .rgb, 20, 15, false, 40, 30),
            ("uneven", .rgb, 333, 250, false, 64, 27),
            ("gray-down", .gray, 100, 80, false, 33, 27),
            ("fit-wide", .rgb, 150, 100, true, 64, 64),
            ("fit-tall", .rgb, 90, 160, true, 48, 64),
            ("fit-up", .gray, 21, 13, true, 50, 40),
            ("tall-vertical-first", .rgb, 40, 65, false, 20, 20),
            ("tall-tie", .rgb, 40, 60, false, 20, 20),
        ]
        for (name, format, width, height, fit, targetWidth, targetHeight) in cases {
            let source = try pattern(format, width, height)
            let ours = fit ? try source.fitted(width: targetWidth, height: targetHeight)
                           : try source.resized(width: targetWidth, height: targetHeight)
            let pillow = try PNG.read(path: ImageFixtures.path("resize/\(name).png"))
            XCTAssertEqual([ours.width, ours.height], [targetWidth, targetHeight], name)
            XCTAssertEqual(ImageFixtures.largestDifference(ours, pillow), 0, name)
        }
    }

    /// 40 seeded random resizes (random.json: source and target sizes up to 70 and 32, 40 % with
    /// a fractional crop box), both pass orders among them; random.png holds Pillow's results
    /// one after the other.
    func testRandomResizesAndCropBoxesMatchPillowBitForBit() throws {
        struct Case: Decodable { let source: [Int]; let target: [Int]; let box: [Double]; let offset: Int }
        let data = try Data(contentsOf: URL(fileURLWithPath: ImageFixtures.path("resize/random.json")))
        let cases = try JSONDecoder().decode([Case].self, from: data)
        let packed = try PNG.read(path: ImageFixtures.path("resize/random.png")).samples
        XCTAssertEqual(cases.count, 40)
        var verticalFirst = 0
        for (index, c) in cases.enumerated() {
            let source = try pattern(.rgb, c.source[0], c.source[1])
            let box = (Float(c.box[0]), Float(c.box[1]), Float(c.box[2]), Float(c.box[3]))
            let ours = try source.resampled(width: c.target[0], height: c.target[1], box: box)
            let expected = Array(packed[c.offset..<c.offset + ours.samples.count])
            XCTAssertEqual(ours.samples, expected, "case \(index): \(c.source) to \(c.target), box \(c.box)")
            if c.target[1] < c.source[1], c.source[1] - c.target[1] > 2 * (c.source[0] - c.target[0]) { verticalFirst += 1 }
        }
        XCTAssertGreaterThan(verticalFirst, 5, "the cases must exercise both pass orders")
    }

    /// Weights sum to one: a flat image stays flat, at every size, shrinking or growing.
    func testFlatImagesStayFlat() throws {
        let flat = Bitmap(width: 37, height: 23, format: .rgb, fill: 201)
        for (w, h) in [(1, 1), (5, 3), (36, 23), (37, 24), (100, 7), (111, 69)] {
            XCTAssertEqual(Set(try flat.resized(width: w, height: h).samples), [201], "\(w)x\(h)")
            XCTAssertEqual(Set(try flat.fitted(width: w, height: h).samples), [201], "fit \(w)x\(h)")
        }
        XCTAssertEqual(try flat.resized(width: 37, height: 23), flat, "same size is the identity")
    }

    /// The filter is antialiased: shrinking a one-pixel checkerboard 7x averages it to mid-grey,
    /// where sampling points would give black or white.
    func testShrinkingAveragesInsteadOfSampling() throws {
        let size = 70
        let board = try Bitmap(width: size, height: size, format: .gray,
                               samples: (0..<size * size).map { ($0 % size + $0 / size) % 2 == 0 ? 0 : 255 })
        let small = try board.resized(width: 10, height: 10)
        XCTAssertTrue(small.samples.allSatisfy { (120...135).contains($0) }, "\(small.samples)")
    }

    /// A wide image's centre third (green) is what `fitted` keeps for a square target.
    func testFitKeepsTheCentre() throws {
        var wide = Bitmap(width: 300, height: 100, format: .rgb)
        for y in 0..<100 {
            for x in 0..<300 {
                let colour: [UInt8] = x < 100 ? [255, 0, 0] : x < 200 ? [0, 255, 0] : [0, 0, 255]
                wide.samples.replaceSubrange((y * 300 + x) * 3..<(y * 300 + x) * 3 + 3, with: colour)
            }
        }
        // As in Pillow, the box places the output pixels and the filter of an edge pixel still
        // reaches a little past it (6.25 source pixels here), so only the outer columns see red
        // or blue, and only a little.
        let square = try wide.fitted(width: 16, height: 16)
        for y in 0..<16 {
            for x in 0..<16 {
                let pixel = Array(square.samples[(y * 16 + x) * 3..<(y * 16 + x) * 3 + 3])
                if (1..<15).contains(x) {
                    XCTAssertEqual(pixel, [0, 255, 0], "(\(x), \(y))")
                } else {
                    XCTAssertGreaterThan(pixel[1], 200, "(\(x), \(y))")
                    XCTAssertLessThan(Int(pixel[0]) + Int(pixel[2]), 50, "(\(x), \(y))")
                }
            }
        }
    }

    func testEmptySourcesAndTargetsAreRefused() throws {
        let image = Bitmap(width: 4, height: 4, format: .rgb)
        for (w, h) in [(0, 4), (4, 0), (-1, 3), (1 << 40, 1 << 40), (20_000, 20_000)] {
            XCTAssertThrowsError(try image.resized(width: w, height: h), "\(w)x\(h)") { error in
                guard case let ImagingError.invalidResize(reason) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertTrue(reason.contains("\(w)x\(h)"), reason)
            }
            XCTAssertThrowsError(try image.fitted(width: w, height: h), "fit \(w)x\(h)")
        }
        XCTAssertThrowsError(try Bitmap(width: 0, height: 5, format: .gray).fitted(width: 3, height: 3)) { error in
            XCTAssertTrue("\(error)".contains("the source is empty"), "\(error)")
        }
    }
}
