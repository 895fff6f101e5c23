import Tensors

/// A graph specialised to one input shape. It is made by running the first batch of that shape
/// through every node: nodes whose inputs are all constants (initializers, Constant nodes, the
/// Shape of a tensor whose shape is now known, and what is computed from those) are evaluated
/// once and kept as constants; the others become the steps that run for every later batch.
/// This folds the shape arithmetic of exports without a separate shape-inference pass.
final class ExecutionPlan {
    let inputName: String
    let nodes: [Node]
    let opset: Int
    private(set) var constants: [String: Value]
    /// Nodes (indices into `nodes`) that run per batch, in order.
    private(set) var steps: [Int] = []
    /// The shape of every value computed per batch, for the tap list.
    private(set) var shapes: [String: [Int]] = [:]

    /// Plans `file` for the shape of `input` and returns the plan with the values of `keep`
    /// (every value if `keep` is nil) computed on the way.
    init(file: ModelFile, input: Tensor, keep: Set<String>?) throws {
        (inputName, nodes, opset, constants) = (file.inputName, file.nodes, file.opset, file.initializers)
        var values: [String: Value] = [inputName: .float(input)], kept: [String: Value] = [:]
        let lastReader = Self.lastReaders(of: nodes)
        shapes[inputName] = input.shape
        for (index, node) in nodes.enumerated() {
            let folds = node.opType == "Shape" || node.inputs.allSatisfy { $0.isEmpty || constants[$0] != nil }
            let outputs = try Self.execute(node, opset: opset) { name in values[name] ?? constants[name] }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty {
                if folds { constants[name] = value; continue }
                values[name] = value
                if case .float = value { shapes[name] = value.shape }
                if keep?.contains(name) ?? true { kept[name] = value }
            }
            if !folds { steps.append(index) }
            for name in node.inputs where lastReader[name] == index && name != inputName { values[name] = nil }
        }
        self.initialValues = kept
    }

    /// The values kept while planning, handed out once.
    private(set) var initialValues: [String: Value] = [:]
    func takeInitialValues() -> [String: Value] { defer { initialValues = [:] }; return initialValues }

    /// Runs the steps that `wanted` depends on and returns those values. Every intermediate is
    /// released after its last reader.
    func run(_ input: Tensor, wanted: Set<String>) throws -> [String: Value] {
        var needed = wanted, chosen: [Int] = []
        for index in steps.reversed() where nodes[index].outputs.contains(where: needed.contains) {
            chosen.append(index)
            needed.formUnion(nodes[index].inputs)
        }
        chosen.reverse()
        let lastReader = Self.lastReaders(of: chosen.map { nodes[$0] })
        var values: [String: Value] = [inputName: .float(input)], out: [String: Value] = [:]
        if wanted.contains(inputName) { out[inputName] = .float(input) }
        for (position, index) in chosen.enumerated() {
            let node = nodes[index]
            let outputs = try Self.execute(node, opset: opset) { name in values[name] ?? constants[name] }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty {
                values[name] = value
                if wanted.contains(name) { out[name] = value }
            }
            for name in node.inputs where lastReader[name] == position { values[name] = nil }
        }
        return out
    }

    /// Runs one node with inputs looked up by `lookup`.
    static func execute(_ node: Node, opset: Int, lookup: (String) -> Value?) throws -> [Value] {
        guard let kernel = OperatorSet.kernels[node.opType] else {
            throw ONNXError.unsupportedOperator(op: node.opType, node: node.name, supported: OperatorSet.supported)
        }
        let inputs = try node.inputs.map { name -> Value? in
            if name.isEmpty { return nil }
            guard let v = lookup(name) else { throw ONNXError.missingValue(name: name, node: node.name) }
            return v
        }
        let outputs = try Autograd.withoutGradients { try kernel(OperatorContext(node: node, inputs: inputs, opset: opset)) }
        guard outputs.count >= node.outputs.filter({ !$0.isEmpty }).count else {
            throw node.failure("gives \(outputs.count) outputs, the graph reads \(node.outputs.count)")
        }
        return outputs
    }

    /// For each value, the position of the last node that reads it.
    static func lastReaders(of nodes: [Node]) -> [String: Int] {
        var last: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { for name in node.inputs where !name.isEmpty { last[name] = i } }
        return last
    }
}
