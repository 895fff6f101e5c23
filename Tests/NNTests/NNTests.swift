import XCTest
import Foundation
@testable import NN
@testable import Tensors

/// x[i] = sin(0.37·i + phase)·scale, as Tests/Reference/torch_exact_values.py builds inputs.
private func sequence(_ shape: [Int], phase: Double = 0, scale: Double = 1) -> Tensor {
    Tensor(shape: shape, scalars: (0..<Tensor.count(of: shape)).map { Float(sin(0.37 * Double($0) + phase) * scale) })
}

private func assertClose(_ a: [Float], _ e: [Float], tolerance: Float = 2e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, e.count, file: file, line: line)
    for (i, (x, y)) in zip(a, e).enumerated() where abs(x - y) > tolerance * max(1, abs(y)) {
        XCTFail("element \(i): got \(x), expected \(y)", file: file, line: line); return
    }
}

private final class Block: Module {
    let conv1: Conv2d
    let bn1: BatchNorm
    let branches: [Module]
    let skip: Module?
    init(rng: inout Xoshiro256) {
        conv1 = Conv2d(2, 3, kernel: 3, padding: 1, bias: false, rng: &rng)
        bn1 = BatchNorm(3)
        branches = [Linear(3, 2, rng: &rng), Sequential(ReLU(), Linear(2, 2, rng: &rng))]
        skip = nil
    }
}

final class ModuleTests: XCTestCase {
    func testKeysFollowPyTorchNaming() {
        var rng = Xoshiro256(seed: 1)
        let keys = Block(rng: &rng).stateDict().map(\.key)
        XCTAssertEqual(keys, ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                              "bn1.num_batches_tracked", "branches.0.weight", "branches.0.bias",
                              "branches.1.1.weight", "branches.1.1.bias"])
        XCTAssertTrue(Block(rng: &rng).stateDict().first { $0.key == "bn1.num_batches_tracked" }!.isInteger)
    }

    func testStateDictRoundTripAndErrors() throws {
        var rng = Xoshiro256(seed: 2)
        let a = Block(rng: &rng), b = Block(rng: &rng)
        var values = Dictionary(uniqueKeysWithValues: a.stateDict().map { ($0.key, $0.value) })
        try b.load(stateDict: values, source: "a.safetensors")
        XCTAssertEqual(b.conv1.weight.value.scalars, a.conv1.weight.value.scalars)

        let before = b.conv1.weight.value.scalars
        values["conv1.weight"] = Tensor.zeros([3, 2, 1, 1])
        values["extra.weight"] = Tensor.zeros([1])
        values["bn1.bias"] = nil
        XCTAssertThrowsError(try b.load(stateDict: values, source: "bad.safetensors")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("bad.safetensors"), text)
            XCTAssertTrue(text.contains("missing keys: bn1.bias"), text)
            XCTAssertTrue(text.contains("unexpected keys: extra.weight"), text)
            XCTAssertTrue(text.contains("conv1.weight: the model has shape [3, 2, 3, 3], the file has [3, 2, 1, 1]"), text)
        }
        XCTAssertEqual(b.conv1.weight.value.scalars, before, "a failed load must not change any weight")
    }

    func testBatchNormRunningStatisticsMatchTorch() {
        let bn = BatchNorm(2)
        _ = bn(sequence([3, 2, 2, 2], scale: 3))
        assertClose(bn.runningMean.value.scalars, TorchValues.bnRunningMean)
        assertClose(bn.runningVar.value.scalars, TorchValues.bnRunningVar)
        XCTAssertEqual(bn.numBatchesTracked.value.item, 1)
        // Evaluation uses the running statistics: (x − μ)/√(σ² + ε).
        bn.eval()
        let y = bn(Tensor(shape: [1, 2, 1, 1], scalars: [1, 2]))
        assertClose(y.scalars, [(1 - 0.032331) / (1.142258 + 1e-5).squareRoot(), (2 - 0.085112) / (1.584891 + 1e-5).squareRoot()], tolerance: 1e-4)
    }

    func testActNormInitialisesToZeroMeanUnitVariance() {
        var rng = Xoshiro256(seed: 3)
        let x = Tensor.normal([64, 4], mean: 3, std: 2, rng: &rng)
        let norm = ActNorm(4)
        let y = norm(x)
        XCTAssertTrue(norm.isInitialized)
        for c in 0..<4 {
            let col = (0..<64).map { y[flat: $0 * 4 + c] }
            let mean = col.reduce(0, +) / 64
            let variance = col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 64
            XCTAssertEqual(mean, 0, accuracy: 1e-4)
            XCTAssertEqual(variance, 1, accuracy: 1e-3)
        }
        // A second batch does not re-initialise, and reverse undoes forward.
        let scale = norm.scale.value.scalars
        let z = Tensor.normal([8, 4], rng: &rng)
        let back = norm.reverse(norm(z))
        XCTAssertEqual(norm.scale.value.scalars, scale)
        assertClose(back.scalars, z.scalars, tolerance: 1e-5)
    }

    func testFrozenParametersGetNoGradient() {
        var rng = Xoshiro256(seed: 4)
        let layer = Linear(3, 2, rng: &rng)
        layer.freeze()
        let x = Tensor.normal([4, 3], rng: &rng).requiringGrad()
        layer(x).sum().backward()
        XCTAssertNil(layer.weight.grad)
        XCTAssertNotNil(x.grad)
        XCTAssertTrue(layer.trainableParameters.isEmpty)
    }
}

final class OptimizerTests: XCTestCase {
    /// f(p) = Σ (p − t)² · c, as in Tests/Reference/torch_exact_values.py.
    private func run(_ make: ([Parameter]) -> Optimizer) -> [Float] {
        let p = Parameter(sequence([5], phase: 0.3))
        let target = sequence([5], phase: 2.5), c = sequence([5], phase: 1.5).abs() + 0.5
        let opt = make([p])
        for _ in 0..<3 {
            opt.zeroGrad()
            ((p.value - target).squared() * c).sum().backward()
            opt.step()
        }
        return p.value.scalars
    }

    func testAdamAmsgradMatchesTorch() {
        assertClose(run { Adam($0, learningRate: 0.1, betas: (0.5, 0.9), weightDecay: 0.01, amsgrad: true) },
                    TorchValues.adamAmsgrad3Steps, tolerance: 1e-5)
    }

    func testSGDMomentumMatchesTorch() {
        assertClose(run { SGD($0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01) }, TorchValues.sgdMomentum3Steps, tolerance: 1e-5)
    }

    /// `step()` tells whether every weight it wrote is finite: the training loop's divergence
    /// check relies on it. A weight that is ∞ or NaN after the update (in the SIMD body or the
    /// scalar tail of either worker's range) must be reported; a normal step must not be.
    func testStepsReportNonFiniteWeights() {
        let count = 100_003  // above the size Adam splits across two workers
        for workers in [1, 2] {
            let context = ExecutionContext.current.with(\.workers, workers)
            for (position, bad) in [(0, Float.infinity), (17, -.infinity), (70_000, .nan), (count - 1, .nan)] {
                let p = Parameter(Tensor.zeros([count]))
                p.value.sum().backward()
                let adam = Adam([p], learningRate: 0.1)
                XCTAssertTrue(context.run { adam.step() }, "a finite step")
                var values = p.value.scalars
                values[position] = bad
                p.assign(Tensor(shape: [count], scalars: values))
                adam.zeroGrad()
                p.value.sum().backward()
                XCTAssertFalse(context.run { adam.step() }, "weight \(position) is \(bad) (workers \(workers))")
            }
        }
        let q = Parameter(Tensor(shape: [3], scalars: [1, 2, 3]))
        q.value.sum().backward()
        XCTAssertTrue(SGD([q], learningRate: 1).step())
        q.zeroGrad()
        (q.value * Float.greatestFiniteMagnitude).sum().backward()
        XCTAssertFalse(SGD([q], learningRate: 2).step(), "3 − 2·max overflows")
    }

    func testSchedules() {
        let oneCycle = (0..<10).map { LearningRateSchedule.oneCycle(max: 1, total: 10).rate(at: $0) }
        assertClose(oneCycle, TorchValues.oneCycle10, tolerance: 1e-5)
        let wc = LearningRateSchedule.warmupCosine(peak: 1, warmup: 4, total: 14, final: 0.1)
        XCTAssertEqual(wc.rate(at: 0), 0.25, accuracy: 1e-6)
        XCTAssertEqual(wc.rate(at: 3), 1, accuracy: 1e-6)
        XCTAssertEqual(wc.rate(at: 9), 0.55, accuracy: 1e-5)  // half-way down the cosine
        XCTAssertEqual(wc.rate(at: 14), 0.1, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.constant(0.3).rate(at: 1000), 0.3)
    }

    func testGradientClipping() {
        let p = Parameter(Tensor(shape: [2], scalars: [0, 0]))
        (p.value * Tensor(shape: [2], scalars: [3, 4])).sum().backward()
        let norm = GradientClipping.clipNorm([p], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-5)
        assertClose(p.grad!.scalars, [0.6, 0.8], tolerance: 1e-5)
        XCTAssertTrue(GradientClipping.gradientsAreFinite([p]))
    }

    /// A small conv net must drive the loss on one tiny batch to (almost) zero: the whole stack —
    /// layers, autodiff, optimiser — works together.
    func testSmallNetworkFitsTinyBatch() {
        var rng = Xoshiro256(seed: 5)
        let net = Sequential(
            Conv2d(1, 4, kernel: 3, padding: 1, rng: &rng), BatchNorm(4), ReLU(),
            Conv2d(4, 4, kernel: 3, stride: 2, padding: 1, rng: &rng), LeakyReLU(0.2),
            Flatten(), Linear(16, 3, rng: &rng))
        let x = Tensor.normal([6, 1, 4, 4], rng: &rng)
        let y = [0, 1, 2, 0, 1, 2]
        let opt = Adam(net.trainableParameters, learningRate: 0.02)
        var loss: Float = .infinity
        for _ in 0..<150 {
            opt.zeroGrad()
            let l = Tensor.crossEntropy(logits: net(x), targets: y)
            l.backward()
            opt.step()
            loss = l.item
        }
        XCTAssertLessThan(loss, 0.01)
    }
}
/// The expected values the NN tests use (same script).
enum TorchValues {
    static let bnRunningMean: [Float] = [0.032331, 0.085112]
    static let bnRunningVar: [Float] = [1.142258, 1.584891]
    static let adamAmsgrad3Steps: [Float] = [0.564583, 0.344885, 0.568682, 0.691038, 0.681425]
    static let sgdMomentum3Steps: [Float] = [0.680598, 0.177488, -0.236713, -0.37318, -0.161967]
    static let oneCycle10: [Float] = [0.04, 0.52, 1.0, 0.950485, 0.811746, 0.611262, 0.388742, 0.188258, 0.049519, 4e-06]
}

final class CheckpointTests: XCTestCase {
    func testSaveLoadRoundTripAndCorruptFile() throws {
        var rng = Xoshiro256(seed: 9)
        let net = Sequential(Conv2d(2, 3, kernel: 3, rng: &rng), BatchNorm(3), ReLU())
        _ = net(Tensor.normal([2, 2, 5, 5], rng: &rng))  // moves the running statistics
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nn-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("net.safetensors")
        try net.save(to: url, metadata: ["recipe": "test"])

        var rng2 = Xoshiro256(seed: 10)
        let other = Sequential(Conv2d(2, 3, kernel: 3, rng: &rng2), BatchNorm(3), ReLU())
        let meta = try other.load(contentsOf: url)
        XCTAssertEqual(meta["recipe"], "test")
        net.eval(); other.eval()
        let x = Tensor.normal([1, 2, 5, 5], rng: &rng)
        XCTAssertEqual(net(x).scalars, other(x).scalars)
        XCTAssertEqual(other.stateDict().first { $0.key == "1.num_batches_tracked" }?.value.item, 1)

        // A truncated file fails with an error naming it, and leaves the model untouched.
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        let before = other.stateDict().map(\.value.scalars)
        XCTAssertThrowsError(try other.load(contentsOf: url)) { XCTAssertTrue("\($0)".contains("net.safetensors"), "\($0)") }
        XCTAssertEqual(other.stateDict().map(\.value.scalars), before)

        // A file for another architecture names the mismatching key.
        let wide = Sequential(Conv2d(2, 4, kernel: 3, rng: &rng2), BatchNorm(4), ReLU())
        try wide.save(to: url)
        XCTAssertThrowsError(try other.load(contentsOf: url)) { XCTAssertTrue("\($0)".contains("0.weight"), "\($0)") }
    }
}

final class AdamStateTests: XCTestCase {
    /// Saving Adam's state after two steps and loading it into a fresh optimizer gives the same
    /// third step as an uninterrupted run (what `diagnose train --resume` relies on).
    func testStateRoundTripResumesExactly() throws {
        func quadratic(_ p: Parameter) { (p.value - 1).squared().sum().backward() }
        let a = Parameter(Tensor(shape: [40], scalars: (0..<40).map { Float($0) * 0.1 }))
        let adam = Adam([a], learningRate: 0.05, betas: (0.5, 0.9), weightDecay: 0.01, amsgrad: true)
        for _ in 0..<2 { adam.zeroGrad(); quadratic(a); adam.step() }
        let saved = adam.state()
        let b = Parameter(a.value.detached)
        let resumed = Adam([b], learningRate: 0.05, betas: (0.5, 0.9), weightDecay: 0.01, amsgrad: true)
        try resumed.load(state: saved)
        XCTAssertEqual(resumed.stepCount, 2)
        for (opt, p) in [(adam, a), (resumed, b)] { opt.zeroGrad(); quadratic(p); opt.step() }
        XCTAssertEqual(a.value.scalars, b.value.scalars)
        XCTAssertThrowsError(try Adam([Parameter(Tensor.zeros([3]))], amsgrad: true).load(state: saved))
    }
}
