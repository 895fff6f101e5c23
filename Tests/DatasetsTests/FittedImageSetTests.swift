import FileSupport
import Foundation
import XCTest
@testable import Datasets
@testable import Imaging

/// 16×16 test images: image i is a background in one colour with a square in the opposite
/// colour, both and the square's size and place derived from i, so every i gives other bytes.
enum PatternImages {
    static func bitmap(_ i: Int, side: Int = 16) -> Bitmap {
        var b = Bitmap(width: side, height: side, format: .rgb)
        let background = [UInt8((i * 37) % 256), UInt8((i * 91 + 60) % 256), UInt8((i * 53 + 120) % 256)]
        let square = background.map { 255 - $0 }
        let s = 4 + i % 5, x0 = (i * 3) % (side - s), y0 = (i * 7) % (side - s)
        for y in 0..<side {
            for x in 0..<side {
                let inside = (x0..<(x0 + s)).contains(x) && (y0..<(y0 + s)).contains(y)
                for c in 0..<3 { b.samples[(y * side + x) * 3 + c] = inside ? square[c] : background[c] }
            }
        }
        return b
    }

    static func write(_ indices: Range<Int>, to dir: String, prefix: String = "p") throws {
        for i in indices { try PNG.write(bitmap(i), to: "\(dir)/\(prefix)\(String(format: "%04d", i)).png") }
    }
}

/// An image set read once at one size: the split by content, its stability, the identity, the
/// pixels, and the refusals (too many bad files, too few images).
final class FittedImageSetTests: XCTestCase {
    private var dir: String!

    override func setUpWithError() throws { dir = try Fixture.makeTempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func load(_ folder: String, maxBadFraction: Double = 0.01, minimumTrain: Int = 0, minimumTest: Int = 0) throws -> FittedImageSet {
        try FittedImageSet.load(ImageFolder.scan(folder), size: 32, maxBadFraction: maxBadFraction,
                                minimumTrain: minimumTrain, minimumTest: minimumTest)
    }

    /// The rule computed independently: the file's digest as a 64-bit number, divisible by 10.
    func testSplitFollowsTheDigestOfTheFileBytes() throws {
        try PatternImages.write(0..<100, to: dir)
        let set = try load(dir)
        XCTAssertEqual(set.paths.count, 100)
        for (path, split) in zip(set.paths, set.splits) {
            let value = try XCTUnwrap(UInt64(Digest.of(file: URL(fileURLWithPath: path)).hex, radix: 16))
            XCTAssertEqual(split, value % 10 == 0 ? .test : .train, path)
        }
        XCTAssertEqual(set.trainIndices.count + set.testIndices.count, 100)
        XCTAssertTrue((4...20).contains(set.testIndices.count), "about one in ten: \(set.testIndices.count)")
    }

    func testAddingImagesMovesNoOtherAndTheIdentityIsTheContent() throws {
        try PatternImages.write(0..<100, to: dir)
        let before = try load(dir)
        try PatternImages.write(100..<200, to: dir)
        let after = try load(dir)
        let splitAfter = Dictionary(uniqueKeysWithValues: zip(after.paths, after.splits))
        for (path, split) in zip(before.paths, before.splits) { XCTAssertEqual(splitAfter[path], split, path) }
        XCTAssertNotEqual(before.identity, after.identity)

        // The same files under other names, in another folder: the same identity.
        let renamed = try Fixture.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: renamed) }
        try PatternImages.write(0..<100, to: renamed, prefix: "other-name-")
        XCTAssertEqual(try load(renamed).identity, before.identity)
    }

    func testPixelsAreTheFittedBitmapInChannelPlanes() throws {
        try PatternImages.write(0..<3, to: dir)
        let set = try load(dir)
        let fitted = try PatternImages.bitmap(1).fitted(width: 32, height: 32)
        let floats = set.floats([1])
        XCTAssertEqual(floats.count, 3 * 32 * 32)
        for c in 0..<3 {
            for p in 0..<(32 * 32) { XCTAssertEqual(floats[c * 1024 + p], Float(fitted.samples[p * 3 + c]) / 255) }
        }
        XCTAssertEqual(set.floats([2, 0]).prefix(3072).map { $0 }, set.floats([2]))
    }

    func testUnusableFilesAreSkippedAndListedAndTooManyStop() throws {
        try PatternImages.write(0..<100, to: dir)
        try AtomicFile.write(Array("not an image".utf8), to: "\(dir!)/notes.png")
        let png = try PNG.encode(PatternImages.bitmap(500))
        try AtomicFile.write(Array(png.prefix(png.count / 2)), to: "\(dir!)/truncated.png")
        let set = try load(dir, maxBadFraction: 0.05)
        XCTAssertEqual(set.paths.count, 100)
        XCTAssertEqual(set.skipped.map { ($0.path as NSString).lastPathComponent }, ["notes.png", "truncated.png"])
        XCTAssertTrue(set.skipped[0].reason.contains("not an image"), set.skipped[0].reason)
        XCTAssertTrue(set.skipped[1].reason.contains("PNG"), set.skipped[1].reason)
        XCTAssertFalse(set.skipped[0].reason.hasPrefix(dir), "the reason does not repeat the path")

        // 2 of 102 is more than 1 %: refused, naming both files and the flag.
        XCTAssertThrowsError(try load(dir)) { error in
            let message = "\(error)"
            for part in ["2 of 102 images cannot be used", "notes.png", "truncated.png", "--max-bad-fraction"] {
                XCTAssertTrue(message.contains(part), message)
            }
        }
        // At most ten are named.
        for i in 0..<10 { try AtomicFile.write([0, 1, 2], to: "\(dir!)/zz-bad-\(i).png") }
        XCTAssertThrowsError(try load(dir)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("12 of 112"), message)
            XCTAssertTrue(message.contains("… and 2 more"), message)
            XCTAssertFalse(message.contains("zz-bad-9.png"), message)
        }
    }

    func testTooFewImagesAreRefusedWithTheCountsNeeded() throws {
        try PatternImages.write(0..<30, to: dir)
        XCTAssertThrowsError(try load(dir, minimumTrain: FittedImageSet.minimumTrain, minimumTest: FittedImageSet.minimumTest)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("30 usable images"), message)
            XCTAssertTrue(message.contains("at least 64 train and 8 test images are needed"), message)
        }
    }
}
