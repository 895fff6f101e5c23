import XCTest
@testable import Tensors

/// The SIMD reductions behind gradient norms and finiteness checks see every element, including
/// the tail after the last full 16-lane block and across 4096-element blocks.
final class VectorMathTests: XCTestCase {
    func testVectorReductionsSeeEveryElement() {
        for count in [1, 15, 16, 17, 4095, 4096, 4097, 10_000] {
            let x = (0..<count).map { Float($0 % 7) - 3 }
            let exact = x.reduce(0.0) { $0 + Double($1 * $1) }
            x.withUnsafeBufferPointer { b in
                XCTAssertEqual(VectorMath.sumOfSquares(b), exact, accuracy: 1e-9 * exact + 1e-9)
                XCTAssertTrue(VectorMath.allFinite(b))
            }
            for position in Set([0, count / 2, count - 1]) {
                for bad in [Float.nan, .infinity, -.infinity] {
                    var y = x
                    y[position] = bad
                    y.withUnsafeBufferPointer { XCTAssertFalse(VectorMath.allFinite($0), "\(bad) at \(position) of \(count)") }
                }
            }
        }
    }

    /// Batch norm's statistics: sums, squared deviations and the (g, g·x̂) pair, against Double
    /// loops. Values are small integers and halves, so every partial sum is exact in Float.
    func testSumsDeviationsAndDotsSeeEveryElement() {
        for count in [0, 1, 15, 16, 17, 4095, 4097, 10_000] {
            let a = (0..<count).map { Float($0 % 5) - 2 }, b = (0..<count).map { Float($0 % 3) * 0.5 }
            let mean: Float = 0.5
            let sum = a.reduce(0.0) { $0 + Double($1) }
            let deviations = a.reduce(0.0) { $0 + Double(($1 - mean) * ($1 - mean)) }
            let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let base = pa.baseAddress ?? UnsafePointer(bitPattern: 16)!, other = pb.baseAddress ?? base
                    XCTAssertEqual(VectorMath.sum(base, count: count), sum, "\(count)")
                    XCTAssertEqual(VectorMath.sumOfSquaredDeviations(base, count: count, from: mean), deviations, "\(count)")
                    let (s, d) = VectorMath.sumAndDot(base, other, count: count)
                    XCTAssertEqual(s, sum, "\(count)")
                    XCTAssertEqual(d, dot, "\(count)")
                }
            }
        }
    }
}
