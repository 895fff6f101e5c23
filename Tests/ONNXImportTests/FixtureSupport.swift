import Foundation
@testable import ONNXImport
import SafeTensors
import Tensors
import XCTest

/// Fixtures/onnx: models written by Tests/Reference/onnx_reference.py with every node output
/// computed by onnxruntime (docs/onnx-reference.md).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")

    struct Manifest: Decodable {
        let cases: [Case]
    }

    struct Case: Decodable {
        struct Expectation: Decodable {
            let kind: String
            let mention: [String]
        }
        let name: String
        let kind: String
        let model: String
        let taps_file: String?
        let expect_error: Expectation?
        let valid_with_input_size: [Int]?
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    /// The input batch and onnxruntime's float32 value of every tap.
    static func taps(_ file: String) throws -> (input: Tensor, expected: [String: Tensor]) {
        let st = try SafeTensorsFile.read(contentsOf: file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file))
        var expected: [String: Tensor] = [:]
        for name in st.names where try st.entry(name).dtype == .f32 {
            let (shape, values) = try st.floats(name)
            expected[name] = Tensor(shape: shape, scalars: values)
        }
        guard let input = expected.removeValue(forKey: "input") else { throw XCTSkip("\(file) has no input") }
        return (input, expected)
    }

    /// max |a − b| relative to max |b|, the tolerance rule of the manifest.
    static func relativeError(_ a: Tensor, _ b: Tensor) -> Float {
        let scale = max(b.scalars.map(abs).max() ?? 0, 1e-12)
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    /// One node of a model written by `writeModel`; attributes are ints or int lists.
    struct NodeSpec {
        let op: String
        let inputs: [String]
        let output: String
        var attributes: [String: [Int]] = [:]
    }

    /// Writes a one-input model (opset 17) to a temporary file and returns its URL (the caller
    /// removes it). A nil input dimension is dynamic; a one-value attribute is written as an int.
    static func writeModel(_ name: String, nodes: [NodeSpec], initializers: [String: Tensor] = [:],
                           input: String, shape: [Int?]) throws -> URL {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        model.opsetImport = [opset]
        model.graph.initializer = initializers.sorted { $0.key < $1.key }.map { name, t in
            var p = Onnx_TensorProto()
            (p.name, p.dims, p.dataType, p.floatData) = (name, t.shape.map(Int64.init), Int32(Onnx_TensorProto.DataType.float.rawValue), t.scalars)
            return p
        }
        var x = Onnx_ValueInfoProto()
        x.name = input
        x.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        x.type.tensorType.shape.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "batch" }
            return dim
        }
        model.graph.input = [x]
        model.graph.node = nodes.map { spec in
            var n = Onnx_NodeProto()
            (n.opType, n.input, n.output, n.name) = (spec.op, spec.inputs, [spec.output], spec.output)
            n.attribute = spec.attributes.sorted { $0.key < $1.key }.map { key, values in
                var a = Onnx_AttributeProto()
                a.name = key
                if values.count == 1 { (a.type, a.i) = (.int, Int64(values[0])) } else { (a.type, a.ints) = (.ints, values.map(Int64.init)) }
                return a
            }
            return n
        }
        var output = Onnx_ValueInfoProto()
        output.name = nodes.last?.output ?? input
        model.graph.output = [output]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(ProcessInfo.processInfo.processIdentifier).onnx")
        try model.serializedData().write(to: url)
        return url
    }
}
