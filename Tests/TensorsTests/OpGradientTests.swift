import XCTest
@testable import Tensors

/// Every differentiable op's backward against central finite differences.
final class OpGradientTests: XCTestCase {
    func testBroadcastingArithmetic() {
        let shapes: [([Int], [Int])] = [([2, 3], [2, 3]), ([2, 3, 4], [3, 1]), ([4], [2, 3, 4]), ([2, 1, 3], [1, 4, 1]), ([3], [])]
        for (i, (sa, sb)) in shapes.enumerated() {
            let a = randomTensor(sa, seed: UInt64(i)), b = randomTensor(sb, seed: UInt64(i + 10), low: 0.5, high: 1.5)
            assertGradientsMatch([a, b]) { $0[0] + $0[1] }
            assertGradientsMatch([a, b]) { $0[0] - $0[1] }
            assertGradientsMatch([a, b]) { $0[0] * $0[1] }
            assertGradientsMatch([a, b]) { $0[0] / $0[1] }
        }
        assertGradientsMatch([randomTensor([3, 2], seed: 1)]) { (-$0[0] + 2) * 3 - 1 / 2 }
        assertGradientsMatch([randomTensor([3, 2], seed: 1, low: 0.5, high: 2)]) { 2 / $0[0] - (1 - $0[0]) }
    }

    /// Broadcast products of maps large enough to be split across workers (channels-last maps
    /// times per-channel scales, NCHW maps times [C, 1, 1], stretched rows and columns) equal an
    /// elementwise loop over the NumPy indices, on 1, 2 and 3 workers.
    func testLargeBroadcastsMatchIndexLoopsOnEveryWorkerCount() {
        let shapes: [([Int], [Int])] = [([8, 28, 28, 96], [8, 1, 1, 96]), ([8, 96, 28, 28], [96, 1, 1]), ([300, 1, 200], [1, 700, 1]),
                                        ([1, 200], [900, 1]), ([64, 3, 50, 50], [50])]
        for (i, (sa, sb)) in shapes.enumerated() {
            let a = randomTensor(sa, seed: UInt64(20 + i)), b = randomTensor(sb, seed: UInt64(40 + i))
            let shape = Broadcast.shape(sa, sb)
            let ta = Broadcast.strides(of: sa, in: shape), tb = Broadcast.strides(of: sb, in: shape)
            let pa = a.scalars, pb = b.scalars
            var expected = [Float](repeating: 0, count: shape.reduce(1, *))
            for flat in expected.indices {
                var rest = flat, offA = 0, offB = 0
                for d in stride(from: shape.count - 1, through: 0, by: -1) {
                    let k = rest % shape[d]; rest /= shape[d]
                    offA += k * ta[d]; offB += k * tb[d]
                }
                expected[flat] = pa[offA] * pb[offB]
            }
            for workers in [1, 2, 3] {
                let got = onWorkers(workers) { a * b }
                XCTAssertEqual(got.shape, shape)
                XCTAssertEqual(got.scalars, expected, "\(sa) · \(sb) on \(workers) workers")
            }
        }
    }

    func testElementwiseFunctions() {
        let x = randomTensor([3, 4], seed: 2, low: -2, high: 2)
        let pos = randomTensor([3, 4], seed: 3, low: 0.5, high: 2)
        let kinky = awayFromZero([3, 4], seed: 4)
        assertGradientsMatch([x]) { $0[0].exp() }
        assertGradientsMatch([pos]) { $0[0].log() }
        assertGradientsMatch([pos]) { $0[0].sqrt() }
        assertGradientsMatch([x]) { $0[0].squared() }
        assertGradientsMatch([kinky]) { $0[0].abs() }
        assertGradientsMatch([kinky]) { $0[0].relu() }
        assertGradientsMatch([kinky]) { $0[0].leakyRelu(0.2) }
        assertGradientsMatch([x]) { $0[0].tanh() }
        assertGradientsMatch([x]) { $0[0].sigmoid() }
        assertGradientsMatch([x]) { $0[0].softplus() }
        assertGradientsMatch([kinky * 3]) { $0[0].clamped(-1.05, 1.05) }
    }

    func testReductions() {
        let x = randomTensor([2, 3, 4], seed: 5)
        assertGradientsMatch([x]) { $0[0].sum() }
        assertGradientsMatch([x]) { $0[0].sum(axes: [1]) }
        assertGradientsMatch([x]) { $0[0].sum(axes: [0, 2], keepDims: true) }
        assertGradientsMatch([x]) { $0[0].mean(axes: [-1]) }
        assertGradientsMatch([x]) { $0[0].mean() }
        assertGradientsMatch([distinctValues([2, 3, 4], seed: 23)]) { $0[0].max(axis: 1) }
        assertGradientsMatch([distinctValues([2, 3, 4], seed: 23)]) { $0[0].max(axis: 2, keepDims: true) }
    }

    func testLayoutOps() {
        let x = randomTensor([2, 3, 4], seed: 6)
        assertGradientsMatch([x]) { $0[0].reshaped([4, 6]) }
        assertGradientsMatch([x]) { $0[0].permuted([2, 0, 1]) }
        assertGradientsMatch([x]) { $0[0].transposed }
        assertGradientsMatch([x]) { $0[0].slice(axis: 1, 1..<3) }
        assertGradientsMatch([x]) { let p = $0[0].split(axis: 2, sizes: [1, 3]); return p[1] * 2 + p[0] }
        assertGradientsMatch([x]) { $0[0].chunked(2, axis: 2)[0] }
        assertGradientsMatch([x, randomTensor([2, 2, 4], seed: 7)]) { Tensor.concat($0, axis: 1) }
        assertGradientsMatch([x]) { $0[0].gather(axis: 1, indices: [2, 0, 2]) }
        assertGradientsMatch([randomTensor([3, 1], seed: 8)]) { $0[0].broadcast(to: [2, 3, 4]) }
    }

    func testMatrixProducts() {
        let a = randomTensor([3, 4], seed: 9), b = randomTensor([4, 5], seed: 10)
        assertGradientsMatch([a, b]) { Tensor.matmul($0[0], $0[1]) }
        assertGradientsMatch([a, randomTensor([5, 4], seed: 11)]) { Tensor.matmul($0[0], $0[1], transposeB: true) }
        assertGradientsMatch([randomTensor([4, 3], seed: 12), b]) { Tensor.matmul($0[0], $0[1], transposeA: true) }
        assertGradientsMatch([randomTensor([4, 3], seed: 13), randomTensor([5, 4], seed: 14)]) {
            Tensor.matmul($0[0], $0[1], transposeA: true, transposeB: true)
        }
        assertGradientsMatch([a, randomTensor([6, 4], seed: 15), randomTensor([6], seed: 16)]) {
            Tensor.linear($0[0], weight: $0[1], bias: $0[2])
        }
        assertGradientsMatch([a, randomTensor([6, 4], seed: 17)]) { Tensor.linear($0[0], weight: $0[1], bias: nil) }
    }

    func testConv2dCorners() {
        checkConv2dCorners()
    }

    /// The same cases with every column matrix rebuilt in backward instead of kept from forward.
    func testConv2dCornersWithoutKeptColumns() {
        ExecutionContext.current.with(\.keptColumnLimit, 0).run { checkConv2dCorners() }
    }

    private func checkConv2dCorners() {
        // (N, C, H, W, O, K, stride, padding, dilation): plain, strided, dilated, padded beyond the
        // kernel reach, pointwise, non-square input, and a batch large enough to be grouped;
        // strides 2 and 3 over widths that split into phases of unequal length, strided + dilated.
        let cases: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
            (2, 3, 5, 5, 4, 3, 1, 1, 1), (2, 2, 7, 6, 3, 3, 2, 1, 1), (1, 2, 7, 7, 2, 3, 1, 2, 2),
            (2, 2, 4, 4, 3, 1, 1, 0, 1), (1, 1, 5, 6, 2, 3, 2, 0, 1), (3, 2, 3, 3, 2, 2, 1, 1, 1),
            (5, 2, 4, 4, 3, 3, 1, 1, 1), (2, 2, 6, 6, 2, 4, 2, 1, 1), (3, 2, 4, 4, 3, 1, 2, 0, 1),
            (1, 2, 7, 8, 2, 3, 3, 1, 1), (1, 2, 9, 7, 2, 3, 2, 2, 2), (2, 1, 8, 9, 2, 4, 3, 2, 1),
            (1, 2, 3, 1, 2, 3, 1, 2, 2),  // "same" conv on a one-pixel-wide image: outer taps fall off
        ]
        for (i, c) in cases.enumerated() {
            let (n, ch, h, w, o, k, s, p, d) = c
            let x = randomTensor([n, ch, h, w], seed: UInt64(100 + i))
            let wt = randomTensor([o, ch, k, k], seed: UInt64(200 + i))
            let b = randomTensor([o], seed: UInt64(300 + i))
            assertGradientsMatch([x, wt, b]) { Tensor.conv2d($0[0], weight: $0[1], bias: $0[2], stride: s, padding: p, dilation: d) }
        }
    }

    /// Forward values against a direct sum over the kernel, for "same" convolutions at stride 1
    /// (the shifted-plane im2col path) and a few others; sizes include one-pixel-wide images and
    /// dilations whose taps fall entirely outside.
    func testConv2dMatchesDirectSum() {
        let cases: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [  // C, H, W, O, K, stride, padding, dilation
            (3, 8, 8, 4, 3, 1, 1, 1), (2, 5, 7, 3, 3, 1, 2, 2), (2, 4, 1, 2, 3, 1, 1, 1), (2, 3, 3, 2, 3, 1, 4, 4),
            (1, 6, 9, 2, 5, 1, 2, 1), (2, 7, 6, 3, 3, 2, 1, 1), (2, 6, 6, 2, 4, 1, 0, 1),
        ]
        for (i, cs) in cases.enumerated() {
            let (c, h, w, o, k, s, p, d) = cs
            let x = randomTensor([2, c, h, w], seed: UInt64(700 + i)), wt = randomTensor([o, c, k, k], seed: UInt64(800 + i))
            let y = Tensor.conv2d(x, weight: wt, stride: s, padding: p, dilation: d)
            let oh = (h + 2 * p - d * (k - 1) - 1) / s + 1, ow = (w + 2 * p - d * (k - 1) - 1) / s + 1
            XCTAssertEqual(y.shape, [2, o, oh, ow])
            let xs = x.scalars, ws = wt.scalars, ys = y.scalars
            for n in 0..<2 {
                for oc in 0..<o {
                    for yy in 0..<oh {
                        for xx in 0..<ow {
                            var sum: Float = 0
                            for ic in 0..<c {
                                for ky in 0..<k {
                                    for kx in 0..<k {
                                        let iy = yy * s - p + ky * d, ix = xx * s - p + kx * d
                                        guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                        sum += xs[((n * c + ic) * h + iy) * w + ix] * ws[((oc * c + ic) * k + ky) * k + kx]
                                    }
                                }
                            }
                            XCTAssertEqual(ys[((n * o + oc) * oh + yy) * ow + xx], sum, accuracy: 1e-5, "case \(i) at \(n),\(oc),\(yy),\(xx)")
                        }
                    }
                }
            }
        }
    }

    func testConvTranspose2d() {
        let cases: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [  // N, Cin, H, Cout, K, stride, padding, outputPadding
            (2, 3, 3, 2, 3, 1, 1, 0), (1, 2, 3, 3, 4, 2, 1, 0), (2, 2, 3, 2, 3, 2, 1, 1), (1, 2, 2, 2, 1, 1, 0, 0),
        ]
        for (i, c) in cases.enumerated() {
            let (n, ci, h, co, k, s, p, op) = c
            let x = randomTensor([n, ci, h, h], seed: UInt64(400 + i))
            let wt = randomTensor([ci, co, k, k], seed: UInt64(500 + i))
            let b = randomTensor([co], seed: UInt64(600 + i))
            assertGradientsMatch([x, wt, b]) {
                Tensor.convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: s, padding: p, outputPadding: op)
            }
        }
    }

    func testPoolingAndResize() {
        let x = randomTensor([2, 2, 6, 6], seed: 20)
        assertGradientsMatch([distinctValues([2, 2, 6, 6], seed: 22)]) { $0[0].maxPool2d(kernel: 2) }
        assertGradientsMatch([distinctValues([2, 2, 6, 6], seed: 22)]) { $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1) }
        assertGradientsMatch([x]) { $0[0].avgPool2d(kernel: 2) }
        assertGradientsMatch([x]) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1) }
        assertGradientsMatch([x]) { $0[0].globalAvgPool2d() }
        let small = randomTensor([1, 2, 3, 4], seed: 21)
        assertGradientsMatch([small]) { $0[0].resizedNearest(height: 6, width: 8) }
        assertGradientsMatch([small]) { $0[0].resizedNearest(height: 2, width: 3) }
        assertGradientsMatch([small]) { $0[0].resizedBilinear(height: 7, width: 9) }
        assertGradientsMatch([small]) { $0[0].resizedBilinear(height: 2, width: 2) }
    }

    func testBatchNormTraining() {
        let x = randomTensor([3, 2, 3, 3], seed: 30, low: -2, high: 3)
        let w = randomTensor([2], seed: 31, low: 0.5, high: 1.5), b = randomTensor([2], seed: 32)
        assertGradientsMatch([x, w, b], eps: 5e-3) { Tensor.batchNorm($0[0], weight: $0[1], bias: $0[2]).output }
        assertGradientsMatch([randomTensor([5, 3], seed: 33)], eps: 5e-3) { Tensor.batchNorm($0[0], weight: nil, bias: nil).output }
        assertGradientsMatch([x, w, b]) { Tensor.channelAffine($0[0], scale: $0[1], shift: $0[2]) }
        assertGradientsMatch([randomTensor([4, 3], seed: 34), w.gather(axis: 0, indices: [0, 1, 0]), randomTensor([3], seed: 35)]) {
            Tensor.channelAffine($0[0], scale: $0[1], shift: $0[2])
        }
    }

    /// Tensors big enough to be split over the workers give the same values and gradients as the
    /// single-threaded composition of broadcast ops (batch norm is checked in TorchReferenceTests).
    func testChannelAffineSplitOverWorkersMatchesBroadcastOps() {
        let x = randomTensor([8, 16, 32, 32], seed: 36).requiringGrad()
        let scale = randomTensor([16], seed: 37).requiringGrad(), shift = randomTensor([16], seed: 38).requiringGrad()
        let g = randomTensor([8, 16, 32, 32], seed: 39)
        let fused = Tensor.channelAffine(x, scale: scale, shift: shift)
        fused.backward(seed: g)
        let fusedGrads = [x.grad!, scale.grad!, shift.grad!]
        [x, scale, shift].forEach { $0.zeroGrad() }
        let composed = x * scale.reshaped([1, 16, 1, 1]) + shift.reshaped([1, 16, 1, 1])
        composed.backward(seed: g)
        XCTAssertEqual(fused.scalars, composed.scalars)
        for (a, b) in zip(fusedGrads, [x.grad!, scale.grad!, shift.grad!]) {
            XCTAssertEqual(a.shape, b.shape)
            for (u, v) in zip(a.scalars, b.scalars) { XCTAssertEqual(u, v, accuracy: 1e-3 * max(1, abs(v))) }
        }
    }

    func testSoftmaxAndLosses() {
        let logits = randomTensor([2, 4, 2, 3], seed: 40, low: -2, high: 2)
        assertGradientsMatch([logits]) { $0[0].logSoftmax() }
        assertGradientsMatch([logits]) { $0[0].softmax() }
        let targets = [0, 1, 2, 3, 3, 2, 1, 0, 0, 0, 2, 1]
        assertGradientsMatch([logits]) { Tensor.crossEntropy(logits: $0[0], targets: targets) }
        assertGradientsMatch([randomTensor([3, 5], seed: 41)]) { Tensor.crossEntropy(logits: $0[0], targets: [4, 0, 2]) }
        let a = randomTensor([2, 3], seed: 42), b = randomTensor([2, 3], seed: 43)
        assertGradientsMatch([a, b]) { Tensor.mse($0[0], $0[1]) }
        assertGradientsMatch([a, b + 3]) { Tensor.l1($0[0], $0[1]) }
        assertGradientsMatch([a, b]) { Tensor.gaussianKL(mean: $0[0], logVariance: $0[1]) }
    }
}
