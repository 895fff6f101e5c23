import Foundation
import XCTest
@testable import Datasets
@testable import Imaging

/// Photometric factors against numpy and Python's colorsys on committed fixture images, made and
/// measured by
///     python3 Tests/Reference/photometric_reference.py Tests/DatasetsTests/Fixtures/photometric
/// (expected.json holds the values), plus the edge cases and refusals.
final class PhotometricFactorsTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/photometric").path

    /// Relative tolerance, with an absolute floor for values that are 0 in exact arithmetic
    /// (numpy's one-pass mean leaves 2e-16 of contrast on a flat image).
    private static let relative = 1e-5, absolute = 1e-12

    private func expected() throws -> [String: [String: Double?]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/expected.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var result: [String: [String: Double?]] = [:]
        for (name, value) in json {
            guard let entries = value as? [String: Any] else { continue }  // "_made_by"
            result[name] = entries.mapValues { $0 as? Double }
        }
        return result
    }

    private func assertMatches(_ measured: PhotometricFactors, _ reference: [String: Double?], _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(reference.keys), Set(PhotometricFactors.names), what, file: file, line: line)
        for (name, value) in zip(PhotometricFactors.names, measured.values) {
            guard let wanted = reference[name] ?? nil else {
                XCTAssertNil(value, "\(what) \(name) should be missing", file: file, line: line)
                continue
            }
            guard let value else { return XCTFail("\(what) \(name) is missing, expected \(wanted)", file: file, line: line) }
            var difference = abs(Double(value) - wanted)
            if name == "pixel_hue" { difference = min(difference, 1 - difference) }  // on the circle
            XCTAssertLessThanOrEqual(difference, Self.relative * abs(wanted) + Self.absolute,
                                     "\(what) \(name): \(value) vs numpy \(wanted)", file: file, line: line)
        }
    }

    /// CHW floats as the reference script builds them: float32(0.5 + 0.5 sin(0.37 k)).
    private func formula(width: Int, height: Int) -> [Float] {
        (0..<(3 * width * height)).map { Float(0.5 + 0.5 * sin(0.37 * Double($0))) }
    }

    func testFixtureImagesMatchNumpy() throws {
        let reference = try expected()
        let images = reference.keys.filter { $0.hasSuffix(".png") }.sorted()
        XCTAssertEqual(images, ["checker.png", "gray-flat.png", "natural.png", "tiny.png", "wrap.png"])
        for name in images {
            let bitmap = try ImageFile.read("\(Self.fixtures)/\(name)")
            assertMatches(try PhotometricFactors(bitmap: bitmap), reference[name]!, name)
            // The same pixels as CHW floats give the same factors.
            let plane = bitmap.width * bitmap.height
            var chw = [Float](repeating: 0, count: 3 * plane)
            for p in 0..<plane { for c in 0..<3 { chw[c * plane + p] = Float(bitmap.samples[3 * p + c]) / 255 } }
            assertMatches(try PhotometricFactors(chw: chw, width: bitmap.width, height: bitmap.height), reference[name]!, "\(name) as floats")
        }
    }

    func testFloatImagesMatchNumpy() throws {
        let reference = try expected()
        for (width, height) in [(13, 9), (3, 3)] {
            let name = "formula-\(width)x\(height)"
            assertMatches(try PhotometricFactors(chw: formula(width: width, height: height), width: width, height: height),
                          try XCTUnwrap(reference[name]), name)
        }
    }

    /// The circular mean, not the arithmetic one: hues 0.95 and 0.05 average near 0, not 0.5.
    func testHueIsACircularMeanWeightedBySaturation() throws {
        func image(_ pixels: [(Float, Float, Float)]) throws -> PhotometricFactors {
            let planes = [pixels.map(\.0), pixels.map(\.1), pixels.map(\.2)].flatMap { $0 }
            return try PhotometricFactors(chw: planes, width: pixels.count, height: 1)
        }
        // Pure red (hue 0) and pure magenta-red (hue 0.9), equal saturation: mean 0.95.
        let hue = try XCTUnwrap(try image([(1, 0, 0), (1, 0, 0.6)]).hue)
        XCTAssertEqual(Double(hue), 0.95, accuracy: 1e-6)
        // Grey pixels do not move it; a pale pixel moves it less than a saturated one.
        XCTAssertEqual(try image([(1, 0, 0), (0.5, 0.5, 0.5), (0.2, 0.2, 0.2)]).hue, 0)
        let pale = try XCTUnwrap(try image([(1, 0, 0), (0.8, 1, 0.8)]).hue)   // green at S = 0.2
        let strong = try XCTUnwrap(try image([(1, 0, 0), (0, 1, 0)]).hue)     // green at S = 1
        XCTAssertLessThan(Double(pale), Double(strong))
        // Red and cyan at equal saturation cancel: no mean hue.
        XCTAssertNil(try image([(1, 0, 0), (0, 1, 1)]).hue)
    }

    func testAFlatGreyImageHasNoContrastNoHueAndNoSharpness() throws {
        for level: UInt8 in [0, 1, 128, 255] {
            let grey = try PhotometricFactors(bitmap: Bitmap(width: 9, height: 7, format: .gray, fill: level))
            XCTAssertEqual(grey.brightness, Float(Double(level) / 255), "level \(level)")
            XCTAssertEqual(grey.contrast, 0, "level \(level)")
            XCTAssertEqual(grey.saturation, 0)
            XCTAssertNil(grey.hue)
            XCTAssertEqual(grey.sharpness, 0, "level \(level)")
        }
        // A grey gradient has contrast and sharpness 0 (a linear ramp's Laplacian is 0) and no hue.
        let ramp = (0..<3).flatMap { _ in (0..<5).flatMap { _ in (0..<8).map { Float($0) / 7 } } }
        let factors = try PhotometricFactors(chw: ramp, width: 8, height: 5)
        XCTAssertNil(factors.hue)
        XCTAssertGreaterThan(factors.contrast, 0.3)
        XCTAssertEqual(Double(try XCTUnwrap(factors.sharpness)), 0, accuracy: 1e-12)
        // Colour flat: saturation and hue, still no contrast or sharpness.
        let orange = try PhotometricFactors(chw: [Float](repeating: 1, count: 12) + [Float](repeating: 0.5, count: 12) + [Float](repeating: 0, count: 12),
                                            width: 4, height: 3)
        XCTAssertEqual(orange.saturation, 1)
        XCTAssertEqual(Double(try XCTUnwrap(orange.hue)), 1.0 / 12, accuracy: 1e-7)
        XCTAssertEqual(orange.contrast, 0)
        XCTAssertEqual(orange.sharpness, 0)
    }

    func testSmallImagesHaveNoSharpness() throws {
        let one = try PhotometricFactors(bitmap: Bitmap(width: 1, height: 1, format: .rgb, samples: [255, 0, 0]))
        XCTAssertEqual(one.values, [0.299, 0, 1, 0, nil])
        XCTAssertNil(try PhotometricFactors(chw: formula(width: 2, height: 9), width: 2, height: 9).sharpness)
        XCTAssertNotNil(try PhotometricFactors(chw: formula(width: 3, height: 3), width: 3, height: 3).sharpness)
    }

    func testDescriptorsDeclareKindsAndRanges() {
        XCTAssertEqual(PhotometricFactors.names, ["pixel_brightness", "pixel_contrast", "pixel_saturation", "pixel_hue", "pixel_sharpness"])
        XCTAssertEqual(PhotometricFactors.descriptors[3].kind, .circular(period: 1))
        XCTAssertTrue(Set(PhotometricFactors.names).isDisjoint(with: SceneFactors.names), "no clash with the scenes' factors")
        // A black/white checker reaches the bounds the descriptors state: contrast 0.5, sharpness 16.
        let checker = (0..<3).flatMap { _ in (0..<64).map { Float(($0 / 8 + $0 % 8) % 2) } }
        let factors = try? PhotometricFactors(chw: checker, width: 8, height: 8)
        XCTAssertEqual(factors?.contrast, 0.5)
        XCTAssertEqual(factors?.sharpness, 16)
    }

    func testBadInputIsRefusedNamingTheFix() {
        func refuses(_ make: @autoclosure () throws -> PhotometricFactors, _ words: [String], line: UInt = #line) {
            XCTAssertThrowsError(try make(), line: line) { error in
                guard case DatasetError.badPixels = error else { return XCTFail("unexpected \(error)", line: line) }
                for w in words { XCTAssertTrue("\(error)".contains(w), "'\(w)' missing from: \(error)", line: line) }
            }
        }
        refuses(try PhotometricFactors(chw: [0.5, 0.5], width: 1, height: 1), ["2 values for a 3x1x1 CHW image", "three planes"])
        refuses(try PhotometricFactors(chw: [], width: 0, height: 0), ["0x0", "at least 1x1"])
        refuses(try PhotometricFactors(chw: [0, 0, 0, 0, 0, 0, 0, 0, 255], width: 3, height: 1), ["B at x 2, y 0 is 255.0", "divided by 255"])
        refuses(try PhotometricFactors(chw: [0, .nan, 0], width: 1, height: 1), ["G at x 0, y 0 is nan"])
        refuses(try PhotometricFactors(chw: [-0.1, 0, 0], width: 1, height: 1), ["outside 0...1"])
        refuses(try PhotometricFactors(bitmap: Bitmap(width: 0, height: 3, format: .rgb)), ["0x3"])
    }
}
