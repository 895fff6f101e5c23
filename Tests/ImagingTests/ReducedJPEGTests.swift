import Foundation
import XCTest
@testable import Imaging

/// JPEG decoding at a reduced size (libjpeg's DCT scaling, Pillow's `draft`) and
/// `ImageFile.decodeFitted`, which uses it: against Pillow's decode after `draft` of the same
/// files (Tests/Reference/image_reference.py) bit for bit, and against the full decode + fit.
final class ReducedJPEGTests: XCTestCase {
    /// photo.jpg is 203x155 (4:2:0, quality 90), photo-o6.jpg the same stored turned with EXIF
    /// orientation 6; sides that do not divide by the reduction are rounded up, as in Pillow.
    func testReducedDecodeIsPillowsDraftBitForBit() throws {
        let cases: [(String, Int, PixelFormat, [Int])] = [
            ("photo", 2, .rgb, [102, 78]), ("photo", 4, .rgb, [51, 39]), ("photo", 8, .rgb, [26, 20]),
            ("photo-o6", 4, .rgb, [51, 39]), ("gray", 2, .gray, [19, 15]), ("rgb-progressive", 4, .rgb, [10, 8]),
        ]
        for (name, r, format, size) in cases {
            let label = "\(name) at 1/\(r)"
            var asked: [Int] = []
            let reduced = try JPEG.decode(ImageFixtures.bytes("jpeg/\(name).jpg"), source: name) { w, h in
                asked = [w, h]
                return r
            }
            let expected = try PNG.read(path: ImageFixtures.path("jpeg/\(name).r\(r).expected.png"))
            XCTAssertEqual(reduced.reduction, r, label)
            XCTAssertEqual([reduced.bitmap.width, reduced.bitmap.height], size, label)
            XCTAssertEqual(reduced.bitmap.format, format, label)
            XCTAssertEqual([reduced.width, reduced.height], asked, "\(label): the full upright size is what the rule saw")
            XCTAssertEqual(ImageFixtures.largestDifference(reduced.bitmap, expected), 0, label)
        }
        // Reduction 1 (or anything not offered) is the full decode.
        let bytes = try ImageFixtures.bytes("jpeg/photo.jpg")
        let full = try JPEG.decode(bytes)
        XCTAssertEqual(try JPEG.decode(bytes) { _, _ in 1 }.bitmap, full)
        XCTAssertEqual(try JPEG.decode(bytes) { _, _ in 3 }.bitmap, full)
        XCTAssertEqual([full.width, full.height], [203, 155])
    }

    /// The part of the reduced bitmap the image covers, for every EXIF turn: a stored 17x10 image
    /// at 1/4 is 5x3 pixels of which 4.25x2.5 are image. Marking the stored pixels that are wholly
    /// image, turning the bitmap, and checking that exactly the pixels wholly inside `content`
    /// carry the mark tests the box against `oriented` itself.
    func testContentBoxFollowsEveryTurn() throws {
        let (storedWidth, storedHeight, r) = (17, 10, 4)
        let (w, h) = (5, 3)
        var stored = Bitmap(width: w, height: h, format: .gray)
        let (cw, ch) = (Double(storedWidth) / Double(r), Double(storedHeight) / Double(r))
        for y in 0..<h {
            for x in 0..<w where Double(x + 1) <= cw && Double(y + 1) <= ch { stored.samples[y * w + x] = 255 }
        }
        for orientation in ExifOrientation.allCases {
            let turned = stored.oriented(orientation)
            let reduced = ReducedJPEG(bitmap: turned, reduction: r,
                                      width: orientation.swapsSides ? storedHeight : storedWidth,
                                      height: orientation.swapsSides ? storedWidth : storedHeight, orientation: orientation)
            let box = reduced.content
            XCTAssertEqual(box.right - box.left, Double(reduced.width) / Double(r), accuracy: 1e-12, "\(orientation)")
            XCTAssertEqual(box.bottom - box.top, Double(reduced.height) / Double(r), accuracy: 1e-12, "\(orientation)")
            for y in 0..<turned.height {
                for x in 0..<turned.width {
                    let inside = Double(x) >= box.left && Double(x + 1) <= box.right && Double(y) >= box.top && Double(y + 1) <= box.bottom
                    XCTAssertEqual(turned.samples[y * turned.width + x] == 255, inside, "\(orientation) at (\(x), \(y))")
                }
            }
        }
    }

    /// The reduction is Pillow's `draft` rule on the crop: the largest of 8, 4, 2 that leaves the
    /// crop at least the target's size, else 1.
    func testReductionRule() {
        XCTAssertEqual(ImageFile.reduction(width: 256, height: 256, fittedTo: 64, 64), 4)
        XCTAssertEqual(ImageFile.reduction(width: 255, height: 256, fittedTo: 64, 64), 2, "255 / 4 < 64")
        XCTAssertEqual(ImageFile.reduction(width: 512, height: 600, fittedTo: 64, 64), 8)
        XCTAssertEqual(ImageFile.reduction(width: 2000, height: 2000, fittedTo: 64, 64), 8, "1/8 is the smallest")
        XCTAssertEqual(ImageFile.reduction(width: 127, height: 127, fittedTo: 64, 64), 1)
        XCTAssertEqual(ImageFile.reduction(width: 20, height: 20, fittedTo: 64, 64), 1, "enlarging")
        XCTAssertEqual(ImageFile.reduction(width: 400, height: 200, fittedTo: 64, 64), 2, "the 200x200 crop counts")
        XCTAssertEqual(ImageFile.reduction(width: 1000, height: 130, fittedTo: 64, 32), 4, "crop 260x130")
        // On a whole image of the target's shape it is Pillow's: s = min(w // tw, h // th) → 8, 4, 2, 1.
        for side in 1...600 {
            let s = side / 64
            let pillow = [8, 4, 2, 1].first { s >= $0 } ?? 1
            XCTAssertEqual(ImageFile.reduction(width: side, height: side, fittedTo: 64, 64), pillow, "\(side)")
        }
    }

    /// decodeFitted against the full decode + fit, on a photo-like image (gradient, a disc with a
    /// sharp edge, noise of sd 6) and its EXIF-turned copy, at each reduction. Not equal by
    /// construction: both are low-pass filters of the same pixels, libjpeg's reduced IDCT (an
    /// ideal cut-off per 8x8 block) for the first 2x, 4x or 8x and Pillow's triangle for the
    /// rest, against the triangle for all of it. Measured: a mean difference of 0.5-1.1 levels
    /// (the noise averaged differently), the largest 6-25 at the disc's edge, at most 2.2% of
    /// samples beyond 8. The bounds leave a little room above that and still catch geometry: the
    /// crop moved by half a reduced pixel gives largest differences of 54-76 here, a quarter pixel
    /// 28-41.
    func testReducedFitIsCloseToTheFullDecodesFit() throws {
        for name in ["photo", "photo-o6"] {
            let bytes = try ImageFixtures.bytes("jpeg/\(name).jpg")
            let full = try JPEG.decode(bytes)
            XCTAssertEqual([full.width, full.height], [203, 155], name)
            for (tw, th, r) in [(96, 72, 2), (64, 48, 2), (40, 40, 2), (24, 24, 4), (48, 32, 4), (16, 16, 8), (24, 18, 8)] {
                let label = "\(name) fitted to \(tw)x\(th) from 1/\(r)"
                XCTAssertEqual(ImageFile.reduction(width: 203, height: 155, fittedTo: tw, th), r, label)
                let fast = try ImageFile.decodeFitted(bytes, width: tw, height: th, source: name)
                let slow = try full.fitted(width: tw, height: th)
                XCTAssertEqual([fast.width, fast.height, fast.format.channels], [tw, th, 3], label)
                let d = zip(fast.samples, slow.samples).map { abs(Int($0) - Int($1)) }
                let mean = Double(d.reduce(0, +)) / Double(d.count)
                let beyond8 = Double(d.filter { $0 > 8 }.count) / Double(d.count)
                XCTAssertLessThanOrEqual(mean, 1.25, label)
                XCTAssertLessThanOrEqual(d.max() ?? 0, 32, label)
                XCTAssertLessThanOrEqual(beyond8, 0.03, label)
            }
        }
    }

    /// When the reduced decode has exactly the target's size (the benchmark's 256x256 files fitted
    /// to 64x64 at 1/4), fitting resamples nothing: the result is the reduced decode itself,
    /// which is Pillow's decode after `draft` (above), as the reference's `draft` + `resize` to
    /// the same size (a copy in Pillow) gives it.
    func testAnExactReductionIsTheReducedDecodeItself() throws {
        for name in ["blocks-o1-le", "blocks-o6-le"] {  // 24x16 upright; o6 is stored 16x24
            let bytes = try ImageFixtures.bytes("jpeg/\(name).jpg")
            let reduced = try JPEG.decode(bytes) { _, _ in 2 }
            XCTAssertEqual([reduced.bitmap.width, reduced.bitmap.height], [12, 8], name)
            XCTAssertEqual(try ImageFile.decodeFitted(bytes, width: 12, height: 8, source: name), reduced.bitmap, name)
        }
    }

    /// PNGs are decoded in full: decodeFitted is `decode` + `fitted` exactly.
    func testPNGsAreFittedFromTheFullDecode() throws {
        let bytes = try ImageFixtures.bytes("png/rgb.png")
        XCTAssertEqual(try ImageFile.decodeFitted(bytes, width: 5, height: 5), try ImageFile.decode(bytes).fitted(width: 5, height: 5))
    }
}
