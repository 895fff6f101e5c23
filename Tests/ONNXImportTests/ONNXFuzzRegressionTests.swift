import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Models found by fuzzing (`scripts/fuzz onnx`, docs/fuzzing.md) or written while making the
/// target, rebuilt here from a fixture with the one field that broke the importer: each trapped,
/// and is now refused with an ONNXError.
final class ONNXFuzzRegressionTests: XCTestCase {
    private func relu() throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: Data(contentsOf: Fixtures.folder.appendingPathComponent("relu.onnx")))
    }

    private func load(_ model: Onnx_ModelProto) throws -> ONNXNetwork {
        try ONNXNetwork(data: model.serializedData(), url: URL(fileURLWithPath: "/fuzz/model.onnx"))
    }

    /// An initializer whose dims multiply past Int.max (found by the fuzzer after 20,000 runs):
    /// the element count overflowed before the data was compared with it.
    func testInitializerDimsWhoseProductOverflows() throws {
        var model = try relu()
        var tensor = Onnx_TensorProto()
        tensor.name = "huge"
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.dims = [1 << 40, 1 << 40]
        tensor.rawData = Data(count: 8)
        model.graph.initializer.append(tensor)
        XCTAssertThrowsError(try load(model)) { error in
            guard case let ONNXError.notONNX(path, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, "/fuzz/model.onnx")
            XCTAssertTrue(reason.contains("'huge'") && reason.contains("more values than can be counted"), reason)
        }
        // A count that fits but whose byte size does not.
        tensor.dims = [1 << 62]
        model.graph.initializer[model.graph.initializer.count - 1] = tensor
        XCTAssertThrowsError(try load(model)) { error in
            guard case let ONNXError.notONNX(_, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(reason.contains("raw_data holds 8 bytes"), reason)
        }
    }

    /// A declared input too large to allocate a probe batch of: the importer made one of zeros
    /// to list the taps, and the size overflowed (or the allocation failed).
    func testDeclaredInputTooLargeForABatch() throws {
        var model = try relu()
        for (axis, size) in [(2, Int64(1) << 40), (0, Int64(1) << 30)] {
            var changed = model
            changed.graph.input[0].type.tensorType.shape.dim[axis].dimValue = size
            XCTAssertThrowsError(try load(changed), "axis \(axis)") { error in
                guard case let ONNXError.badNode(op, _, reason) = error else { return XCTFail("unexpected \(error)") }
                XCTAssertEqual(op, "input")
                XCTAssertTrue(reason.contains("too large"), reason)
            }
        }
        XCTAssertNoThrow(try load(model))
        model.graph.input[0].type.tensorType.shape.dim[2].dimValue = 64
        XCTAssertNoThrow(try load(model))
    }

    /// 283 bytes found by the fuzzer (44,643 runs): an opset-18 Pad whose pads, mutated to
    /// 2⁵⁶-odd, overflowed when added to the axis size.
    func testPadsThatOverflowThePaddedSize() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/onnx/regression-pad-overflow.onnx")
        XCTAssertThrowsError(try ONNXNetwork(contentsOf: url)) { error in
            guard case let ONNXError.badNode(op, _, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(op, "Pad")
            XCTAssertTrue(reason.contains("too large"), reason)
        }
    }

    /// Float values read as integers (a Cast, or a float tensor given as a shape): NaN and values
    /// beyond Int64 trapped in the conversion; they now get a definite value that later checks refuse.
    func testFloatsBeyondInt64AreTruncatedWithoutATrap() {
        let value = Value.float(Tensor(shape: [6], scalars: [.nan, .infinity, -.infinity, 1e30, -2.7, 0x1p62]))
        XCTAssertEqual(value.integers, [0, .max, .min, .max, -2, 1 << 62])
        XCTAssertEqual(value.asInteger.values, [0, .max, .min, .max, -2, 1 << 62])
    }

    /// Shapes computed from the model's data: a broadcast too large to allocate, and sizes whose
    /// product overflows (Reshape), are errors of the node.
    func testBroadcastsAndProductsTooLargeAreRefused() throws {
        var proto = Onnx_NodeProto()
        proto.opType = "Add"
        let context = OperatorContext(node: Node(proto, index: 0), inputs: [], opset: 13)
        XCTAssertEqual(try context.broadcastShape([3, 1], [1, 4]), [3, 4])
        XCTAssertThrowsError(try context.broadcastShape([1 << 16, 1], [1, 1 << 16]))
        XCTAssertEqual(try context.product([2, 3, 0]), 0)
        XCTAssertThrowsError(try context.product([1 << 40, 1 << 40]))
    }

    /// 266 bytes found by the fuzzer (557,921 runs): a MaxPool node whose output list was emptied;
    /// the kernel read its second output's name. A node without an output is refused on load.
    func testNodeWithoutOutputs() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/onnx/regression-node-without-outputs.onnx")
        XCTAssertThrowsError(try ONNXNetwork(contentsOf: url)) { error in
            guard case let ONNXError.badNode(op, _, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(op, "MaxPool")
            XCTAssertTrue(reason.contains("no output"), reason)
        }
    }
}
