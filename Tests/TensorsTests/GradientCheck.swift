import XCTest
@testable import Tensors

/// Compares the tape's gradients with central finite differences.
///
/// The scalar under test is Σ f(inputs) ⊙ R for a fixed random R, so every output element
/// matters. Differences are taken in Float32 with step `eps`; up to `maxProbes` elements of each
/// input are probed (all of them for small inputs).
func assertGradientsMatch(_ inputs: [Tensor], eps: Float = 1e-2, tolerance: Float = 2e-2, maxProbes: Int = 48,
                          seed: UInt64 = 99, file: StaticString = #filePath, line: UInt = #line,
                          _ f: ([Tensor]) -> Tensor) {
    var rng = Xoshiro256(seed: seed)
    let leaves = inputs.map { $0.requiringGrad() }
    let out = f(leaves)
    let weights = Tensor.normal(out.shape, rng: &rng)
    (out * weights).sum().backward()

    func loss(_ xs: [Tensor]) -> Double {
        Autograd.withoutGradients {
            let y = f(xs)
            var s: Double = 0
            for i in 0..<y.count { s += Double(y[flat: i]) * Double(weights[flat: i]) }
            return s
        }
    }

    for (k, input) in inputs.enumerated() {
        guard let analytic = leaves[k].grad else {
            XCTFail("input \(k) got no gradient", file: file, line: line); continue
        }
        XCTAssertEqual(analytic.shape, input.shape, file: file, line: line)
        var probes = Array(0..<input.count)
        if probes.count > maxProbes { probes = Array(rng.permutation(input.count).prefix(maxProbes)) }
        for idx in probes {
            var plus = inputs, minus = inputs
            plus[k].withUnsafeMutableBufferPointer { $0[idx] += eps }
            minus[k].withUnsafeMutableBufferPointer { $0[idx] -= eps }
            let numeric = Float((loss(plus) - loss(minus)) / Double(2 * eps))
            let a = analytic[flat: idx]
            let err = abs(a - numeric) / max(1, abs(numeric), abs(a))
            if err > tolerance {
                XCTFail("input \(k) element \(idx): analytic \(a) vs numeric \(numeric)", file: file, line: line)
                return
            }
        }
    }
}

func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, rng: &rng)
}

/// Values kept at least `gap` away from 0, so kinks (ReLU, |x|, max) are not probed.
func awayFromZero(_ shape: [Int], seed: UInt64, gap: Float = 0.1) -> Tensor {
    var t = randomTensor(shape, seed: seed)
    t.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = b[i] >= 0 ? b[i] + gap : b[i] - gap } }
    return t
}

/// Values that differ pairwise by at least 0.05, so a finite-difference step never changes
/// which element wins a max.
func distinctValues(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    let n = Tensor.count(of: shape)
    return Tensor(shape: shape, scalars: rng.permutation(n).map { Float($0) * 0.05 - Float(n) * 0.025 })
}
