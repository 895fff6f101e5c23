import Foundation
import SwiftProtobuf

/// An ONNX file as read and checked: nodes in a runnable order, initializers as values, the one
/// image input with its declared size. Everything that cannot be imported is refused here, with
/// the reason, before anything runs.
struct ModelFile {
    static let supportedOpsets = 7...18

    let path: String
    let opset: Int
    let producer: String
    let nodes: [Node]
    let initializers: [String: Value]
    let inputName: String
    /// [N, C, H, W] as declared; nil where the dimension is symbolic.
    let declaredInput: [Int?]
    let outputs: [String]

    init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ONNXError.unreadable(path: url.path, reason: error.localizedDescription) }
        try self.init(data: data, path: url.path)
    }

    /// The model in `data`, the bytes of the file at `path` (which errors name). Split from
    /// reading the file so that the fuzzer (docs/fuzzing.md) checks bytes without files.
    init(data: Data, path: String) throws {
        self.path = path
        guard !data.isEmpty else { throw ONNXError.notONNX(path: path, reason: "the file is empty") }
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: data) } catch {
            throw ONNXError.notONNX(path: path, reason: "the protobuf does not decode: \(error)")
        }
        guard model.irVersion > 0, model.hasGraph, !model.graph.node.isEmpty else {
            throw ONNXError.notONNX(path: path, reason: model.hasGraph ? "the graph has no nodes" : "no graph (ir_version \(model.irVersion))")
        }
        let standard = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        // IR version 3 and later always name their opset; without one the model predates opset 7.
        opset = standard.map { Int($0.version) } ?? 1
        guard Self.supportedOpsets.contains(opset) else {
            throw ONNXError.unsupportedOpset(path: path, version: opset, supported: Self.supportedOpsets)
        }
        producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        let graph = model.graph

        var initializers: [String: Value] = [:]
        for t in graph.initializer {
            if t.dataLocation == .external || !t.externalData.isEmpty { throw ONNXError.externalData(path: path, tensor: t.name) }
            do { initializers[t.name] = try TensorDecoding.value(t) } catch let f as TensorDecoding.Failure {
                throw ONNXError.notONNX(path: path, reason: "initializer '\(t.name)': \(f.reason)")
            }
        }
        self.initializers = initializers

        // Before IR version 4, initializers are listed among the inputs too.
        let inputs = graph.input.filter { initializers[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw ONNXError.inputCount(path: path, inputs: inputs.map(\.name))
        }
        inputName = input.name
        let tensorType = input.type.tensorType
        guard tensorType.elemType == Int32(Onnx_TensorProto.DataType.float.rawValue) else {
            let name = Onnx_TensorProto.DataType(rawValue: Int(tensorType.elemType)).map { "\($0)" } ?? "type \(tensorType.elemType)"
            throw ONNXError.nonFloatInput(path: path, input: input.name, type: name)
        }
        declaredInput = tensorType.shape.dim.map { d in
            if case let .dimValue(v)? = d.value, v > 0 { return Int(v) }
            return nil
        }
        guard declaredInput.count == 4 else {
            throw ONNXError.inputRank(path: path, input: input.name, shape: Self.describe(declaredInput))
        }
        outputs = graph.output.map(\.name)
        let nodes = graph.node.enumerated().map { Node($1, index: $0) }
        // Every operator has a first output; kernels may rely on it.
        if let node = nodes.first(where: { $0.outputs.first?.isEmpty ?? true }) { throw node.failure("the node has no output") }
        self.nodes = try Self.runnableOrder(nodes, available: Set(initializers.keys).union([input.name]), path: path)
    }

    /// The nodes in an order where every input is produced before it is read (ONNX requires
    /// topological order; some tools write otherwise, so the file's order is kept where it works).
    static func runnableOrder(_ nodes: [Node], available: Set<String>, path: String) throws -> [Node] {
        var known = available.union([""]), done = Array(repeating: false, count: nodes.count), order: [Node] = []
        order.reserveCapacity(nodes.count)
        while order.count < nodes.count {
            var progressed = false
            for (i, node) in nodes.enumerated() where !done[i] && node.inputs.allSatisfy(known.contains) {
                done[i] = true; progressed = true
                order.append(node)
                known.formUnion(node.outputs)
            }
            guard progressed else {
                let stuck = nodes.indices.first { !done[$0] }!
                let missing = nodes[stuck].inputs.first { !known.contains($0) } ?? "?"
                throw ONNXError.missingValue(name: missing, node: nodes[stuck].name)
            }
        }
        return order
    }

    static func describe(_ dims: [Int?]) -> String {
        "[" + dims.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
    }
}
