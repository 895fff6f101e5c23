import FileSupport
import Foundation
import XCTest
@testable import Imaging

/// `ImageFile.read` on every PNG colour type and bit depth and on JPEGs, against Pillow's
/// `convert("RGB")` of the same files (Tests/Reference/image_reference.py), and its errors.
final class ImageFileTests: XCTestCase {
    private var tempDir: String!

    override func setUpWithError() throws {
        tempDir = FileManager.default.temporaryDirectory.appendingPathComponent("image-file-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: tempDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: tempDir)
    }

    /// 8-bit files of every layout: exactly Pillow's `Image.open(f).convert("RGB")`, including a
    /// fully transparent pixel that keeps its colour (alpha dropped, not composited).
    func testEightBitPNGsOfEveryLayoutMatchPillowsRGBConversion() throws {
        let names = ["gray", "gray-1bit", "gray-alpha", "gray-colour-key", "rgb", "rgb-colour-key", "rgba", "palette", "palette-alpha"]
        for name in names {
            let read = try ImageFile.read(ImageFixtures.path("png/\(name).png"))
            let expected = try PNG.read(path: ImageFixtures.path("png/\(name).expected.png"))
            XCTAssertEqual(read.format, .rgb, name)
            XCTAssertEqual([read.width, read.height], [13, 7], name)
            XCTAssertEqual(ImageFixtures.largestDifference(read, expected), 0, name)
        }
        let rgba = try ImageFile.read(ImageFixtures.path("png/rgba.png"))
        XCTAssertEqual(Array(rgba.samples.prefix(3)), [200, 100, 50], "the transparent corner keeps its stored colour")
    }

    /// The one documented difference for 8-bit files: libpng corrects a gAMA of 1.0 to sRGB
    /// (brightening the image), Pillow ignores gAMA.
    func testAnEightBitPNGWithLinearGammaIsCorrectedUnlikePillow() throws {
        let read = try ImageFile.read(ImageFixtures.path("png/rgb-gamma1.png"))
        let pillow = try PNG.read(path: ImageFixtures.path("png/rgb-gamma1.expected.png"))
        XCTAssertEqual(pillow, try PNG.read(path: ImageFixtures.path("png/rgb.expected.png")), "Pillow ignores gAMA")
        XCTAssertGreaterThan(ImageFixtures.largestDifference(read, pillow), 50)
        XCTAssertTrue(zip(read.samples, pillow.samples).allSatisfy { $0 >= $1 }, "linear to sRGB only brightens")
    }

    /// 16-bit files: round(v × 255 / 65535) of each sample, exactly. Pillow keeps the high byte of
    /// colour (at most 1 away) and clips 16-bit grey to 255 (far away): both differences measured.
    func testSixteenBitPNGsAreReducedByRoundingAndDifferFromPillowAsDocumented() throws {
        for name in ["gray16", "rgb16", "gray-alpha16", "rgba16"] {
            let read = try ImageFile.read(ImageFixtures.path("png/\(name).png"))
            let expected = try PNG.read(path: ImageFixtures.path("png/\(name).expected.png"))
            let pillow = try PNG.read(path: ImageFixtures.path("png/\(name).pillow.png"))
            XCTAssertEqual(ImageFixtures.largestDifference(read, expected), 0, name)
            let fromPillow = ImageFixtures.largestDifference(read, pillow)
            if name == "gray16" {
                XCTAssertGreaterThan(fromPillow, 100, "Pillow clips 16-bit grey; if this fails, Pillow changed and the doc comment must too")
            } else {
                XCTAssertLessThanOrEqual(fromPillow, 1, name)
            }
        }
        // The first samples pin the reduction: 0, 65535, 0xFF00 (254.0; Pillow's high byte says
        // 255), 0x00FF (0.99; high byte 0).
        XCTAssertEqual(Array(try ImageFile.read(ImageFixtures.path("png/rgb16.png")).samples.prefix(4)), [0, 255, 254, 1])
        XCTAssertEqual(Array(try PNG.read(path: ImageFixtures.path("png/rgb16.pillow.png")).samples.prefix(4)), [0, 255, 255, 0])
    }

    func testJPEGsAreReadAsUprightRGB() throws {
        let grey = try ImageFile.read(ImageFixtures.path("jpeg/gray.jpg"))
        let greyPixels = try PNG.read(path: ImageFixtures.path("jpeg/gray.expected.png"))
        XCTAssertEqual(grey.format, .rgb)
        XCTAssertEqual(grey.samples, greyPixels.samples.flatMap { [$0, $0, $0] })
        let turned = try ImageFile.read(ImageFixtures.path("jpeg/blocks-o6-be.jpg"))
        XCTAssertEqual(turned, try PNG.read(path: ImageFixtures.path("jpeg/blocks-o6.expected.png")))
    }

    /// The name is no evidence: a JPEG named .png and a PNG named .jpg are read by their content.
    func testFormatIsDetectedByContentNotByName() throws {
        let jpegNamedPNG = "\(tempDir!)/photo.png"
        let pngNamedJPEG = "\(tempDir!)/scan.JPG"
        try AtomicFile.write(ImageFixtures.bytes("jpeg/rgb-420.jpg"), to: jpegNamedPNG)
        try AtomicFile.write(ImageFixtures.bytes("png/rgb.png"), to: pngNamedJPEG)
        XCTAssertEqual(try ImageFile.read(jpegNamedPNG), try PNG.read(path: ImageFixtures.path("jpeg/rgb-420.expected.png")))
        XCTAssertEqual(try ImageFile.read(pngNamedJPEG), try PNG.read(path: ImageFixtures.path("png/rgb.expected.png")))
    }

    /// Files that are not PNG or JPEG: the error names the file, what it looks like, and the
    /// formats that are read.
    func testNonImagesAreRefusedNamingWhatTheyAreAndWhatIsRead() throws {
        let cases: [(String, [UInt8], String)] = [
            ("notes.jpg", Array("hello\nworld, this is text".utf8), "(text: \"hello wo\")"),
            ("empty.png", [], "the file is empty"),
            ("anim.gif", Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0], "a GIF file"),
            ("scan.tif", [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0], "a TIFF file"),
            ("cut.png", [0x89, 0x50, 0x4E], "a PNG signature cut short"),
            ("random.bin", [0x00, 0x01, 0xFE, 0x7F], "it starts with the bytes 00 01 fe 7f"),
        ]
        for (name, bytes, reason) in cases {
            let path = "\(tempDir!)/\(name)"
            try AtomicFile.write(bytes, to: path)
            XCTAssertThrowsError(try ImageFile.read(path), name) { error in
                guard case let ImagingError.notAnImage(source, why) = error else { return XCTFail("\(name): unexpected \(error)") }
                XCTAssertEqual(source, path)
                XCTAssertTrue(why.contains(reason), "\(name): \(why)")
                XCTAssertTrue("\(error)".contains("diagnose reads PNG and JPEG files"), "\(error)")
            }
        }
    }

    /// Damaged images keep their decoder's typed error; missing paths and folders are I/O errors.
    func testTruncatedImagesMissingFilesAndFoldersGiveTypedErrors() throws {
        let png = try ImageFixtures.bytes("png/rgb.png")
        let jpeg = try ImageFixtures.bytes("jpeg/rgb-420.jpg")
        let truncatedPNG = "\(tempDir!)/t.png", truncatedJPEG = "\(tempDir!)/t.jpg"
        try AtomicFile.write(Array(png.prefix(png.count - 40)), to: truncatedPNG)
        try AtomicFile.write(Array(jpeg.prefix(jpeg.count * 2 / 3)), to: truncatedJPEG)
        XCTAssertThrowsError(try ImageFile.read(truncatedPNG)) { error in
            guard case ImagingError.pngDecodeFailed(truncatedPNG, _) = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertThrowsError(try ImageFile.read(truncatedJPEG)) { error in
            guard case ImagingError.jpegDecodeFailed(truncatedJPEG, _) = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertThrowsError(try ImageFile.read(ImageFixtures.path("jpeg/cmyk.jpg"))) { error in
            guard case ImagingError.unsupportedColourSpace(_, "CMYK") = error else { return XCTFail("unexpected \(error)") }
        }
        for path in ["\(tempDir!)/missing.png", tempDir!] {
            XCTAssertThrowsError(try ImageFile.read(path)) { error in
                XCTAssertEqual((error as? FileError)?.path, path, "unexpected \(error)")
            }
        }
    }

    func testRGBConversionOfEveryLayout() throws {
        let grey = try Bitmap(width: 2, height: 1, format: .gray, samples: [7, 250])
        XCTAssertEqual(grey.convertedToRGB().samples, [7, 7, 7, 250, 250, 250])
        let rgba = try Bitmap(width: 2, height: 1, format: .rgba, samples: [1, 2, 3, 0, 4, 5, 6, 255])
        XCTAssertEqual(rgba.convertedToRGB().samples, [1, 2, 3, 4, 5, 6])
        let rgb = try Bitmap(width: 1, height: 1, format: .rgb, samples: [9, 8, 7])
        XCTAssertEqual(rgb.convertedToRGB(), rgb)
        XCTAssertEqual(Bitmap(width: 0, height: 3, format: .gray).convertedToRGB(), Bitmap(width: 0, height: 3, format: .rgb))
    }
}
