import XCTest
@testable import Tensors

/// The inference convolution's fused activations (oneDNN post-ops) and its cache of reordered
/// frozen weights.
final class InferenceConvolutionTests: XCTestCase {
    private static func largest(_ t: Tensor) -> Float { t.scalars.map(abs).max() ?? 0 }

    private static func difference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }

    /// Every activation, on a dense, a strided depthwise and a transposed-free 1×1 convolution,
    /// gives the convolution followed by the activation as separate tensor operations.
    func testFusedActivationsEqualSeparateOnes() {
        var rng = Xoshiro256(seed: 7)
        let activations: [ConvolutionActivation] = [.relu, .hardSwish, .hardSigmoid(alpha: 1 / 6, beta: 0.5),
                                                    .hardSigmoid(alpha: 0.2, beta: 0.4), .clip(low: 0, high: 6), .clip(low: -0.5, high: 0.25)]
        // (channels, outChannels, groups, stride, kernel)
        for (c, o, groups, stride, k) in [(5, 12, 1, 1, 3), (16, 16, 16, 2, 3), (24, 8, 1, 1, 1)] {
            let x = Tensor.uniform([2, c, 9, 11], rng: &rng) * 6 - 3
            let w = Tensor.uniform([o, c / groups, k, k], rng: &rng) - 0.5
            let b = Tensor.uniform([o], rng: &rng) - 0.5
            let pad = (k / 2, k / 2)
            let plain = Tensor.convolution2d(x, weight: w, bias: b, strides: (stride, stride), padsBegin: pad, padsEnd: pad, groups: groups)
            for activation in activations {
                let fused = Tensor.convolution2d(x, weight: w, bias: b, strides: (stride, stride), padsBegin: pad, padsEnd: pad,
                                                 groups: groups, activation: activation)
                let expected = activation.apply(plain)
                XCTAssertEqual(fused.shape, expected.shape)
                XCTAssertLessThanOrEqual(Self.difference(fused, expected), 1e-5 * max(Self.largest(expected), 1), "\(activation) \(c)→\(o) g\(groups)")
            }
        }
    }

    /// Cached weights give the same output as uncached ones, are reordered once per primitive,
    /// and a weight tensor written in place is not served from the cache (copy-on-write gives it
    /// new storage while the cache holds the old).
    func testWeightCacheNeverServesStaleWeights() {
        var rng = Xoshiro256(seed: 3)
        let x = Tensor.uniform([2, 16, 10, 10], rng: &rng)
        var w = Tensor.uniform([32, 16, 3, 3], rng: &rng) - 0.5
        let cache = ConvolutionWeightCache()
        let reference = Tensor.convolution2d(x, weight: w, bias: nil, padsBegin: (1, 1), padsEnd: (1, 1))
        for _ in 0..<3 {
            let cached = Tensor.convolution2d(x, weight: w, bias: nil, padsBegin: (1, 1), padsEnd: (1, 1), weightCache: cache)
            XCTAssertEqual(cached.scalars, reference.scalars)
        }
        XCTAssertEqual(cache.count, 1)
        w.withUnsafeMutableBufferPointer { for i in 0..<$0.count { $0[i] = -$0[i] } }
        let afterWrite = Tensor.convolution2d(x, weight: w, bias: nil, padsBegin: (1, 1), padsEnd: (1, 1), weightCache: cache)
        let negated = reference.scalars.map { -$0 }
        XCTAssertLessThanOrEqual(zip(afterWrite.scalars, negated).map { abs($0 - $1) }.max()!, 1e-5 * Self.largest(reference))
        XCTAssertEqual(cache.count, 2)
    }
}
