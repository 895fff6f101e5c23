import XCTest
@testable import Tensors

/// `conv2d` and `convTranspose2d` on oneDNN (the default) against the reference (im2col)
/// kernels, both against finite differences, and across worker counts.
final class DNNLTrainingConvolutionTests: XCTestCase {
    private func withDNNL<R>(_ on: Bool, _ body: () -> R) -> R {
        ExecutionContext.current.with(\.convolutionsOnDNNL, on).run(body)
    }

    /// (N, C, H, W, O, kernel, stride, padding, dilation): the models' shapes at small batches
    /// (the autoencoder's 4×4 stride-2 layers, 3×3 "same", dilated ASPP, RGB in and out), 1×1,
    /// odd sizes, no padding.
    static let cases: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (3, 32, 16, 16, 32, 3, 1, 1, 1), (2, 32, 16, 16, 64, 4, 2, 1, 1), (2, 64, 8, 8, 64, 3, 1, 2, 2),
        (2, 3, 12, 12, 16, 3, 1, 1, 1), (2, 16, 12, 12, 3, 3, 1, 1, 1), (3, 24, 7, 9, 40, 1, 1, 0, 1),
        (2, 8, 11, 13, 12, 5, 2, 0, 1), (1, 128, 8, 8, 64, 3, 1, 1, 1), (2, 16, 9, 9, 8, 3, 2, 1, 2),
    ]

    func testMatchesTheReference() {
        var rng = Xoshiro256(seed: 31)
        for (i, c) in Self.cases.enumerated() {
            let (n, ch, h, w, o, k, s, p, d) = c
            let x = Tensor.normal([n, ch, h, w], rng: &rng)
            let wt = Tensor.normal([o, ch, k, k], std: 0.2, rng: &rng), b = Tensor.normal([o], rng: &rng)
            let dnnl = withDNNL(true) { convolutionGradients(x, wt, b, stride: s, padding: p, dilation: d) }
            let blas = withDNNL(false) { convolutionGradients(x, wt, b, stride: s, padding: p, dilation: d) }
            assertSameConvolution(dnnl, blas, "case \(i) \(c)")
        }
    }

    func testTransposedMatchesTheReference() {
        var rng = Xoshiro256(seed: 32)
        // (N, Cin, H, W, Cout, kernel, stride, padding, output padding, dilation)
        let cases: [(Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
            (2, 16, 8, 8, 8, 4, 2, 1, 0, 1), (2, 8, 5, 7, 4, 3, 2, 1, 1, 1), (1, 6, 6, 6, 5, 3, 1, 2, 0, 2), (2, 4, 4, 4, 3, 2, 2, 0, 0, 1),
        ]
        for (i, c) in cases.enumerated() {
            let (n, ci, h, w, co, k, s, p, op, d) = c
            let x = Tensor.normal([n, ci, h, w], rng: &rng)
            let wt = Tensor.normal([ci, co, k, k], std: 0.2, rng: &rng), b = Tensor.normal([co], rng: &rng)
            func run() -> ConvolutionGradients {
                let (xl, wl, bl) = (x.requiringGrad(), wt.requiringGrad(), b.requiringGrad())
                let y = Tensor.convTranspose2d(xl, weight: wl, bias: bl, stride: s, padding: p, outputPadding: op, dilation: d)
                var r = Xoshiro256(seed: 5)
                (y * Tensor.normal(y.shape, rng: &r)).sum().backward()
                return ConvolutionGradients(y: y.detached, gx: xl.grad!, gw: wl.grad!, gb: bl.grad!)
            }
            assertSameConvolution(withDNNL(true, run), withDNNL(false, run), "transposed case \(i) \(c)")
        }
    }

    func testFiniteDifferences() {
        var rng = Xoshiro256(seed: 33)
        for (s, p, d) in [(1, 1, 1), (2, 1, 1), (1, 2, 2), (2, 0, 1)] {
            let x = Tensor.normal([2, 3, 7, 7], rng: &rng), w = Tensor.normal([4, 3, 3, 3], std: 0.5, rng: &rng)
            let b = Tensor.normal([4], rng: &rng)
            for onDNNL in [true, false] {
                withDNNL(onDNNL) {
                    assertGradientsMatch([x, w, b]) { t in Tensor.conv2d(t[0], weight: t[1], bias: t[2], stride: s, padding: p, dilation: d) }
                }
            }
        }
        let x = Tensor.normal([2, 4, 4, 4], rng: &rng), w = Tensor.normal([4, 3, 4, 4], std: 0.5, rng: &rng)
        let b = Tensor.normal([3], rng: &rng)
        for onDNNL in [true, false] {
            withDNNL(onDNNL) {
                assertGradientsMatch([x, w, b]) { t in Tensor.convTranspose2d(t[0], weight: t[1], bias: t[2], stride: 2, padding: 1) }
            }
        }
    }

    /// Grouped and depthwise convolutions with asymmetric pads and per-axis strides, transposed
    /// ones too: the reference's forward and both gradient kernels against oneDNN's training
    /// primitives (the public `conv2d` has one group; the kernels take any shape).
    func testGroupedShapesMatchOneDNNsGradients() {
        var rng = Xoshiro256(seed: 36)
        let shapes = [
            ConvolutionShape(batch: 2, inChannels: 8, height: 9, width: 7, outChannels: 12, outHeight: 4, outWidth: 7, kernel: (3, 2),
                             strides: (2, 1), padsBegin: (1, 0), padsEnd: (0, 1), dilations: (1, 1), groups: 4, hasBias: true, transposed: false),
            ConvolutionShape(batch: 2, inChannels: 6, height: 6, width: 6, outChannels: 6, outHeight: 6, outWidth: 6, kernel: (3, 3),
                             strides: (1, 1), padsBegin: (2, 2), padsEnd: (2, 2), dilations: (2, 2), groups: 6, hasBias: true, transposed: false),
            ConvolutionShape(batch: 2, inChannels: 6, height: 4, width: 5, outChannels: 9, outHeight: 10, outWidth: 10, kernel: (3, 2),
                             strides: (3, 2), padsBegin: (0, 1), padsEnd: (2, 0), dilations: (1, 1), groups: 3, hasBias: true, transposed: true),
        ]
        for (i, shape) in shapes.enumerated() {
            let x = Tensor.normal(shape.sourceDims, rng: &rng), b = Tensor.normal([shape.outChannels], rng: &rng)
            let w = Tensor.normal(shape.transposed ? [shape.inChannels, shape.outChannels / shape.groups, shape.kernel.0, shape.kernel.1]
                                                   : [shape.outChannels, shape.inChannels / shape.groups, shape.kernel.0, shape.kernel.1],
                                  std: 0.3, rng: &rng)
            let g = Tensor.normal(shape.destinationDims, rng: &rng)
            func kernels(_ onDNNL: Bool) -> (Tensor, Tensor, Tensor) {
                let (out, backward) = onDNNL ? Tensor.onDNNL(shape, x: x, weight: w, bias: b) : Tensor.onReference(shape, x: x, weight: w, bias: b)
                return (out, backward.inputGradient(g), backward.weightGradient(g, false).weight)
            }
            let (dnnl, reference) = (kernels(true), kernels(false))
            assertRelativelyClose(reference.0, dnnl.0, "shape \(i) forward")
            assertRelativelyClose(reference.1, dnnl.1, "shape \(i) input gradient")
            assertRelativelyClose(reference.2, dnnl.2, "shape \(i) weight gradient")
        }
    }

    /// Forward and input gradient agree to rounding for 1, 2 and 3 workers and inside jobs;
    /// the weight gradient is summed over threads in a different order, so within rounding.
    func testWorkerCountsAgree() {
        var rng = Xoshiro256(seed: 34)
        let x = Tensor.normal([6, 32, 16, 16], rng: &rng)
        let w = Tensor.normal([64, 32, 4, 4], std: 0.1, rng: &rng), b = Tensor.normal([64], rng: &rng)
        let reference = onWorkers(1) { convolutionGradients(x, w, b, stride: 2, padding: 1, dilation: 1) }
        for workers in [2, 3] {
            assertSameConvolution(onWorkers(workers) { convolutionGradients(x, w, b, stride: 2, padding: 1, dilation: 1) }, reference,
                                  "\(workers) workers")
        }
        var results = [ConvolutionGradients?](repeating: nil, count: 3)
        let lock = NSLock()
        onWorkers(2) {
            Parallel.jobs(3) { j in
                let r = convolutionGradients(x, w, b, stride: 2, padding: 1, dilation: 1)
                lock.lock(); results[j] = r; lock.unlock()
            }
        }
        for j in 0..<3 { assertSameConvolution(results[j]!, reference, "job \(j)") }
    }

    /// Only the weight needs a gradient, or only the input: the other is not computed, and
    /// what is computed is right.
    func testPartialGradients() {
        var rng = Xoshiro256(seed: 35)
        let x = Tensor.normal([2, 8, 8, 8], rng: &rng), w = Tensor.normal([8, 8, 3, 3], std: 0.2, rng: &rng)
        let full = convolutionGradients(x, w, Tensor.zeros([8]), stride: 1, padding: 1, dilation: 1)
        let wl = w.requiringGrad()
        var r = Xoshiro256(seed: 5)
        let y = Tensor.conv2d(x, weight: wl, padding: 1)
        (y * Tensor.normal(y.shape, rng: &r)).sum().backward()
        assertRelativelyClose(wl.grad!, full.gw, "weight only")
        let xl = x.requiringGrad()
        r = Xoshiro256(seed: 5)
        let y2 = Tensor.conv2d(xl, weight: w, padding: 1)
        (y2 * Tensor.normal(y2.shape, rng: &r)).sum().backward()
        assertRelativelyClose(xl.grad!, full.gx, "input only")
    }
}
