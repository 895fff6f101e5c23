import Foundation
import XCTest
@testable import Imaging

/// JPEG decoding against Pillow's decode of the same files (Tests/Reference/image_reference.py),
/// EXIF orientation, and every way a JPEG is refused.
final class JPEGTests: XCTestCase {
    /// Pillow decodes with libjpeg-turbo too (accurate DCT, fancy upsampling, as here), so the
    /// pixels agree bit for bit (Debian's libjpeg-turbo 2.1.5 against the one in Pillow 13's wheel).
    func testDecodesLikePillowBitForBit() throws {
        for (name, format) in [("rgb-420", PixelFormat.rgb), ("rgb-444", .rgb), ("rgb-progressive", .rgb), ("gray", .gray)] {
            let decoded = try JPEG.decode(ImageFixtures.bytes("jpeg/\(name).jpg"), source: name)
            let expected = try PNG.read(path: ImageFixtures.path("jpeg/\(name).expected.png"))
            XCTAssertEqual(decoded.format, format, name)
            XCTAssertEqual(expected.format, format, "\(name): the reference must have the same layout")
            XCTAssertEqual([decoded.width, decoded.height], [37, 29], name)
            XCTAssertEqual(ImageFixtures.largestDifference(decoded, expected), 0, name)
        }
    }

    /// Each file stores the upright 24x16 block image turned by the inverse of its orientation,
    /// with the tag in a little- or big-endian TIFF header; each must come out upright.
    func testEveryExifOrientationInBothByteOrdersIsTurnedUpright() throws {
        let upright = try PNG.read(path: ImageFixtures.path("jpeg/blocks-upright.png"))
        for orientation in ExifOrientation.allCases {
            let n = orientation.rawValue
            let pillow = try PNG.read(path: ImageFixtures.path("jpeg/blocks-o\(n).expected.png"))
            for order in ["le", "be"] {
                let name = "blocks-o\(n)-\(order).jpg"
                let bytes = try ImageFixtures.bytes("jpeg/\(name)")
                XCTAssertEqual(ExifOrientation(jpeg: bytes), orientation, name)
                let decoded = try JPEG.decode(bytes, source: name)
                XCTAssertEqual([decoded.width, decoded.height], [24, 16], name)
                XCTAssertEqual(ImageFixtures.largestDifference(decoded, pillow), 0, "\(name) against Pillow's exif_transpose")
                // Flat 8x8 blocks survive JPEG almost exactly, so the turn itself is checked too.
                XCTAssertLessThanOrEqual(ImageFixtures.largestDifference(decoded, upright), 3, "\(name) against the upright original")
            }
        }
    }

    /// The turns written out by hand on a 3x2 image "abc/def", independent of any library.
    func testOrientationsMoveEveryPixelWhereTheStandardSays() throws {
        let stored = try Bitmap(width: 3, height: 2, format: .gray, samples: Array("abcdef".utf8))
        let expected: [ExifOrientation: (Int, String)] = [
            .up: (3, "abcdef"), .upMirrored: (3, "cbafed"), .down: (3, "fedcba"), .downMirrored: (3, "defabc"),
            .leftMirrored: (2, "adbecf"), .right: (2, "daebfc"), .rightMirrored: (2, "fcebda"), .left: (2, "cfbead"),
        ]
        for (orientation, (width, text)) in expected {
            let turned = stored.oriented(orientation)
            XCTAssertEqual(turned.width, width, "\(orientation)")
            XCTAssertEqual(turned.height, 6 / width, "\(orientation)")
            XCTAssertEqual(String(decoding: turned.samples, as: UTF8.self), text, "\(orientation)")
        }
        // Channels move together.
        let rgb = try Bitmap(width: 2, height: 1, format: .rgb, samples: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(rgb.oriented(.right).samples, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(rgb.oriented(.upMirrored).samples, [4, 5, 6, 1, 2, 3])
    }

    /// Values outside 1...8, unknown entry types, a truncated segment and an XMP APP1 before the
    /// Exif one: the parser reads what it can and never reads out of bounds.
    func testExifParserToleratesOddAndBrokenSegments() throws {
        let bytes = try ImageFixtures.bytes("jpeg/blocks-o6-le.jpg")
        let exif = try XCTUnwrap(firstIndex(of: Array("Exif".utf8), in: bytes))
        let valueAt = exif + 6 + 8 + 2 + 8  // TIFF header, entry count, tag/type/count
        XCTAssertEqual(bytes[valueAt], 6)
        for bad: UInt8 in [0, 9, 255] {
            var copy = bytes
            copy[valueAt] = bad
            XCTAssertEqual(ExifOrientation(jpeg: copy), .up, "value \(bad)")
        }
        var long = bytes  // type LONG (4): the value is read as 32 bits, little-endian here
        long[valueAt - 6] = 4
        XCTAssertEqual(ExifOrientation(jpeg: long), .right)
        var unknownType = bytes
        unknownType[valueAt - 6] = 7
        XCTAssertEqual(ExifOrientation(jpeg: unknownType), .up)
        // An XMP APP1 first: skipped, the Exif one after it still counts.
        let xmpPayload = Array("http://ns.adobe.com/xap/1.0/\0<x/>".utf8)
        let xmp: [UInt8] = [0xFF, 0xE1, 0, UInt8(xmpPayload.count + 2)] + xmpPayload
        XCTAssertEqual(ExifOrientation(jpeg: Array(bytes[..<2]) + xmp + Array(bytes[2...])), .right)
        // Every prefix of the file: no trap, and the tag is found once its entry is complete.
        for count in 0...min(bytes.count, 200) {
            let found = ExifOrientation(jpeg: Array(bytes.prefix(count)))
            XCTAssertTrue(found == .up || (found == .right && count >= valueAt + 2), "prefix \(count): \(found)")
        }
    }

    func testCMYKIsRefusedNamingTheColourSpaceAndTheFix() throws {
        XCTAssertThrowsError(try JPEG.read(path: ImageFixtures.path("jpeg/cmyk.jpg"))) { error in
            guard case let ImagingError.unsupportedColourSpace(source, colourSpace) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(source.hasSuffix("cmyk.jpg"))
            XCTAssertEqual(colourSpace, "CMYK")
            XCTAssertTrue("\(error)".contains("Convert it to RGB"), "\(error)")
        }
    }

    /// libjpeg only warns about a file cut short (and would pad it with grey); the decoder
    /// refuses it with TurboJPEG's message, as it does every fatal error.
    func testTruncatedAndCorruptDataGiveTurboJPEGsMessage() throws {
        let good = try ImageFixtures.bytes("jpeg/rgb-420.jpg")
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "empty data"),
            ("text", Array("hello, not a JPEG".utf8), "Not a JPEG file"),
            ("half", Array(good.prefix(good.count / 2)), "Premature end of JPEG file"),
            ("no end marker", Array(good.dropLast(2)), "Premature end of JPEG file"),
            ("cut before the frame header", Array(good.prefix(120)), "no frame header"),
        ]
        for (name, bytes, message) in cases {
            XCTAssertThrowsError(try JPEG.decode(bytes, source: name), name) { error in
                guard case let ImagingError.jpegDecodeFailed(source, reason) = error else { return XCTFail("\(name): unexpected \(error)") }
                XCTAssertEqual(source, name)
                XCTAssertFalse(reason.isEmpty, name)
                XCTAssertTrue(reason.contains(message), "\(name): \(reason)")
                XCTAssertTrue("\(error)".contains("re-create or re-download"), "\(error)")
            }
        }
    }

    /// A header declaring 65000x65000 (4.2 G pixels) is refused before any buffer is allocated,
    /// and one declaring no rows is libjpeg's error, not a zero-sized bitmap.
    func testAbsurdAndEmptyDimensionsAreRefused() throws {
        let good = try ImageFixtures.bytes("jpeg/rgb-420.jpg")
        let sof = try XCTUnwrap(firstIndex(of: [0xFF, 0xC0], in: good))
        var huge = good
        huge.replaceSubrange((sof + 5)...(sof + 8), with: [0xFD, 0xE8, 0xFD, 0xE8])
        XCTAssertThrowsError(try JPEG.decode(huge, source: "huge.jpg")) { error in
            XCTAssertEqual(error as? ImagingError,
                           .imageTooLarge(source: "huge.jpg", width: 65000, height: 65000, limit: JPEG.maximumPixels))
            XCTAssertTrue("\(error)".contains("Downscale"), "\(error)")
        }
        var empty = good
        empty.replaceSubrange((sof + 5)...(sof + 6), with: [0, 0])
        XCTAssertThrowsError(try JPEG.decode(empty, source: "rows.jpg")) { error in
            guard case ImagingError.jpegDecodeFailed = error else { return XCTFail("unexpected \(error)") }
        }
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
