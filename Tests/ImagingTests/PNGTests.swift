import Foundation
import FileSupport
import XCTest
@testable import Imaging

final class PNGTests: XCTestCase {
    private var tempDir: String!

    override func setUpWithError() throws {
        tempDir = FileManager.default.temporaryDirectory.appendingPathComponent("png-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: tempDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: tempDir)
    }

    /// A bitmap whose samples exercise every byte value.
    private func pattern(_ format: PixelFormat, width: Int = 19, height: Int = 7) throws -> Bitmap {
        let n = width * height * format.channels
        return try Bitmap(width: width, height: height, format: format,
                          samples: (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 5) })
    }

    func testRoundTripInMemoryForEveryFormat() throws {
        for format in PixelFormat.allCases {
            let original = try pattern(format)
            let decoded = try PNG.decode(PNG.encode(original))
            XCTAssertEqual(decoded.format, format, "format \(format) must survive the round trip")
            XCTAssertEqual(decoded, original, "samples of \(format) must survive the round trip")
        }
    }

    func testRoundTripThroughFileForEveryFormat() throws {
        for format in PixelFormat.allCases {
            let original = try pattern(format, width: 33, height: 5)
            let path = "\(tempDir!)/\(format).png"
            try PNG.write(original, to: path)
            XCTAssertEqual(try PNG.read(path: path), original)
        }
        // The atomic write leaves no temporary files behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tempDir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testOverwriteReplacesFileAtomically() throws {
        let path = "\(tempDir!)/x.png"
        try PNG.write(try pattern(.gray), to: path)
        let second = try pattern(.rgb, width: 4, height: 4)
        try PNG.write(second, to: path)
        XCTAssertEqual(try PNG.read(path: path), second)
    }

    func testImageWritesRGBPNG() throws {
        var image = Image(width: 3, height: 2, fill: RGB8(1, 2, 3))
        image[2, 1] = RGB8(250, 128, 7)
        let path = "\(tempDir!)/img.png"
        try image.writePNG(to: path)
        XCTAssertEqual(Image(bitmap: try PNG.read(path: path)), image)
    }

    func testCorruptPNGsThrowInsteadOfCrashing() throws {
        let good = try PNG.encode(try pattern(.rgb))
        var flipped = good
        flipped[flipped.count / 2] ^= 0xFF  // inside IDAT: checksum or inflate error
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("garbage", Array("definitely not a PNG file".utf8)),
            ("truncated header", Array(good.prefix(20))),
            ("truncated data", Array(good.prefix(good.count - 30))),
            ("flipped byte", flipped),
        ]
        for (name, bytes) in cases {
            XCTAssertThrowsError(try PNG.decode(bytes, source: name), name) { error in
                guard case let ImagingError.pngDecodeFailed(source, reason) = error else {
                    return XCTFail("\(name): unexpected error \(error)")
                }
                XCTAssertEqual(source, name)
                XCTAssertFalse(reason.isEmpty)
            }
        }
    }

    func testMissingFileAndBadDirectoryGiveIOErrors() {
        XCTAssertThrowsError(try PNG.read(path: "\(tempDir!)/missing.png")) { error in
            XCTAssertTrue("\(error)".contains("missing.png"), "\(error)")
        }
        XCTAssertThrowsError(try PNG.write(Bitmap(width: 1, height: 1, format: .gray), to: "\(tempDir!)/no/such/dir/x.png")) { error in
            XCTAssertTrue(error is FileError, "unexpected \(error)")
        }
    }

    func testEncodingEmptyBitmapFails() {
        XCTAssertThrowsError(try PNG.encode(Bitmap(width: 0, height: 3, format: .rgb)))
    }

    func testBitmapRejectsWrongSampleCount() {
        XCTAssertThrowsError(try Bitmap(width: 2, height: 2, format: .rgb, samples: [1, 2, 3]))
    }
}
