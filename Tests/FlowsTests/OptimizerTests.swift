import Foundation
import XCTest
@testable import Flows
import NN
import Tensors

/// `FusedAdam` and `GradientNorm` against NN's reference implementations.
final class OptimizerTests: XCTestCase {
    private func model(seed: UInt64) -> Sequential {
        var rng = Xoshiro256(seed: seed)
        return Sequential(Linear(300, 400, rng: &rng), LeakyReLU(0.2), Linear(400, 3, rng: &rng))
    }

    func testFusedAdamMatchesNNAdam() {
        for amsgrad in [true, false] {
            let a = model(seed: 1), b = model(seed: 1)
            let reference = Adam(a.trainableParameters, learningRate: 1e-2, betas: (0.5, 0.9), amsgrad: amsgrad)
            let fused = FusedAdam(b.trainableParameters, learningRate: 1e-2, betas: (0.5, 0.9), amsgrad: amsgrad)
            var rng = Xoshiro256(seed: 2)
            for _ in 0..<5 {
                let x = Tensor.normal([16, 300], rng: &rng)
                for (m, opt) in [(a, reference as Optimizer), (b, fused as Optimizer)] {
                    m(x).squared().mean().backward()
                    opt.step()
                    opt.zeroGrad()
                }
            }
            for ((key, p), (_, q)) in zip(a.namedParameters(), b.namedParameters()) {
                let d = maxAbsDifference(p.value, q.value)
                XCTAssertLessThan(d, 1e-5, "\(key), amsgrad \(amsgrad)")
            }
            // Both moved the weights (more than rounding).
            XCTAssertGreaterThan(maxAbsDifference(a.namedParameters()[0].1.value, model(seed: 1).namedParameters()[0].1.value), 1e-3)
        }
    }

    func testGradientNormMatchesNNClipping() {
        let a = model(seed: 3), b = model(seed: 3)
        var rng = Xoshiro256(seed: 4)
        let x = Tensor.normal([8, 300], rng: &rng)
        a(x).squared().sum().backward()
        b(x).squared().sum().backward()
        let reference = GradientClipping.clipNorm(a.trainableParameters, maxNorm: 0.1)
        let ours = GradientNorm.clip(b.trainableParameters, maxNorm: 0.1)
        XCTAssertEqual(ours, reference, accuracy: 1e-5 * reference)
        for ((_, p), (_, q)) in zip(a.namedParameters(), b.namedParameters()) {
            XCTAssertLessThan(maxAbsDifference(p.grad!, q.grad!), 1e-6)
        }
        // A NaN gradient gives a non-finite norm and scales nothing.
        let c = model(seed: 3)
        var bad = x.scalars; bad[0] = .nan
        c(Tensor(shape: x.shape, scalars: bad)).sum().backward()
        XCTAssertFalse(GradientNorm.clip(c.trainableParameters, maxNorm: 1).isFinite)
    }

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
}
