import XCTest
@testable import Metrics

/// Greedy farthest-point selection on points whose answer can be worked out by hand.
final class FarthestPointsTests: XCTestCase {
    func testPicksTheExtremesFirstThenFillsTheLargestGap() {
        // 1-d points 0, 1, 2, 10: mean 3.25, so 10 first, then 0 (10 away), then 2 (2 from 0, 8 from 10; 1 is 1 from 0).
        let line: [Float] = [0, 1, 2, 10]
        XCTAssertEqual(FarthestPoints.select(1, of: line, dimensions: 1), [3])
        XCTAssertEqual(FarthestPoints.select(3, of: line, dimensions: 1), [3, 0, 2])
        XCTAssertEqual(FarthestPoints.select(4, of: line, dimensions: 1).sorted(), [0, 1, 2, 3])
        XCTAssertEqual(FarthestPoints.select(0, of: line, dimensions: 1), [])
        // 2-d: the square's corners are chosen before the point at its centre; ties go to the lowest index.
        let square: [Float] = [0.5, 0.5, 0, 0, 1, 0, 0, 1, 1, 1]
        XCTAssertEqual(FarthestPoints.select(4, of: square, dimensions: 2), [1, 4, 2, 3])
    }

    /// A chosen set spreads at least as much as the first points of the same pool, by the
    /// smallest pairwise distance the selection maximises greedily.
    func testSpreadsMoreThanTheFirstPoints() {
        var state: UInt64 = 12345
        func next() -> Float { state = state &* 6364136223846793005 &+ 1442695040888963407; return Float(state >> 40) / Float(1 << 24) }
        let d = 8, n = 24, k = 6
        let points = (0..<(n * d)).map { _ in next() }
        func minimumDistance(_ indices: [Int]) -> Float {
            var best = Float.infinity
            for a in indices { for b in indices where a < b {
                best = min(best, (0..<d).reduce(0) { $0 + (points[a * d + $1] - points[b * d + $1]) * (points[a * d + $1] - points[b * d + $1]) })
            } }
            return best
        }
        let chosen = FarthestPoints.select(k, of: points, dimensions: d)
        XCTAssertEqual(Set(chosen).count, k)
        XCTAssertGreaterThan(minimumDistance(chosen), minimumDistance(Array(0..<k)))
        XCTAssertEqual(chosen, FarthestPoints.select(k, of: points, dimensions: d), "deterministic")
    }
}
