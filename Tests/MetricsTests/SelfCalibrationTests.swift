import XCTest
@testable import Metrics
@testable import Tensors

/// Self-calibration on synthetic samplers whose spread is known: z = m + e with e ~ N(0, T) per
/// dimension, samples m + s·ε. s² = T is calibrated (expected 1); collapsed samples (s = 0) give
/// (k+1)/(2k); s² = 2T gives (T + 2T) / (2·k/(k+1)·(2T/k + T)).
final class SelfCalibrationTests: XCTestCase {
    func measure(spread s: Double, k: Int = 8, inputs: Int = 4000, d: Int = 16) -> Double {
        var rng = Xoshiro256(seed: 3)
        var squared = 0.0, meanSquared = 0.0
        for _ in 0..<inputs {
            for _ in 0..<d {
                let m = Double(rng.nextNormal()), z = m + Double(rng.nextNormal())  // T = 1
                var sum = 0.0
                for _ in 0..<k {
                    let v = m + s * Double(rng.nextNormal())
                    squared += (v - z) * (v - z); sum += v
                }
                meanSquared += (sum / Double(k) - z) * (sum / Double(k) - z)
            }
        }
        return SampleStatistics.selfCalibration(sampleSquaredError: squared / Double(inputs * k),
                                                sampleMeanSquaredError: meanSquared / Double(inputs), samples: k)
    }

    /// [1, 2, 3, 4]: variance (n − 1) 5/3, standard error √(5/3)/2 = 0.6454972243679028 (by hand).
    func testStandardErrorOfTheMean() {
        XCTAssertEqual(SampleStatistics.standardError([1, 2, 3, 4]), 0.6454972243679028, accuracy: 1e-15)
        XCTAssertEqual(SampleStatistics.standardError([5, 5, 5]), 0)
        XCTAssertTrue(SampleStatistics.standardError([1]).isNaN)
    }

    func testCalibratedSamplerGivesOne() {
        XCTAssertEqual(measure(spread: 1), 1, accuracy: 0.03)
    }

    func testCollapsedAndOverSpreadSamplersAreFlagged() {
        XCTAssertEqual(measure(spread: 0), 9.0 / 16.0, accuracy: 0.02)
        XCTAssertEqual(measure(spread: 2.0.squareRoot()), 3.0 / (2 * 8.0 / 9.0 * (2.0 / 8.0 + 1)), accuracy: 0.04)
    }
}
