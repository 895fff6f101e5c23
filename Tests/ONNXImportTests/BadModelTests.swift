import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Each bad model is refused at load with an error that names the problem and the fix.
final class BadModelTests: XCTestCase {
    func testEveryBadFixtureGivesItsError() throws {
        let kinds: [String: (ONNXError) -> Bool] = [
            "not_onnx": { if case .notONNX = $0 { return true }; return false },
            "truncated": { if case .notONNX = $0 { return true }; return false },
            "unsupported_op": { if case .unsupportedOperator = $0 { return true }; return false },
            "external_data": { if case .externalData = $0 { return true }; return false },
            "multiple_inputs": { if case .inputCount = $0 { return true }; return false },
            "non_float_input": { if case .nonFloatInput = $0 { return true }; return false },
            "dynamic_input_size": { if case .dynamicInputSize = $0 { return true }; return false },
        ]
        var checked = 0
        for c in try Fixtures.manifest().cases {
            guard let expectation = c.expect_error else { continue }
            let url = Fixtures.folder.appendingPathComponent(c.model)
            XCTAssertThrowsError(try ONNXNetwork(contentsOf: url), c.name) { error in
                guard let e = error as? ONNXError else { return XCTFail("\(c.name): \(error) is not an ONNXError") }
                XCTAssertTrue(kinds[expectation.kind]?(e) ?? false, "\(c.name): \(e) is not a \(expectation.kind) error")
                for word in expectation.mention {
                    XCTAssertTrue(e.description.lowercased().contains(word.lowercased()), "\(c.name): '\(word)' not in: \(e.description)")
                }
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 9)
    }

    func testUnsupportedOperatorListsTheSupportedOnes() throws {
        let url = Fixtures.folder.appendingPathComponent("bad_unsupported_einsum.onnx")
        XCTAssertThrowsError(try ONNXNetwork(contentsOf: url)) { error in
            let text = "\(error)"
            for op in ["Conv", "Resize", "BatchNormalization", "Softmax"] { XCTAssertTrue(text.contains(op), text) }
        }
    }

    func testAMissingFileAndAnUnknownTapAreClearErrors() throws {
        XCTAssertThrowsError(try ONNXNetwork(contentsOf: URL(fileURLWithPath: "/nonexistent/model.onnx"))) { error in
            XCTAssertTrue("\(error)".contains("cannot read /nonexistent/model.onnx"), "\(error)")
        }
        let network = try ONNXNetwork(contentsOf: Fixtures.folder.appendingPathComponent("torch_mini_resnet_opset11.onnx"))
        let tap = network.taps[1].name
        XCTAssertThrowsError(try network.activations(Tensor.zeros([1] + network.inputShape), taps: [tap + "x"])) { error in
            guard case let .unknownTap(name, closest)? = error as? ONNXError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, tap + "x")
            XCTAssertEqual(closest.first, tap)
        }
        XCTAssertThrowsError(try network.activations(Tensor.zeros([1, 1, 4, 4]), taps: [tap])) { error in
            guard case .badInputTensor? = error as? ONNXError else { return XCTFail("\(error)") }
        }
    }

    /// A dynamic-size model takes --input-size; a fixed-size one refuses another size.
    func testInputSizeRules() throws {
        let dynamic = Fixtures.folder.appendingPathComponent("dynamic_hw.onnx")
        XCTAssertEqual(try ONNXNetwork(contentsOf: dynamic, inputSize: (16, 12)).inputShape, [3, 16, 12])
        let fixed = Fixtures.folder.appendingPathComponent("torch_mini_resnet_opset11.onnx")
        let shape = try ONNXNetwork(contentsOf: fixed).inputShape
        XCTAssertThrowsError(try ONNXNetwork(contentsOf: fixed, inputSize: (shape[1] + 1, shape[2]))) { error in
            guard case .inputSizeMismatch? = error as? ONNXError else { return XCTFail("\(error)") }
        }
    }
}
