import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Every tap of every fixture model against onnxruntime on the same input (Fixtures/onnx,
/// written by Tests/Reference/onnx_reference.py): |ours − ort| ≤ 1e-4 · max |ort| per tap.
final class ONNXRuntimeAgreementTests: XCTestCase {
    func testEveryTapOfEveryFixtureMatchesOnnxRuntime() throws {
        let manifest = try Fixtures.manifest()
        var failures: [String] = [], compared = 0, models = 0
        for c in manifest.cases where c.kind != "bad_input" || c.valid_with_input_size != nil {
            guard let tapsFile = c.taps_file else { continue }
            let size = c.valid_with_input_size.map { (height: $0[0], width: $0[1]) }
            let (n, problems) = Self.compare(model: Fixtures.folder.appendingPathComponent(c.model),
                                             taps: Fixtures.folder.appendingPathComponent(tapsFile), inputSize: size)
            failures += problems.map { "\(c.name): \($0)" }
            compared += n
            models += 1
        }
        XCTAssertEqual(failures, [], "\(failures.count) failures")
        XCTAssertGreaterThan(models, 170)
        XCTAssertGreaterThan(compared, 250)
        print("compared \(compared) taps of \(models) fixture models with onnxruntime")
    }

    /// The large-model check (not in CI): every tap of the models that
    /// `Tests/Reference/onnx_reference.py --models DIR` exports (torchvision at 224×224, PP-OCRv4,
    /// EfficientNet-Lite0), against onnxruntime. `ONNX_MODELS_DIR=DIR scripts/test --filter LargeModel`.
    func testLargeModelsMatchOnnxRuntime() throws {
        guard let dir = ProcessInfo.processInfo.environment["ONNX_MODELS_DIR"] else {
            throw XCTSkip("set ONNX_MODELS_DIR to the folder onnx_reference.py --models wrote (docs/onnx.md)")
        }
        let folder = URL(fileURLWithPath: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".taps.safetensors") }.sorted()
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let name = String(file.dropLast(".taps.safetensors".count))
            let start = Date()
            let (n, problems) = Self.compare(model: folder.appendingPathComponent(name + ".onnx"), taps: folder.appendingPathComponent(file),
                                             inputSize: nil, inputSizeFromTaps: true)
            print("\(name): \(n) taps compared, \(problems.count) mismatches, \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            XCTAssertEqual(problems, [], name)
        }
    }

    /// Compares every float value of a taps file with ours; returns the count compared and the problems.
    static func compare(model: URL, taps: URL, inputSize: (height: Int, width: Int)?, inputSizeFromTaps: Bool = false) -> (Int, [String]) {
        var problems: [String] = [], compared = 0
        do {
            let (input, expected) = try Fixtures.taps(taps.path)
            let size = inputSize ?? (inputSizeFromTaps ? (input.shape[2], input.shape[3]) : nil)
            let network = try ONNXNetwork(contentsOf: model, inputSize: size)
            let ours = Set(network.taps.map(\.name))
            // Every float value computed from the input that has the batch first must be a tap of ours.
            let batchFirst = expected.filter { $0.value.shape.first == input.shape[0] && $0.value.rank >= 1 }.map(\.key)
            let missing = batchFirst.filter { !ours.contains($0) && !network.isConstant($0) }
            if !missing.isEmpty { problems.append("not tapped: \(missing.sorted())") }
            // Values without the batch first (Transpose, Flatten at axis 0, full means) are not
            // taps but are compared too.
            let names = expected.keys.filter { !network.isConstant($0) }.sorted()
            if names.isEmpty { problems.append("nothing to compare") }
            let got = try network.evaluate(input, names)
            for name in names {
                let (a, b) = (got[name]!.asFloat, expected[name]!)
                guard a.shape == b.shape else { problems.append("\(name): shape \(a.shape) vs \(b.shape)"); continue }
                let error = Fixtures.relativeError(a, b)
                if !(error <= 1e-4) { problems.append("\(name): relative error \(error)") }
                compared += 1
            }
        } catch {
            problems.append("\(error)")
        }
        return (compared, problems)
    }

    /// A model whose batch is dynamic runs at any batch size with the same per-sample values.
    func testBatchSizeDoesNotChangeValues() throws {
        let url = Fixtures.folder.appendingPathComponent("torch_mini_resnet_dynamic_batch_opset13.onnx")
        let network = try ONNXNetwork(contentsOf: url)
        let (input, _) = try Fixtures.taps("torch_mini_resnet_dynamic_batch_opset13.taps.safetensors")
        let last = network.taps.last!.name
        let both = try network.activations(input, taps: [last])[last]!
        for i in 0..<input.shape[0] {
            let one = try network.activations(input.slice(axis: 0, i..<(i + 1)), taps: [last])[last]!
            XCTAssertLessThan(Fixtures.relativeError(one, both.slice(axis: 0, i..<(i + 1))), 1e-5)
        }
        let tripled = try network.activations(Tensor.concat([input, input, input], axis: 0), taps: [last])[last]!
        XCTAssertEqual(tripled.shape[0], 3 * input.shape[0])
        XCTAssertLessThan(Fixtures.relativeError(tripled.slice(axis: 0, 0..<input.shape[0]), both), 1e-5)
    }
}
