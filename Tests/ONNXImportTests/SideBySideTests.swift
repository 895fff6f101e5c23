import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Batches run in pieces side by side, one per worker (`ONNXNetwork.sideBySide`), only where
/// each image's values depend on that image alone (`ExecutionPlan.keepsImagesApart`), and then
/// give the values of the whole batch.
final class SideBySideTests: XCTestCase {
    /// On every fixture the importer plans at two batch sizes: where the verdict says the images
    /// are kept apart, a batch of the fixture's input and a second, different input gives each
    /// input's own values; the graphs that mix or regroup the batch are told apart.
    func testTheVerdictHoldsOnEveryFixture() throws {
        var failures: [String] = [], apart: [String] = [], together: [String] = []
        var rng = Xoshiro256(seed: 11)
        for c in try Fixtures.manifest().cases where c.kind != "bad_input" {
            guard let tapsFile = c.taps_file, let (input, _) = try? Fixtures.taps(tapsFile) else { continue }
            let model = try ModelFile(contentsOf: Fixtures.folder.appendingPathComponent(c.model))
            let noise = Tensor.normal(input.shape, rng: &rng)
            let other = Tensor(shape: input.shape, scalars: zip(input.scalars, noise.scalars).map { 0.5 * $0 + 0.3 * $1 })
            let both = Tensor.concat([input, other], axis: 0)
            guard let small = try? ExecutionPlan(file: model, input: input, keep: []),
                  let large = try? ExecutionPlan(file: model, input: both, keep: []),
                  large.keepsImagesApart(comparedWith: small) else { together.append(c.name); continue }
            apart.append(c.name)
            let wanted = Set(large.shapes.keys).subtracting([large.inputName])
            let (a, b, joined) = try (small.run(input, wanted: wanted), small.run(other, wanted: wanted), large.run(both, wanted: wanted))
            for name in wanted {
                guard let x = a[name]?.asFloat, let y = b[name]?.asFloat, let z = joined[name]?.asFloat else {
                    failures.append("\(c.name) \(name): missing"); continue
                }
                let error = Fixtures.relativeError(z, Tensor.concat([x, y], axis: 0))
                if !(error <= 1e-5) { failures.append("\(c.name) \(name): \(error) from the inputs run alone") }
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertGreaterThan(apart.count, 120)
        // Graphs that regroup the batch (Flatten at axis 0, Reshape [-1, 6], reversed axes, a
        // mean over everything, a Split along the batch) must run whole.
        for name in ["flatten_axis0", "reshape_minus1_first_opset11", "transpose_default_perm", "reducemean_all_keepdims0",
                     "split11_default_axis"] {
            XCTAssertTrue(together.contains(name), name)
        }
        for name in ["conv_3x3_pads1", "flatten_axis1", "softmax13_axis1_4d", "shape_chain_flatten_opset13", "squeeze_no_axes"] {
            XCTAssertTrue(apart.contains(name), name)
        }
        print("\(apart.count) fixtures keep images apart, \(together.count) run whole")
    }

    /// A network of a dynamic batch at 1, 2 and 3 workers: the pieces' values are the whole batch's.
    func testPiecesGiveTheWholeBatchsValues() throws {
        let network = try ONNXNetwork(contentsOf: Fixtures.folder.appendingPathComponent("torch_mini_resnet_dynamic_batch_opset13.onnx"))
        var rng = Xoshiro256(seed: 5)
        let x = Tensor.normal([11] + network.inputShape, rng: &rng), names = network.taps.map(\.name)
        func activations(_ workers: Int) throws -> [String: Tensor] {
            try ExecutionContext.current.with(\.workers, workers).run { try network.activations(x, taps: names) }
        }
        let whole = try activations(1)
        XCTAssertNil(network.keepsImagesApart, "one worker runs the batch whole")
        for count in [2, 3] {
            let pieces = try activations(count)
            XCTAssertEqual(network.keepsImagesApart, true)
            for name in names {
                XCTAssertEqual(pieces[name]!.shape, whole[name]!.shape, name)
                XCTAssertLessThan(Fixtures.relativeError(pieces[name]!, whole[name]!), 1e-5, "\(name) at \(count) workers")
            }
        }
    }

    /// A Softmax over the batch keeps every shape but mixes the images: the batch runs whole.
    func testASoftmaxOverTheBatchRunsWhole() throws {
        let url = try Fixtures.writeModel("softmax-batch", nodes: [.init(op: "Softmax", inputs: ["x"], output: "p", attributes: ["axis": [0]])],
                                          input: "x", shape: [nil, 2, 3, 3])
        defer { try? FileManager.default.removeItem(at: url) }
        let network = try ONNXNetwork(contentsOf: url)
        var rng = Xoshiro256(seed: 8)
        let x = Tensor.normal([8, 2, 3, 3], rng: &rng)
        let p = try ExecutionContext.current.with(\.workers, 2).run { try network.activations(x, taps: ["p"])["p"]! }
        XCTAssertEqual(network.keepsImagesApart, false)
        // Over the batch, each position's probabilities sum to 1.
        for i in 0..<(2 * 3 * 3) {
            XCTAssertEqual(stride(from: i, to: p.scalars.count, by: 18).map { p.scalars[$0] }.reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    /// The large models (not in CI; `ONNX_MODELS_DIR=DIR scripts/test --filter SideBySide`, the
    /// folder `onnx_reference.py --models DIR` wrote): six images run whole and side by side on
    /// two workers give the same values at every tenth tap and the last.
    func testLargeModelsSideBySideMatchOneWorker() throws {
        guard let dir = ProcessInfo.processInfo.environment["ONNX_MODELS_DIR"] else {
            throw XCTSkip("set ONNX_MODELS_DIR to the folder onnx_reference.py --models wrote (docs/onnx.md)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".onnx") }.sorted()
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let network = try ONNXNetwork(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(file))
            var rng = Xoshiro256(seed: 2)
            let x = Tensor.normal([6] + network.inputShape, rng: &rng)
            let names = network.taps.enumerated().filter { $0.offset % 10 == 0 || $0.offset == network.taps.count - 1 }.map(\.element.name)
            func activations(_ workers: Int) throws -> [String: Tensor] {
                try ExecutionContext.current.with(\.workers, workers).run { try network.activations(x, taps: names) }
            }
            var start = Date()
            let whole = try activations(1)
            let alone = Date().timeIntervalSince(start)
            start = Date()
            let pieces = try activations(2)
            let sideBySide = Date().timeIntervalSince(start)
            for name in names {
                XCTAssertLessThan(Fixtures.relativeError(pieces[name]!, whole[name]!), 1e-5, "\(file) \(name)")
            }
            print(String(format: "%@: %d taps, batch of %@: one thread %.2f s, two side by side %.2f s", file, names.count,
                         network.fixedBatch.map { "\($0)" } ?? "any size", alone, sideBySide))
        }
    }
}
