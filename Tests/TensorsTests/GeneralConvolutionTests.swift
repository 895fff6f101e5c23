import XCTest
@testable import Tensors
import CDNNL

/// The inference convolutions, on oneDNN and on the reference kernels, against plain loops
/// written here from the definitions, on many shapes: asymmetric pads, groups, depthwise,
/// dilation, per-axis strides.
final class GeneralConvolutionTests: XCTestCase {
    /// Direct convolution: out[n, o, y, x] = b[o] + Σ_{c in o's group, ky, kx} x[n, c, y·s − pb + ky·d, …] · w[o, c', ky, kx].
    static func directConvolution(_ x: Tensor, _ w: Tensor, _ b: Tensor?, strides: (Int, Int), padsBegin: (Int, Int),
                                  padsEnd: (Int, Int), dilations: (Int, Int), groups: Int) -> Tensor {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let oh = (h + padsBegin.0 + padsEnd.0 - dilations.0 * (kh - 1) - 1) / strides.0 + 1
        let ow = (wd + padsBegin.1 + padsEnd.1 - dilations.1 * (kw - 1) - 1) / strides.1 + 1
        let og = o / groups
        let xs = x.scalars, ws = w.scalars, bs = b?.scalars
        var out = [Float](repeating: 0, count: n * o * oh * ow)
        for i in 0..<n {
            for oc in 0..<o {
                let g = oc / og
                for y in 0..<oh {
                    for xx in 0..<ow {
                        var s: Double = Double(bs?[oc] ?? 0)
                        for ci in 0..<cg {
                            let ch = g * cg + ci
                            for ky in 0..<kh {
                                let iy = y * strides.0 - padsBegin.0 + ky * dilations.0
                                guard iy >= 0 && iy < h else { continue }
                                for kx in 0..<kw {
                                    let ix = xx * strides.1 - padsBegin.1 + kx * dilations.1
                                    guard ix >= 0 && ix < wd else { continue }
                                    s += Double(xs[((i * c + ch) * h + iy) * wd + ix]) * Double(ws[((oc * cg + ci) * kh + ky) * kw + kx])
                                }
                            }
                        }
                        out[((i * o + oc) * oh + y) * ow + xx] = Float(s)
                    }
                }
            }
        }
        _ = c
        return Tensor(shape: [n, o, oh, ow], scalars: out)
    }

    /// Direct transposed convolution: every input pixel scatters its weighted kernel into the output.
    static func directTransposed(_ x: Tensor, _ w: Tensor, _ b: Tensor?, strides: (Int, Int), padsBegin: (Int, Int),
                                 padsEnd: (Int, Int), outputPadding: (Int, Int), dilations: (Int, Int), groups: Int) -> Tensor {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (og, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let o = og * groups, cg = c / groups
        let oh = (h - 1) * strides.0 - padsBegin.0 - padsEnd.0 + dilations.0 * (kh - 1) + outputPadding.0 + 1
        let ow = (wd - 1) * strides.1 - padsBegin.1 - padsEnd.1 + dilations.1 * (kw - 1) + outputPadding.1 + 1
        let xs = x.scalars, ws = w.scalars
        var out = [Double](repeating: 0, count: n * o * oh * ow)
        for i in 0..<n {
            for ch in 0..<c {
                let g = ch / cg
                for y in 0..<h {
                    for xx in 0..<wd {
                        let v = Double(xs[((i * c + ch) * h + y) * wd + xx])
                        for oi in 0..<og {
                            let oc = g * og + oi
                            for ky in 0..<kh {
                                let ty = y * strides.0 - padsBegin.0 + ky * dilations.0
                                guard ty >= 0 && ty < oh else { continue }
                                for kx in 0..<kw {
                                    let tx = xx * strides.1 - padsBegin.1 + kx * dilations.1
                                    guard tx >= 0 && tx < ow else { continue }
                                    out[((i * o + oc) * oh + ty) * ow + tx] += v * Double(ws[((ch * og + oi) * kh + ky) * kw + kx])
                                }
                            }
                        }
                    }
                }
            }
        }
        if let b {
            let bs = b.scalars
            for i in 0..<n { for oc in 0..<o { for p in 0..<(oh * ow) { out[(i * o + oc) * oh * ow + p] += Double(bs[oc]) } } }
        }
        return Tensor(shape: [n, o, oh, ow], scalars: out.map { Float($0) })
    }

    struct Case {
        let n, c, h, w, o, kh, kw: Int
        var strides = (1, 1), padsBegin = (0, 0), padsEnd = (0, 0), dilations = (1, 1), groups = 1, bias = true
    }

    static let convolutionCases: [Case] = [
        Case(n: 2, c: 3, h: 9, w: 7, o: 4, kh: 3, kw: 3),
        Case(n: 1, c: 8, h: 8, w: 8, o: 16, kh: 3, kw: 3, padsBegin: (1, 1), padsEnd: (1, 1)),
        Case(n: 3, c: 16, h: 10, w: 12, o: 32, kh: 3, kw: 3, strides: (2, 2), padsBegin: (1, 0), padsEnd: (0, 2)),
        Case(n: 2, c: 6, h: 11, w: 9, o: 4, kh: 5, kw: 3, strides: (2, 1), padsBegin: (2, 1), padsEnd: (1, 0), dilations: (1, 2), bias: false),
        Case(n: 2, c: 8, h: 12, w: 12, o: 8, kh: 3, kw: 3, padsBegin: (2, 2), padsEnd: (2, 2), dilations: (2, 2), groups: 2),
        Case(n: 2, c: 16, h: 7, w: 7, o: 16, kh: 3, kw: 3, padsBegin: (1, 1), padsEnd: (1, 1), groups: 16),             // depthwise
        Case(n: 2, c: 16, h: 14, w: 14, o: 16, kh: 5, kw: 5, strides: (2, 2), padsBegin: (2, 2), padsEnd: (2, 2), groups: 16),
        Case(n: 1, c: 12, h: 6, w: 5, o: 24, kh: 3, kw: 3, padsBegin: (0, 1), padsEnd: (1, 1), groups: 12),            // multiplier 2
        Case(n: 4, c: 24, h: 5, w: 5, o: 12, kh: 1, kw: 1),                                                           // pointwise
        Case(n: 2, c: 32, h: 8, w: 8, o: 64, kh: 1, kw: 1, strides: (2, 2), groups: 4),
        Case(n: 1, c: 3, h: 31, w: 29, o: 8, kh: 7, kw: 7, strides: (2, 2), padsBegin: (3, 3), padsEnd: (3, 3)),     // stem
        Case(n: 2, c: 64, h: 8, w: 8, o: 64, kh: 3, kw: 3, padsBegin: (2, 2), padsEnd: (2, 2), dilations: (2, 2)),
        Case(n: 1, c: 5, h: 4, w: 4, o: 3, kh: 4, kw: 4, padsEnd: (1, 0)),
        Case(n: 1, c: 4, h: 1, w: 1, o: 2, kh: 1, kw: 1),
    ]

    /// A case's random input, weights and bias, and the direct loops' output for them.
    static func inputsAndDirectResult(_ t: Case, rng: inout Xoshiro256) -> (x: Tensor, w: Tensor, b: Tensor?, direct: Tensor) {
        let x = Tensor.normal([t.n, t.c, t.h, t.w], rng: &rng)
        let w = Tensor.normal([t.o, t.c / t.groups, t.kh, t.kw], std: 0.3, rng: &rng)
        let b = t.bias ? Tensor.normal([t.o], rng: &rng) : nil
        return (x, w, b, directConvolution(x, w, b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                           dilations: t.dilations, groups: t.groups))
    }

    func testConvolutionMatchesDirectLoops() {
        var rng = Xoshiro256(seed: 11)
        for (i, t) in Self.convolutionCases.enumerated() {
            let x = Tensor.normal([t.n, t.c, t.h, t.w], rng: &rng)
            let w = Tensor.normal([t.o, t.c / t.groups, t.kh, t.kw], std: 0.3, rng: &rng)
            let b = t.bias ? Tensor.normal([t.o], rng: &rng) : nil
            let y = Tensor.convolution2d(x, weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                         dilations: t.dilations, groups: t.groups)
            let reference = Self.directConvolution(x, w, b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                                   dilations: t.dilations, groups: t.groups)
            assertRelativelyClose(y, reference, "case \(i) \(t)", tolerance: 1e-4)
        }
    }

    /// With oneDNN turned off, the same calls run on the reference kernels: every convolution
    /// and transposed case against the direct loops, in both layouts, with and without a fused
    /// activation, and a first layer reading channels-first and writing channels-last.
    func testTheReferenceMatchesDirectLoops() {
        var rng = Xoshiro256(seed: 18)
        ExecutionContext.current.with(\.convolutionsOnDNNL, false).run {
            for (i, t) in Self.convolutionCases.enumerated() {
                let (x, w, b, reference) = Self.inputsAndDirectResult(t, rng: &rng)
                let plain = Tensor.convolution2d(x, weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                                 dilations: t.dilations, groups: t.groups)
                assertRelativelyClose(plain, reference, "reference case \(i) \(t)", tolerance: 1e-4)
                let last = Tensor.convolution2d(x.channelsLast(), weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin,
                                                padsEnd: t.padsEnd, dilations: t.dilations, groups: t.groups, activation: .hardSwish,
                                                layout: .channelsLast)
                assertRelativelyClose(last.channelsFirst(), ConvolutionActivation.hardSwish.apply(reference),
                                      "reference case \(i) channels-last with HardSwish", tolerance: 1e-4)
                if t.groups == 1 {
                    let first = Tensor.convolution2d(x, weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                                     dilations: t.dilations, layout: .channelsLast, sourceLayout: .channelsFirst)
                    assertRelativelyClose(first.channelsFirst(), reference, "reference case \(i) as a first layer", tolerance: 1e-4)
                }
            }
            for (i, (t, outputPadding)) in Self.transposedCases.enumerated() {
                let x = Tensor.normal([t.n, t.c, t.h, t.w], rng: &rng)
                let w = Tensor.normal([t.c, t.o / t.groups, t.kh, t.kw], std: 0.3, rng: &rng)
                let b = t.bias ? Tensor.normal([t.o], rng: &rng) : nil
                let reference = Self.directTransposed(x, w, b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                                      outputPadding: outputPadding, dilations: t.dilations, groups: t.groups)
                let y = Tensor.convolutionTranspose2d(x, weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin,
                                                      padsEnd: t.padsEnd, outputPadding: outputPadding, dilations: t.dilations,
                                                      groups: t.groups, activation: .relu)
                assertRelativelyClose(y, reference.relu(), "reference transposed case \(i) \(t)", tolerance: 1e-4)
            }
        }
    }

    /// Channels-last maps in and out ([N, H, W, C], no reorders inside): every case against the
    /// direct loops, with and without a fused activation and cached weights, and the transposed
    /// cases too.
    func testChannelsLastConvolutionsMatchDirectLoops() {
        var rng = Xoshiro256(seed: 15)
        let cache = ConvolutionWeightCache()
        for (i, t) in Self.convolutionCases.enumerated() {
            let (x, w, b, reference) = Self.inputsAndDirectResult(t, rng: &rng)
            for activation in [nil, ConvolutionActivation.relu] {
                let y = Tensor.convolution2d(x.channelsLast(), weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin,
                                             padsEnd: t.padsEnd, dilations: t.dilations, groups: t.groups, activation: activation,
                                             weightCache: cache, layout: .channelsLast)
                XCTAssertEqual(y.shape, FeatureMapLayout.channelsLast.storageShape(reference.shape), "case \(i)")
                let shape = ConvolutionShape(batch: t.n, inChannels: t.c, height: t.h, width: t.w, outChannels: t.o,
                                            outHeight: reference.shape[2], outWidth: reference.shape[3], kernel: (t.kh, t.kw),
                                            strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd, dilations: t.dilations,
                                            groups: t.groups, hasBias: b != nil, transposed: false, layout: .channelsLast)
                let implementation = shape.inference(threads: DNNL.threads, activation: activation).0.implementation
                XCTAssertFalse(implementation.hasPrefix("ref"), "case \(i) runs on \(implementation)")
                assertRelativelyClose(y.channelsFirst(), activation?.apply(reference) ?? reference, "case \(i) \(t) \(String(describing: activation))",
                                      tolerance: 1e-4)
            }
        }
        for (i, (t, outputPadding)) in Self.transposedCases.enumerated() {
            let x = Tensor.normal([t.n, t.c, t.h, t.w], rng: &rng)
            let w = Tensor.normal([t.c, t.o / t.groups, t.kh, t.kw], std: 0.3, rng: &rng)
            let b = t.bias ? Tensor.normal([t.o], rng: &rng) : nil
            let y = Tensor.convolutionTranspose2d(x.channelsLast(), weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin,
                                                  padsEnd: t.padsEnd, outputPadding: outputPadding, dilations: t.dilations,
                                                  groups: t.groups, layout: .channelsLast)
            let reference = Self.directTransposed(x, w, b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                                  outputPadding: outputPadding, dilations: t.dilations, groups: t.groups)
            assertRelativelyClose(y.channelsFirst(), reference, "transposed case \(i) \(t)", tolerance: 1e-4)
        }
    }

    /// A first layer reads x channels-first and writes channels-last: with 16 output channels
    /// (MobileNetV3's stem) straight from oneDNN's first-layer kernel, with no reorder of x or
    /// the output; with other channel counts through reorders. Every case against direct loops.
    func testFirstLayerReadsChannelsFirstAndWritesChannelsLast() {
        var rng = Xoshiro256(seed: 17)
        let cases: [(n: Int, c: Int, h: Int, o: Int, k: Int, stride: Int, pad: Int, bias: Bool, activation: ConvolutionActivation?)] = [
            (3, 3, 23, 16, 3, 2, 1, true, .hardSwish), (2, 3, 16, 16, 3, 1, 1, false, nil), (2, 1, 9, 16, 5, 1, 2, true, .relu),
            (2, 4, 12, 16, 3, 2, 0, true, nil),
            (2, 3, 16, 8, 3, 2, 1, true, nil), (2, 3, 16, 32, 3, 1, 1, true, .relu), (2, 16, 8, 16, 3, 1, 1, false, nil)]
        let cache = ConvolutionWeightCache()
        for (i, t) in cases.enumerated() {
            let x = Tensor.normal([t.n, t.c, t.h, t.h], rng: &rng), w = Tensor.normal([t.o, t.c, t.k, t.k], std: 0.3, rng: &rng)
            let b = t.bias ? Tensor.normal([t.o], rng: &rng) : nil
            let pads = (t.pad, t.pad), strides = (t.stride, t.stride)
            let reference = Self.directConvolution(x, w, b, strides: strides, padsBegin: pads, padsEnd: pads, dilations: (1, 1), groups: 1)
            let y = Tensor.convolution2d(x, weight: w, bias: b, strides: strides, padsBegin: pads, padsEnd: pads, activation: t.activation,
                                         weightCache: cache, layout: .channelsLast, sourceLayout: .channelsFirst)
            XCTAssertEqual(y.shape, FeatureMapLayout.channelsLast.storageShape(reference.shape), "case \(i)")
            assertRelativelyClose(y.channelsFirst(), t.activation?.apply(reference) ?? reference, "case \(i) \(t)", tolerance: 1e-4)
            let shape = ConvolutionShape(batch: t.n, inChannels: t.c, height: t.h, width: t.h, outChannels: t.o,
                                        outHeight: reference.shape[2], outWidth: reference.shape[3], kernel: (t.k, t.k), strides: strides,
                                        padsBegin: pads, padsEnd: pads, dilations: (1, 1), groups: 1, hasBias: t.bias, transposed: false,
                                        layout: .channelsLast, sourceLayout: .channelsFirst)
            let primitive = shape.inference(threads: DNNL.threads, activation: t.activation).0
            XCTAssertFalse(primitive.implementation.hasPrefix("ref"), "case \(i) runs on \(primitive.implementation)")
            if Tensor.convolutionRelaysDirectly(inChannels: t.c, outChannels: t.o, groups: 1) {
                let relaid = primitive.arguments.filter { ($0.index == DNNL_ARG_SRC || $0.index == DNNL_ARG_DST) && $0.reorder != nil }
                XCTAssertTrue(relaid.isEmpty, "case \(i): x or the output is reordered (\(primitive.implementation))")
            }
        }
    }

    /// The layout reorders are the permutations they stand for, on one thread and split across
    /// two (large maps), and undo each other.
    func testLayoutReordersArePermutations() {
        var rng = Xoshiro256(seed: 16)
        for shape in [[2, 3, 5, 7], [1, 1, 1, 1], [3, 40, 64, 64]] {
            let x = Tensor.normal(shape, rng: &rng)
            let last = x.channelsLast()
            XCTAssertEqual(last.shape, [shape[0], shape[2], shape[3], shape[1]])
            XCTAssertEqual(last.scalars, x.permuted([0, 2, 3, 1]).scalars, "\(shape)")
            XCTAssertEqual(last.channelsFirst().scalars, x.scalars, "\(shape)")
        }
    }

    func testConvolutionMatchesConv2dWhereTheyOverlap() {
        var rng = Xoshiro256(seed: 12)
        for (stride, padding, dilation) in [(1, 1, 1), (2, 1, 1), (1, 2, 2), (2, 0, 1)] {
            let x = Tensor.normal([3, 32, 16, 16], rng: &rng)
            let w = Tensor.normal([48, 32, 3, 3], std: 0.1, rng: &rng), b = Tensor.normal([48], rng: &rng)
            let y = Tensor.convolution2d(x, weight: w, bias: b, strides: (stride, stride), padsBegin: (padding, padding),
                                         padsEnd: (padding, padding), dilations: (dilation, dilation))
            let old = Tensor.conv2d(x, weight: w, bias: b, stride: stride, padding: padding, dilation: dilation)
            assertRelativelyClose(y, old, "stride \(stride) padding \(padding) dilation \(dilation)", tolerance: 1e-4)
        }
    }

    static let transposedCases: [(Case, (Int, Int))] = [
        (Case(n: 2, c: 4, h: 5, w: 6, o: 3, kh: 3, kw: 3), (0, 0)),
        (Case(n: 2, c: 8, h: 4, w: 4, o: 6, kh: 4, kw: 4, strides: (2, 2), padsBegin: (1, 1), padsEnd: (1, 1)), (0, 0)),
        (Case(n: 1, c: 6, h: 5, w: 3, o: 4, kh: 3, kw: 3, strides: (2, 2), padsBegin: (1, 1), padsEnd: (1, 1)), (1, 1)),
        (Case(n: 2, c: 6, h: 4, w: 5, o: 9, kh: 3, kw: 2, strides: (3, 2), padsBegin: (0, 1), padsEnd: (2, 0), groups: 3, bias: false), (2, 1)),
        (Case(n: 1, c: 4, h: 6, w: 6, o: 4, kh: 3, kw: 3, padsBegin: (2, 2), padsEnd: (2, 2), dilations: (2, 2), groups: 4), (0, 0)),
        (Case(n: 2, c: 16, h: 8, w: 8, o: 8, kh: 2, kw: 2, strides: (2, 2)), (0, 0)),
    ]

    func testTransposedConvolutionMatchesDirectLoops() {
        var rng = Xoshiro256(seed: 13)
        for (i, (t, outputPadding)) in Self.transposedCases.enumerated() {
            let x = Tensor.normal([t.n, t.c, t.h, t.w], rng: &rng)
            let w = Tensor.normal([t.c, t.o / t.groups, t.kh, t.kw], std: 0.3, rng: &rng)
            let b = t.bias ? Tensor.normal([t.o], rng: &rng) : nil
            let y = Tensor.convolutionTranspose2d(x, weight: w, bias: b, strides: t.strides, padsBegin: t.padsBegin,
                                                  padsEnd: t.padsEnd, outputPadding: outputPadding, dilations: t.dilations,
                                                  groups: t.groups)
            let reference = Self.directTransposed(x, w, b, strides: t.strides, padsBegin: t.padsBegin, padsEnd: t.padsEnd,
                                                  outputPadding: outputPadding, dilations: t.dilations, groups: t.groups)
            assertRelativelyClose(y, reference, "case \(i) \(t) output padding \(outputPadding)", tolerance: 1e-4)
        }
    }

    func testTransposedConvolutionMatchesConvTranspose2d() {
        var rng = Xoshiro256(seed: 14)
        let x = Tensor.normal([2, 16, 6, 6], rng: &rng)
        let w = Tensor.normal([16, 8, 4, 4], std: 0.2, rng: &rng), b = Tensor.normal([8], rng: &rng)
        let y = Tensor.convolutionTranspose2d(x, weight: w, bias: b, strides: (2, 2), padsBegin: (1, 1), padsEnd: (1, 1))
        let old = Tensor.convTranspose2d(x, weight: w, bias: b, stride: 2, padding: 1)
        assertRelativelyClose(y, old, "4×4 stride 2", tolerance: 1e-4)
    }

    func testPrimitivesAreCachedAndWorkerCountsAgree() {
        var rng = Xoshiro256(seed: 17)
        // 9.4 M multiply-adds: above the size from which calls use more than one thread.
        let x = Tensor.normal([8, 16, 16, 16], rng: &rng), w = Tensor.normal([32, 16, 3, 3], std: 0.1, rng: &rng)
        XCTAssertGreaterThan(8 * 32 * 16 * 16 * 16 * 9, ConvolutionShape.parallelMultiplyAdds)
        func convolution() -> Tensor { Tensor.convolution2d(x, weight: w, bias: nil, padsBegin: (1, 1), padsEnd: (1, 1)) }
        let reference = onWorkers(1, convolution)
        let before = DNNLCache.count
        _ = onWorkers(1, convolution)
        XCTAssertEqual(DNNLCache.count, before, "the same shape made a new primitive")
        for workers in [2, 3] {
            assertRelativelyClose(onWorkers(workers, convolution), reference, "\(workers) workers", tolerance: 1e-5)
        }
        var results = [Tensor?](repeating: nil, count: 4)
        let lock = NSLock()
        onWorkers(2) {
            Parallel.jobs(4) { j in
                let y = convolution()
                lock.lock(); results[j] = y; lock.unlock()
            }
        }
        for j in 0..<4 { assertRelativelyClose(results[j]!, reference, "job \(j)", tolerance: 1e-5) }
    }
}
