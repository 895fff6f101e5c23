import XCTest
@testable import Tensors

/// "Same" stride-1 convolutions by shifted products on a padded buffer against the im2col path.
final class ShiftedConvolutionTests: XCTestCase {
    // These test the im2col / OpenBLAS routes, which conv2d takes only with oneDNN switched off.
    override func invokeTest() {
        ExecutionContext.current.with(\.convolutionsOnDNNL, false).run { super.invokeTest() }
    }

    private func run(_ x: Tensor, _ w: Tensor, _ b: Tensor, padding: Int, dilation: Int, shifted: Bool) -> ConvolutionGradients {
        // The reference is im2col: the channels-last path would take the 8×8 case.
        ExecutionContext.current.with(\.shiftedProducts, shifted).with(\.channelsLastConvolutions, shifted).run {
            let geo = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3], kernelH: w.shape[2],
                                   kernelW: w.shape[3], stride: 1, padding: padding, dilation: dilation)
            XCTAssertEqual(geo.isShiftable(outChannels: w.shape[0]), shifted,
                           "shape \(x.shape) × \(w.shape) should \(shifted ? "" : "not ")take the shifted path")
            return convolutionGradients(x, w, b, padding: padding, dilation: dilation)
        }
    }

    /// Forward, input, weight and bias gradients equal im2col's within float rounding, with
    /// groups and column blocks both small enough that several of each occur.
    func testMatchesIm2col() {
        // (N, C, H, W, O, K, dilation): the autoencoder's shapes at batch 3, Cin ≠ Cout, non-square,
        // a 5×5 kernel, dilation 2.
        let cases: [(Int, Int, Int, Int, Int, Int, Int)] = [
            (3, 32, 32, 32, 32, 3, 1), (3, 64, 16, 16, 64, 3, 1), (2, 64, 32, 32, 32, 3, 1), (5, 128, 8, 8, 64, 3, 1),
            (3, 20, 8, 10, 24, 3, 1), (2, 16, 12, 9, 40, 3, 1), (3, 16, 20, 16, 24, 3, 2), (2, 16, 16, 16, 24, 5, 1),
        ]
        // A plane ratio of 2 takes the small maps too, which im2col takes by default.
        let small = ExecutionContext.current.with(\.shiftedMaximumPlaneRatio, 2)
        for (i, c) in cases.enumerated() {
            let (n, ch, h, w, o, k, d) = c
            let x = randomTensor([n, ch, h, w], seed: UInt64(10 + i)), wt = randomTensor([o, ch, k, k], seed: UInt64(20 + i))
            let b = randomTensor([o], seed: UInt64(30 + i))
            let p = d * (k - 1) / 2
            let reference = small.run { run(x, wt, b, padding: p, dilation: d, shifted: false) }
            for (groupColumns, blockColumns) in [(2048, 1024), (300, 100), (1, 64)] {
                let r = small.with(\.shiftedGroupColumns, groupColumns).with(\.shiftedBlockColumns, blockColumns).run {
                    run(x, wt, b, padding: p, dilation: d, shifted: true)
                }
                assertSameConvolution(r, reference, "case \(i) group \(groupColumns) block \(blockColumns)")
            }
        }
    }

    /// Same numbers whatever the number of workers (forward and input gradient: fixed groups).
    func testIndependentOfWorkers() {
        let x = randomTensor([6, 32, 16, 16], seed: 1), w = randomTensor([48, 32, 3, 3], seed: 2), b = randomTensor([48], seed: 3)
        func gradients(_ workers: Int, shifted: Bool) -> ConvolutionGradients {
            onWorkers(workers) { run(x, w, b, padding: 1, dilation: 1, shifted: shifted) }
        }
        let one = gradients(1, shifted: true)
        for workers in [2, 3] {
            let r = gradients(workers, shifted: true)
            XCTAssertTrue(r.y.scalars == one.y.scalars, "forward differs with \(workers) workers")
            XCTAssertTrue(r.gx.scalars == one.gx.scalars, "input gradient differs with \(workers) workers")
            let o1 = gradients(workers, shifted: false)
            let o2 = gradients(1, shifted: false)
            XCTAssertTrue(o1.y.scalars == o2.y.scalars, "im2col forward differs with \(workers) workers")
            XCTAssertTrue(o1.gx.scalars == o2.gx.scalars, "im2col input gradient differs with \(workers) workers")
            assertRelativelyClose(r.gw, one.gw, "weight gradient with \(workers) workers", tolerance: 1e-5)
        }
    }

    /// Which of the autoencoder's and DeepLabLite's "same" convolutions take the shifted path.
    func testRouting() {
        func shiftable(_ c: Int, _ h: Int, _ o: Int, dilation d: Int = 1) -> Bool {
            ConvGeometry(channels: c, height: h, width: h, kernelH: 3, kernelW: 3, stride: 1, padding: d, dilation: d)
                .isShiftable(outChannels: o)
        }
        XCTAssertFalse(shiftable(3, 32, 32))   // RGB input layer
        XCTAssertTrue(shiftable(64, 16, 64))
        XCTAssertTrue(shiftable(64, 32, 32))
        XCTAssertTrue(shiftable(32, 32, 32))
        XCTAssertFalse(shiftable(32, 32, 3))   // RGB output layer
        XCTAssertFalse(shiftable(128, 8, 64))  // 8×8 maps
        XCTAssertFalse(shiftable(64, 8, 64, dilation: 2))
    }

    /// Block widths that keep the products on OpenBLAS's small-matrix path (O·C·width ≤ 10⁶):
    /// 10⁶ / (64·64) = 244 → 240, 10⁶ / (32·64) = 488 → 480, 10⁶ / (32·32) = 976; 128×128
    /// would need blocks narrower than 64, so it keeps `shiftedBlockColumns`, as does any shape
    /// when that is narrower.
    func testSmallProductWidths() {
        XCTAssertEqual(Tensor.smallProductWidth(64, 64), 240)
        XCTAssertEqual(Tensor.smallProductWidth(32, 64), 480)
        XCTAssertEqual(Tensor.smallProductWidth(64, 32), 480)
        XCTAssertEqual(Tensor.smallProductWidth(32, 32), 976)
        XCTAssertEqual(Tensor.smallProductWidth(128, 128), ExecutionContext.current.shiftedBlockColumns)
        XCTAssertEqual(ExecutionContext.current.with(\.shiftedBlockColumns, 100).run { Tensor.smallProductWidth(32, 32) }, 100)
    }

    /// Finite differences on small shapes that take the shifted path (thresholds lowered).
    func testGradientsByFiniteDifferences() {
        let lowered = ExecutionContext.current.with(\.shiftedMinimumChannels, 1).with(\.shiftedMinimumOutChannels, 1)
            .with(\.shiftedMaximumPlaneRatio, 2).with(\.shiftedGroupColumns, 150).with(\.shiftedBlockColumns, 48)
        // (N, C, H, W, O, dilation)
        for (i, c) in [(3, 3, 8, 10, 2, 1), (2, 2, 16, 16, 3, 2)].enumerated() {
            let (n, ch, h, w, o, d) = c
            let geo = ConvGeometry(channels: ch, height: h, width: w, kernelH: 3, kernelW: 3, stride: 1, padding: d, dilation: d)
            XCTAssertTrue(lowered.run { geo.isShiftable(outChannels: o) })
            let x = randomTensor([n, ch, h, w], seed: UInt64(40 + i)), wt = randomTensor([o, ch, 3, 3], seed: UInt64(50 + i))
            let b = randomTensor([o], seed: UInt64(60 + i))
            lowered.run {
                assertGradientsMatch([x, wt, b]) { Tensor.conv2d($0[0], weight: $0[1], bias: $0[2], padding: d, dilation: d) }
            }
        }
    }
}
