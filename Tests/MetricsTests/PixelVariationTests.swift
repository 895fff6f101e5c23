import XCTest
@testable import Metrics

/// The variation map, its regions and the summary over inputs on hand-computed cases; the ΔE
/// values are `Tests/Reference/cielab_reference.py`'s (double precision, numpy).
final class PixelVariationTests: XCTestCase {
    /// k CHW images of `plane` pixels, all of one colour each.
    func uniform(_ colours: [(Float, Float, Float)], plane: Int) -> [Float] {
        colours.flatMap { c in [Float](repeating: c.0, count: plane) + [Float](repeating: c.1, count: plane) + [Float](repeating: c.2, count: plane) }
    }

    func testIdenticalSamplesDoNotVary() {
        var rng = SystemRandomNumberGenerator()
        let image = (0..<(3 * 6)).map { _ in Float.random(in: 0...1, using: &rng) }
        let map = PixelVariation.map(samples: image + image + image + image, count: 4, plane: 6)
        XCTAssertEqual(map, [Float](repeating: 0, count: 6))
    }

    /// (0.2, 0.4, 0.6), (0.9, 0.7, 0.1), (0.5, 0.5, 0.5): RMS ΔE to their mean 47.049143; red and
    /// blue: 88.157020 (half their ΔE, 176.314).
    func testKnownSamples() {
        let three = PixelVariation.map(samples: uniform([(0.2, 0.4, 0.6), (0.9, 0.7, 0.1), (0.5, 0.5, 0.5)], plane: 4), count: 3, plane: 4)
        for v in three { XCTAssertEqual(v, 47.049143, accuracy: 2e-3) }
        let two = PixelVariation.map(samples: uniform([(1, 0, 0), (0, 0, 1)], plane: 2), count: 2, plane: 2)
        for v in two { XCTAssertEqual(v, 88.157020, accuracy: 2e-3) }
    }

    /// Pixels vary independently: one pixel changing colour leaves its neighbour at 0.
    func testOnlyThePixelThatChangesVaries() {
        // Two 2-pixel images: pixel 0 red in both, pixel 1 red then blue.
        let samples: [Float] = [1, 1, 0, 0, 0, 0,  1, 0, 0, 0, 0, 1]
        let map = PixelVariation.map(samples: samples, count: 2, plane: 2)
        XCTAssertEqual(map[0], 0)
        XCTAssertEqual(map[1], 88.157020, accuracy: 2e-3)
    }

    /// A 3×3 map with values p² and the centre as object: object 16, background (204 − 16)/8 =
    /// 23.5, outline (the centre and its four neighbours) (16 + 1 + 9 + 25 + 49)/5 = 20, whole 204/9.
    func testRegions() {
        let map: [Float] = (0..<9).map { Float($0 * $0) }
        let mask: [UInt8] = [0, 0, 0, 0, 1, 0, 0, 0, 0]
        let r = map.withUnsafeBufferPointer { m in
            mask.withUnsafeBufferPointer { VariationRegions.of(map: m, width: 3, height: 3, objectMask: $0) }
        }
        XCTAssertEqual(r, VariationRegions(whole: 204.0 / 9, object: 16, background: 23.5, outline: 20))
        let none = map.withUnsafeBufferPointer { VariationRegions.of(map: $0, width: 3, height: 3, objectMask: nil) }
        XCTAssertEqual(none, VariationRegions(whole: 204.0 / 9))
    }

    /// Object/background pairs (2, 1), (4, 2), (6, 2): ratio of means 4 / (5/3) = 2.4; the delta
    /// method's standard error √((s_o² − 2R s_ob + R² s_b²)/n)/b̄ with s_o² = 4, s_b² = 1/3, s_ob = 1:
    /// √(1.12/3)/(5/3) = 0.3666060555964672 (by hand, checked in Python).
    func testSummaryRatioAndStandardErrors() {
        let regions = [(2.0, 1.0), (4.0, 2.0), (6.0, 2.0)].map { VariationRegions(whole: $0.0, object: $0.0, background: $0.1, outline: $0.0) }
            + [VariationRegions(whole: 9)]  // no label map: counts for the whole image only
        let s = VariationSummary.over(regions)
        XCTAssertEqual(s.inputs, 4)
        XCTAssertEqual(s.whole.mean, 21.0 / 4, accuracy: 1e-15)
        XCTAssertEqual(s.whole.standardError, SampleStatistics.standardError([2, 4, 6, 9]), accuracy: 1e-15)
        let ratio = try! XCTUnwrap(s.objectToBackground)
        XCTAssertEqual(ratio.mean, 2.4, accuracy: 1e-15)
        XCTAssertEqual(ratio.standardError, 0.3666060555964672, accuracy: 1e-15)
        XCTAssertEqual(s.outline?.mean ?? .nan, 4, accuracy: 1e-15)
        XCTAssertNil(VariationSummary.over([VariationRegions(whole: 1)]).objectToBackground)
        XCTAssertNil(VariationSummary.over([VariationRegions(whole: 1, object: 1, background: 0)]).objectToBackground,
                     "a background that does not vary has no finite ratio")
    }
}
