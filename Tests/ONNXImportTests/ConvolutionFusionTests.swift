import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Runs that fuse activations into convolutions and read cached weights (what a network gives
/// when only its output is asked for) against onnxruntime: the tap comparisons ask for every
/// value, which turns every fusion off.
final class ConvolutionFusionTests: XCTestCase {
    func testFusedRunsOfEveryFixtureMatchOnnxRuntime() throws {
        let manifest = try Fixtures.manifest()
        var failures: [String] = [], fused: [String: Int] = [:], compared = 0
        for c in manifest.cases where c.kind != "bad_input" {
            guard let tapsFile = c.taps_file, let taps = try? Fixtures.taps(tapsFile) else { continue }
            let result = try Self.fusedRun(model: Fixtures.folder.appendingPathComponent(c.model), input: taps.input, expected: taps.expected)
            failures += result.failures.map { "\(c.name) \($0)" }
            compared += result.compared
            fused.merge(result.fused, uniquingKeysWith: +)
        }
        XCTAssertEqual(failures, [])
        XCTAssertGreaterThan(compared, 300)
        // The mini MobileNet (Clip, HardSigmoid + Mul) and the mini ResNets (Relu) have each kind.
        for kind in ["relu", "hardSwish", "hardSigmoid", "clip"] { XCTAssertGreaterThan(fused[kind] ?? 0, 0, kind) }
        print("compared \(compared) fused outputs; fusions \(fused)")
    }

    /// The same for the large models (not in CI): `ONNX_MODELS_DIR=DIR scripts/test --filter LargeModel`.
    func testFusedRunsOfLargeModelsMatchOnnxRuntime() throws {
        guard let dir = ProcessInfo.processInfo.environment["ONNX_MODELS_DIR"] else {
            throw XCTSkip("set ONNX_MODELS_DIR to the folder onnx_reference.py --models wrote (docs/onnx.md)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".taps.safetensors") }.sorted()
        for file in files {
            let name = String(file.dropLast(".taps.safetensors".count))
            let (input, expected) = try Fixtures.taps(dir + "/" + file)
            let result = try Self.fusedRun(model: URL(fileURLWithPath: dir + "/" + name + ".onnx"), input: input, expected: expected)
            XCTAssertEqual(result.failures, [], name)
            print("\(name): \(result.compared) fused outputs compared; fusions \(result.fused)")
        }
    }

    /// Plans `model` for `input`, then runs it twice asking only for the last step's outputs (the
    /// second run reads the weights the first one cached) and compares them with onnxruntime's.
    static func fusedRun(model: URL, input: Tensor, expected: [String: Tensor]) throws
        -> (failures: [String], compared: Int, fused: [String: Int]) {
        let plan = try ExecutionPlan(file: try ModelFile(contentsOf: model), input: input, keep: [])
        guard let last = plan.steps.last else { return ([], 0, [:]) }
        var failures: [String] = [], compared = 0, fused: [String: Int] = [:]
        for fusion in plan.fusions.values { fused["\(fusion.activation)".components(separatedBy: "(")[0], default: 0] += 1 }
        let outputs = Set(plan.nodes[last].outputs.filter { expected[$0] != nil })
        for run in 0..<2 {
            let got = try plan.run(input, wanted: outputs)
            for name in outputs {
                let error = Fixtures.relativeError(got[name]!.asFloat, expected[name]!)
                if !(error <= 1e-4) { failures.append("run \(run): \(name): relative error \(error)") }
                compared += 1
            }
        }
        return (failures, compared, fused)
    }

    /// Asking for a value a fusion hides turns that fusion off: the value is computed and correct.
    func testAskingForAHiddenValueComputesIt() throws {
        let (input, expected) = try Fixtures.taps("torch_mini_mobilenet_opset13.taps.safetensors")
        let plan = try ExecutionPlan(file: try ModelFile(contentsOf: Fixtures.folder.appendingPathComponent("torch_mini_mobilenet_opset13.onnx")),
                                     input: input, keep: [])
        let hidden = plan.fusions.values.flatMap(\.hidden)
        XCTAssertFalse(hidden.isEmpty)
        let got = try plan.run(input, wanted: Set(hidden))
        for name in hidden { XCTAssertLessThanOrEqual(Fixtures.relativeError(got[name]!.asFloat, expected[name]!), 1e-4, name) }
    }
}
