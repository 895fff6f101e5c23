import XCTest
@testable import Imaging

/// CIELab against the values `Tests/Reference/cielab_reference.py` computes in double precision
/// with numpy (sRGB → linear → XYZ, D65 → L*a*b*); red agrees with Lindbloom's published
/// (53.2408, 80.0925, 67.2032).
final class CIELabTests: XCTestCase {
    static let reference: [((Float, Float, Float), (Float, Float, Float))] = [
        ((0, 0, 0), (0.000000, 0.000000, 0.000000)),
        ((1, 1, 1), (100.000004, -0.000017, 0.000007)),
        ((1, 0, 0), (53.240794, 80.092460, 67.203197)),
        ((0, 1, 0), (87.734722, -86.182716, 83.179321)),
        ((0, 0, 1), (32.297011, 79.187520, -107.860162)),
        ((0.5, 0.5, 0.5), (53.388967, -0.000010, 0.000004)),
        ((0.2, 0.4, 0.6), (42.008146, -0.151708, -32.846036)),
        ((0.9, 0.7, 0.1), (75.361939, 6.234440, 74.405997)),
        ((0.01, 0.02, 0.03), (1.300063, -0.312241, -1.200019)),
        ((0.04, 0.5, 0.96), (53.975110, 15.403723, -66.470572)),
    ]

    func testAgreesWithTheDoublePrecisionReference() {
        for (rgb, lab) in Self.reference {
            let got = CIELab.fromSRGB(rgb.0, rgb.1, rgb.2)
            // Float arithmetic: a few units in the fourth decimal of values up to 108.
            XCTAssertEqual(got.l, lab.0, accuracy: 2e-3, "L* of \(rgb)")
            XCTAssertEqual(got.a, lab.1, accuracy: 2e-3, "a* of \(rgb)")
            XCTAssertEqual(got.b, lab.2, accuracy: 2e-3, "b* of \(rgb)")
        }
    }

    /// Values outside 0...1 (a decoder's overshoot) and NaN are clamped, as the images show them.
    func testClampsOutOfRangeComponents() {
        let over = CIELab.fromSRGB(1.3, -0.2, .nan), red = CIELab.fromSRGB(1, 0, 0)
        XCTAssertEqual(over.l, red.l); XCTAssertEqual(over.a, red.a); XCTAssertEqual(over.b, red.b)
    }

    /// The planar conversion is the per-colour one, plane by plane.
    func testConvertsPlanes() {
        let chw: [Float] = [1, 0.2, 0, 0.4, 0, 0.6]  // two pixels: red and (0.2, 0.4, 0.6)
        var out = [Float](repeating: .nan, count: 6)
        chw.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { CIELab.convert(chw: src, plane: 2, into: $0) } }
        let a = CIELab.fromSRGB(1, 0, 0), b = CIELab.fromSRGB(0.2, 0.4, 0.6)
        XCTAssertEqual(out, [a.l, b.l, a.a, b.a, a.b, b.b])
    }
}
