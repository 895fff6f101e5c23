import Foundation
import XCTest
@testable import Imaging

/// Inputs found by fuzzing (`scripts/fuzz png`, docs/fuzzing.md); each is also a seed in
/// Fuzz/corpus/png/ so the fuzzer starts from it.
final class PNGFuzzRegressionTests: XCTestCase {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/png")

    /// 61 bytes: a 5x4 IHDR, then an iTXt chunk declaring 0x54000000 (1.4 GB) data bytes. libpng
    /// allocated the chunk's buffer before finding the data missing (over a second and 1.4 GB
    /// under the fuzzer); now the chunk is rejected first, with a message naming it.
    func testChunkLongerThanTheFileIsRejectedBeforeLibpngAllocatesIt() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("regression-huge-chunk-length.png")))
        XCTAssertEqual(bytes.count, 61)
        XCTAssertThrowsError(try PNG.decode(bytes, source: "fuzz.png")) { error in
            guard case let ImagingError.pngDecodeFailed(source, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(source, "fuzz.png")
            XCTAssertTrue(reason.contains("'iTXt'") && reason.contains("1409286144") && reason.contains("truncated"), reason)
        }
    }

    /// Every valid file still decodes: truncating any chunk before the image data is reported by
    /// name, and one after it is still left to libpng (which tolerates a missing IEND).
    func testTruncatedChunksBeforeAndAfterTheImageData() throws {
        let good = try PNG.encode(Bitmap(width: 3, height: 2, format: .rgb, fill: 9))
        XCTAssertEqual(try PNG.decode(good).samples, [UInt8](repeating: 9, count: 18))
        let idat = try XCTUnwrap(firstIndex(of: Array("IDAT".utf8), in: good)) - 4

        var text = chunk("tEXt", Array("Comment\u{0}hello".utf8))
        text.replaceSubrange(0..<4, with: [0x7F, 0xFF, 0xFF, 0xFF])
        let before = Array(good[..<idat]) + text
        XCTAssertThrowsError(try PNG.decode(before, source: "cut.png")) { error in
            XCTAssertTrue("\(error)".contains("cut.png") && "\(error)".contains("'tEXt'"), "\(error)")
        }
        let withText = Array(good[..<idat]) + chunk("tEXt", Array("Comment\u{0}hello".utf8)) + Array(good[idat...])
        XCTAssertEqual(try PNG.decode(withText).samples, [UInt8](repeating: 9, count: 18))
        let afterImage = Array(good.dropLast(12)) + [0, 0, 0x10, 0, 0x74, 0x45, 0x58, 0x74, 1, 2]
        XCTAssertEqual(try PNG.decode(afterImage).samples, [UInt8](repeating: 9, count: 18))
    }

    private func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count)
        let header: [UInt8] = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in Array(type.utf8) + body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc
        return header + Array(type.utf8) + body + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
