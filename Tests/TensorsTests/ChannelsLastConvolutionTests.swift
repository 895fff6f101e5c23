import XCTest
@testable import Tensors

/// Convolutions of small maps through channels-last column matrices against the im2col path.
final class ChannelsLastConvolutionTests: XCTestCase {
    // These test the im2col / OpenBLAS routes, which conv2d takes only with oneDNN switched off.
    override func invokeTest() {
        ExecutionContext.current.with(\.convolutionsOnDNNL, false).run { super.invokeTest() }
    }

    /// (N, C, H, W, O, kernel, stride, padding, dilation)
    private typealias Case = (Int, Int, Int, Int, Int, Int, Int, Int, Int)

    private func run(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride: Int, padding: Int, dilation: Int,
                     channelsLast: Bool) -> ConvolutionGradients {
        ExecutionContext.current.with(\.channelsLastConvolutions, channelsLast).run {
            let geo = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3], kernelH: w.shape[2],
                                   kernelW: w.shape[3], stride: stride, padding: padding, dilation: dilation)
            XCTAssertEqual(geo.usesChannelsLast(outChannels: w.shape[0]), channelsLast,
                           "shape \(x.shape) × \(w.shape) should \(channelsLast ? "" : "not ")take the channels-last path")
            return convolutionGradients(x, w, b, stride: stride, padding: padding, dilation: dilation)
        }
    }

    private func inputs(_ c: Case, seed: UInt64) -> (x: Tensor, w: Tensor, b: Tensor) {
        let (n, ch, h, w, o, k, _, _, _) = c
        return (randomTensor([n, ch, h, w], seed: seed), randomTensor([o, ch, k, k], seed: seed + 1),
                randomTensor([o], seed: seed + 2))
    }

    /// Forward, input, weight and bias gradients equal im2col's within float rounding: with one
    /// and several groups (and a short last group), with the column matrices kept from the
    /// forward pass and rebuilt in the backward pass.
    func testMatchesIm2col() {
        let cases: [Case] = [
            (5, 128, 8, 8, 128, 4, 2, 1, 1),  // the autoencoder's 8×8 → 4×4 encoder layer
            (3, 64, 16, 16, 128, 4, 2, 1, 1), // its 16×16 → 8×8 layer
            (5, 128, 8, 8, 64, 3, 1, 1, 1),   // its first decoder layer
            (3, 64, 8, 8, 64, 3, 1, 2, 2),    // DeepLabLite's dilated 8×8 layers
            (2, 32, 7, 5, 40, 3, 1, 1, 1),    // non-square, Cin ≠ Cout
            (3, 32, 7, 7, 24, 5, 2, 0, 1),    // 5×5, stride 2, no padding, odd size
            (2, 48, 8, 8, 16, 1, 2, 0, 1),    // 1×1 at stride 2 (a shortcut)
        ]
        for (i, c) in cases.enumerated() {
            let (_, _, _, _, _, _, s, p, d) = c
            let (x, w, b) = inputs(c, seed: UInt64(10 * i + 1))
            let reference = run(x, w, b, stride: s, padding: p, dilation: d, channelsLast: false)
            for (groupColumns, keptLimit) in [(256, 8 << 20), (40, 8 << 20), (1, 0)] {
                let r = ExecutionContext.current.with(\.groupColumns, groupColumns).with(\.keptColumnLimit, keptLimit).run {
                    run(x, w, b, stride: s, padding: p, dilation: d, channelsLast: true)
                }
                assertSameConvolution(r, reference, "case \(i) group columns \(groupColumns) kept limit \(keptLimit)")
            }
        }
    }

    /// Forward and input gradient are the same bits whatever the number of workers: each group
    /// is one product on one thread.
    func testIndependentOfWorkers() {
        let c: Case = (20, 64, 16, 16, 128, 4, 2, 1, 1)
        let (x, w, b) = inputs(c, seed: 7)
        func gradients(_ workers: Int) -> ConvolutionGradients {
            onWorkers(workers) { run(x, w, b, stride: 2, padding: 1, dilation: 1, channelsLast: true) }
        }
        let one = gradients(1)
        for workers in [2, 3] {
            let r = gradients(workers)
            XCTAssertTrue(r.y.scalars == one.y.scalars, "forward differs with \(workers) workers")
            XCTAssertTrue(r.gx.scalars == one.gx.scalars, "input gradient differs with \(workers) workers")
            assertRelativelyClose(r.gw, one.gw, "weight gradient with \(workers) workers", tolerance: 1e-5)
        }
    }

    /// Which of the autoencoder's and DeepLabLite's convolutions take the channels-last path.
    func testRouting() {
        func routed(_ c: Int, _ h: Int, _ o: Int, kernel k: Int, stride s: Int, padding p: Int, dilation d: Int = 1) -> Bool {
            ConvGeometry(channels: c, height: h, width: h, kernelH: k, kernelW: k, stride: s, padding: p, dilation: d)
                .usesChannelsLast(outChannels: o)
        }
        // Autoencoder: the 8×8 and 4×4 outputs do, the 16×16 ones and the RGB layers do not.
        XCTAssertTrue(routed(128, 8, 128, kernel: 4, stride: 2, padding: 1))
        XCTAssertTrue(routed(64, 16, 128, kernel: 4, stride: 2, padding: 1))
        XCTAssertTrue(routed(128, 8, 64, kernel: 3, stride: 1, padding: 1))
        XCTAssertFalse(routed(32, 32, 64, kernel: 4, stride: 2, padding: 1))
        XCTAssertFalse(routed(3, 32, 32, kernel: 3, stride: 1, padding: 1))
        XCTAssertFalse(routed(64, 16, 64, kernel: 3, stride: 1, padding: 1))  // shifted products
        // 8×8 dilated layers do; 1×1 convolutions at stride 1 read the image as it is.
        XCTAssertTrue(routed(64, 8, 64, kernel: 3, stride: 1, padding: 2, dilation: 2))
        XCTAssertFalse(routed(64, 8, 64, kernel: 1, stride: 1, padding: 0))
        XCTAssertFalse(routed(16, 8, 64, kernel: 3, stride: 1, padding: 1))   // too few channels
    }

    /// Finite differences on small shapes that take the channels-last path (threshold lowered),
    /// at stride 2 and at dilation 2.
    func testGradientsByFiniteDifferences() {
        let lowered = ExecutionContext.current.with(\.channelsLastMinimumChannels, 1)
        for (i, c) in [(3, 3, 6, 7, 2, 4, 2, 1, 1), (2, 2, 8, 8, 3, 3, 1, 2, 2)].enumerated() as EnumeratedSequence<[Case]> {
            let (_, ch, h, wd, o, k, s, p, d) = c
            let geo = ConvGeometry(channels: ch, height: h, width: wd, kernelH: k, kernelW: k, stride: s, padding: p, dilation: d)
            XCTAssertTrue(lowered.run { geo.usesChannelsLast(outChannels: o) })
            let (x, w, b) = inputs(c, seed: UInt64(40 + 3 * i))
            lowered.run {
                assertGradientsMatch([x, w, b]) { Tensor.conv2d($0[0], weight: $0[1], bias: $0[2], stride: s, padding: p, dilation: d) }
            }
        }
    }
}
