import Foundation
import XCTest
@testable import Flows
import NN
import Tensors

/// The `InvertibleBlock` contract for every block and for whole networks.
final class BlockContractTests: XCTestCase {
    private func blocks() throws -> [(any InvertibleBlock, Tensor?)] {
        var rng = Xoshiro256(seed: 3)
        let cond = Tensor.normal([5, 3], rng: &rng)
        let actNorm = ActNormBlock(dimension: 6)
        let conditional = DoubleAffineCoupling(dimension: 6, conditionDimension: 3, width: 8, rng: &rng)
        let unconditional = DoubleAffineCoupling(dimension: 6, conditionDimension: nil, width: 8, rng: &rng)
        let permutation = FixedPermutation(dimension: 6, rng: &rng)
        let network = try FlowNetwork.coupling(dimension: 6, conditionDimension: 3, blocks: 3, width: 8, hiddenLayers: 2,
                                               scaleClamp: 2, rng: &rng)
        // Conditional and unconditional blocks mixed in one conditional network.
        let mixed = try FlowNetwork(blocks: [ActNormBlock(dimension: 6),
                                             DoubleAffineCoupling(dimension: 6, conditionDimension: nil, width: 8, rng: &rng),
                                             FixedPermutation(dimension: 6, rng: &rng),
                                             DoubleAffineCoupling(dimension: 6, conditionDimension: 3, width: 8, rng: &rng)],
                                    dimension: 6, conditionDimension: 3)
        for m in [actNorm, conditional, unconditional, network, mixed] as [Module] { perturbParameters(m) }
        return [(actNorm, nil), (conditional, cond), (unconditional, nil), (permutation, nil), (network, cond), (mixed, cond)]
    }

    func testRoundTripAndOppositeLogDeterminants() throws {
        var rng = Xoshiro256(seed: 4)
        let x = Tensor.normal([5, 6], rng: &rng)
        for (block, cond) in try blocks() {
            block.eval()
            let (v, ldf) = block.forward(x, condition: cond)
            let (back, ldr) = block.reverse(v, condition: cond)
            XCTAssertLessThan(maxAbsDifference(back, x), 1e-4, "round trip of \(block.blockDescription)")
            XCTAssertEqual(ldf.shape, [5], block.blockDescription)
            XCTAssertLessThan(maxAbsDifference(ldf + ldr, Tensor.zeros([5])), 1e-4, "log-dets of \(block.blockDescription)")
            // Reverse then forward, too.
            let (z, _) = block.reverse(x, condition: cond)
            XCTAssertLessThan(maxAbsDifference(block.forward(z, condition: cond).output, x), 1e-4, block.blockDescription)
            if !(block is FixedPermutation) {
                XCTAssertGreaterThan(ldf.scalars.map(Swift.abs).max()!, 0.05, "\(block.blockDescription) log-det should be non-zero")
            } else {
                XCTAssertNotEqual(v.scalars, x.scalars, "the permutation should move something")
            }
        }
    }

    func testLogDeterminantMatchesFiniteDifferenceJacobian() throws {
        var rng = Xoshiro256(seed: 5)
        let x0 = Tensor.normal([1, 6], rng: &rng)
        for (block, condition) in try blocks() {
            block.eval()
            let c = condition.map { $0.slice(axis: 0, 0..<1) }
            let h: Float = 2e-3
            // Central differences, one input coordinate per batch row pair.
            var jacobian = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
            for j in 0..<6 {
                var plus = x0.scalars, minus = x0.scalars
                plus[j] += h; minus[j] -= h
                let cc = c.map { Tensor.concat([$0, $0], axis: 0) }
                let out = block.forward(Tensor(shape: [2, 6], scalars: plus + minus), condition: cc).output.scalars
                for i in 0..<6 { jacobian[i][j] = (Double(out[i]) - Double(out[6 + i])) / Double(2 * h) }
            }
            let numeric = logAbsDeterminant(jacobian)
            let reported = Double(block.forward(x0, condition: c).logDeterminant.item)
            XCTAssertEqual(reported, numeric, accuracy: 2e-3 * max(1, Swift.abs(numeric)), block.blockDescription)
        }
    }

    func testActNormInitialisesToZeroMeanUnitVariance() {
        var rng = Xoshiro256(seed: 6)
        let x = Tensor.normal([200, 4], mean: 3, std: 5, rng: &rng) * Tensor(shape: [1, 4], scalars: [1, 0.1, 10, 2])
        let block = ActNormBlock(dimension: 4)
        block.train()
        XCTAssertFalse(block.isInitialized)
        let y = block.forward(x, condition: nil).output
        XCTAssertTrue(block.isInitialized)
        let mean = y.mean(axes: [0]), variance = y.squared().mean(axes: [0]) - mean.squared()
        for m in mean.scalars { XCTAssertEqual(m, 0, accuracy: 1e-4) }
        for v in variance.scalars { XCTAssertEqual(v, 1, accuracy: 1e-3) }
        // A second batch does not re-initialise.
        let before = block.loc.value.scalars
        _ = block.forward(x * 2, condition: nil)
        XCTAssertEqual(block.loc.value.scalars, before)
        // A batch with NaN never initialises.
        let fresh = ActNormBlock(dimension: 4)
        fresh.train()
        var bad = x.scalars; bad[3] = .nan
        _ = fresh.forward(Tensor(shape: x.shape, scalars: bad), condition: nil)
        XCTAssertFalse(fresh.isInitialized)
        XCTAssertTrue(fresh.loc.value.scalars.allSatisfy(\.isFinite))
    }

    func testShapeErrorsNameTheBlock() {
        var rng = Xoshiro256(seed: 7)
        let modules: [any InvertibleBlock] = [ActNormBlock(dimension: 6),
                                              DoubleAffineCoupling(dimension: 6, conditionDimension: 5, width: 8, rng: &rng)]
        XCTAssertThrowsError(try FlowNetwork(blocks: modules, dimension: 6, conditionDimension: 3)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("block 1"), text)
            XCTAssertTrue(text.contains("DoubleAffineCoupling(6, condition 5)"), text)
            XCTAssertTrue(text.contains("provides 3"), text)
        }
        XCTAssertThrowsError(try FlowNetwork(blocks: [ActNormBlock(dimension: 4)], dimension: 6, conditionDimension: nil)) { error in
            XCTAssertTrue("\(error)".contains("block 0 ActNormBlock(4)"), "\(error)")
        }
        // A module that is not an `InvertibleBlock` (a `Linear`) does not compile as a block.
    }

    /// The typed chain is found by `Module`'s reflection as the untyped one was: the keys of
    /// existing checkpoints (`blocks.{i}.…`) are unchanged.
    func testTypedChainKeepsTheCheckpointKeys() throws {
        var rng = Xoshiro256(seed: 9)
        let network = try FlowNetwork.coupling(dimension: 4, conditionDimension: 2, blocks: 1, width: 8, hiddenLayers: 2,
                                               scaleClamp: 2, rng: &rng)
        let keys = network.stateDict().map(\.key)
        XCTAssertEqual(keys.first, "blocks.0.loc")
        XCTAssertTrue(keys.contains("blocks.0.initialized"))
        XCTAssertTrue(keys.contains("blocks.1.s.0.0.weight") && keys.contains("blocks.1.t.1.4.bias"), "\(keys)")
        XCTAssertEqual(keys.last, "blocks.2.indices")
        XCTAssertEqual(keys.count, 2 + 1 + 2 * 2 * 3 * 2 + 1)
    }

    func testPermutationIsSavedAsIntegerBuffer() {
        var rng = Xoshiro256(seed: 8)
        let p = FixedPermutation(dimension: 10, rng: &rng)
        let entry = p.stateDict().first { $0.key == "indices" }!
        XCTAssertTrue(entry.isInteger)
        XCTAssertEqual(entry.value.scalars.map { Int($0) }.sorted(), Array(0..<10))
        XCTAssertNotEqual(entry.value.scalars.map { Int($0) }, Array(0..<10))
    }
}
