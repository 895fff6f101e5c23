import Foundation

/// Evaluates a whole graph on given values of all its inputs, node by node, without the rules an
/// expert needs (one image input, rank 4). For ONNX's backend conformance tests, whose graphs take
/// their weights as inputs and are often 1-D to 3-D.
enum GraphEvaluation {
    static func run(_ data: Data, inputs: [Onnx_TensorProto]) throws -> [Value] {
        let model = try Onnx_ModelProto(serializedBytes: data)
        let opset = Int(model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 1)
        var values: [String: Value] = [:]
        for t in model.graph.initializer { values[t.name] = try TensorDecoding.value(t) }
        let names = model.graph.input.map(\.name).filter { values[$0] == nil }
        for (name, proto) in zip(names, inputs) { values[name] = try TensorDecoding.value(proto) }
        let nodes = try ModelFile.runnableOrder(model.graph.node.enumerated().map { Node($1, index: $0) },
                                                available: Set(values.keys), path: "<conformance>")
        for node in nodes {
            let outputs = try ExecutionPlan.execute(node, opset: opset) { values[$0] }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty { values[name] = value }
        }
        return try model.graph.output.map { output in
            guard let v = values[output.name] else { throw ONNXError.missingValue(name: output.name, node: "graph output") }
            return v
        }
    }
}
