import XCTest
@testable import Tensors

/// Ops that split large tensors across the cores give bit-identical results for every worker
/// count: the serial path (1 worker), an even split (2) and an uneven one (3). The tensors are
/// above `Parallel.elementGrain`, so the split paths really run.
final class ParallelSplitTests: XCTestCase {
    /// The op's output and the gradients of Σ output·w (a random w, so the upstream gradient is
    /// not constant) with respect to `inputs`, on 1, 2 and 3 workers.
    private func assertSplitInvariant(_ name: String, _ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line,
                                      _ op: ([Tensor]) -> Tensor) {
        var results: [[[Float]]] = []
        for workers in 1...3 {
            onWorkers(workers) {
                let leaves = inputs.map { $0.requiringGrad() }
                let out = op(leaves)
                XCTAssertGreaterThanOrEqual(out.count, 2 * Parallel.elementGrain, "\(name): too small to split", file: file, line: line)
                let w = randomTensor(out.shape, seed: 99)
                (out * w).sum().backward()
                results.append([out.scalars] + leaves.map { $0.grad?.scalars ?? [] })
            }
        }
        for k in 1..<results.count {
            XCTAssertEqual(results[k].count, results[0].count, file: file, line: line)
            for (i, (a, b)) in zip(results[0], results[k]).enumerated() {
                // Compare bit patterns: equal values, same zeros' signs, same NaNs.
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern),
                               "\(name): tensor \(i) differs between 1 and \(k + 1) workers", file: file, line: line)
            }
        }
    }

    func testElementwiseOps() {
        let shape = [4, 8, 48, 48]
        let x = randomTensor(shape, seed: 1, low: -2, high: 2), y = randomTensor(shape, seed: 2, low: 0.5, high: 2)
        assertSplitInvariant("leakyRelu", [x]) { $0[0].leakyRelu(0.2) }
        assertSplitInvariant("relu", [x]) { $0[0].relu() }
        assertSplitInvariant("sigmoid", [x]) { $0[0].sigmoid() }
        assertSplitInvariant("tanh", [x]) { $0[0].tanh() }
        assertSplitInvariant("exp, squared", [x]) { $0[0].exp() + $0[0].squared() }
        assertSplitInvariant("softplus, clamped, abs", [x]) { $0[0].softplus() * $0[0].clamped(-1, 1) - $0[0].abs() }
        assertSplitInvariant("log, sqrt", [y]) { $0[0].log() + $0[0].sqrt() }
        assertSplitInvariant("binary", [x, y]) { ($0[0] + $0[1]) * ($0[0] - $0[1]) / $0[1] }
        assertSplitInvariant("scalars", [x, y]) { ($0[0] * 3 + 1) + 2 / $0[1] }
        assertSplitInvariant("scalar tensors", [x]) { $0[0] * Tensor(2) - Tensor(1) * $0[0].relu() }
        // x feeds two ops, so its gradient is accumulated with addInPlace.
        assertSplitInvariant("accumulation", [x]) { $0[0].relu() + $0[0].sigmoid() }
    }

    func testReductionsAndResizing() {
        let x = randomTensor([16, 8, 32, 32], seed: 3)
        // The sum's output is small; check it through a large product with its broadcast.
        assertSplitInvariant("sum over N, H, W", [x]) { $0[0] * $0[0].sum(axes: [0, 2, 3], keepDims: true) }
        assertSplitInvariant("sum over all", [x]) { $0[0] * $0[0].sum() }
        let small = randomTensor([4, 8, 32, 32], seed: 4)
        assertSplitInvariant("nearest", [small]) { $0[0].resizedNearest(height: 64, width: 64) }
        assertSplitInvariant("bilinear", [small]) { $0[0].resizedBilinear(height: 64, width: 48) }
    }

    func testCrossEntropy() {
        let logits = randomTensor([8, 11, 32, 32], seed: 5, low: -3, high: 3)
        var rng = Xoshiro256(seed: 6)
        let targets = (0..<(8 * 32 * 32)).map { _ in rng.nextInt(below: 11) }
        // The loss is a scalar; its gradient (the logits' size) is what gets split.
        assertSplitInvariant("crossEntropy", [logits]) { $0[0] * Tensor.crossEntropy(logits: $0[0], targets: targets) }
    }

    func testStridedConvolutionInputGradient() {
        // Strided: the input gradient goes through col2im into images zeroed per group.
        let x = randomTensor([16, 16, 32, 32], seed: 7), w = randomTensor([8, 16, 4, 4], seed: 8)
        var results: [[Float]] = []
        for workers in 1...3 {
            onWorkers(workers) {
                let xl = x.requiringGrad()
                let out = Tensor.conv2d(xl, weight: w.requiringGrad(), stride: 2, padding: 1)
                (out * randomTensor(out.shape, seed: 9)).sum().backward()
                results.append(out.scalars + xl.grad!.scalars)
            }
        }
        XCTAssertEqual(results[1].map(\.bitPattern), results[0].map(\.bitPattern))
        XCTAssertEqual(results[2].map(\.bitPattern), results[0].map(\.bitPattern))
    }
}
