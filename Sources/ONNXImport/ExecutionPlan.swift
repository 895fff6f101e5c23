import Tensors

/// A graph specialised to one input shape. It is made by running the first batch of that shape
/// through every node: nodes whose inputs are all constants (initializers, Constant nodes, the
/// Shape of a tensor whose shape is now known, and what is computed from those) are evaluated
/// once and kept as constants; the others become the steps that run for every later batch.
/// This folds the shape arithmetic of exports without a separate shape-inference pass.
///
/// Later runs fuse a convolution's activation into it (`ConvolutionFusion`) where no hidden value
/// is asked for, and keep constant convolution weights in oneDNN's layout (`weightCache`).
final class ExecutionPlan {
    let inputName: String
    let nodes: [Node]
    let opset: Int
    private(set) var constants: [String: Value]
    /// Nodes (indices into `nodes`) that run per batch, in order.
    private(set) var steps: [Int] = []
    /// The batch size planned for.
    let batch: Int
    /// The shape of every float value computed per batch, for the tap list.
    private(set) var shapes: [String: [Int]] = [:]
    /// The shape of every integer value computed per batch (ArgMax, Cast of a map), for
    /// `keepsImagesApart`.
    private var integerShapes: [String: [Int]] = [:]
    /// Activations fused into the Conv steps, by Conv node index.
    private(set) var fusions: [Int: ConvolutionFusion] = [:]
    /// The constant weights of this plan's convolutions in the layouts their primitives read.
    let weightCache = ConvolutionWeightCache()
    /// Whether runs keep maps channels-last between layers (off: every node reads and writes
    /// [N, C, H, W], for A/B comparisons in tests).
    private let keepsChannelsLast: Bool

    /// Plans `file` for the shape of `input` and returns the plan with the values of `keep`
    /// (every value if `keep` is nil) computed on the way.
    init(file: ModelFile, input: Tensor, keep: Set<String>?, keepsChannelsLast: Bool = true) throws {
        (inputName, nodes, opset, constants, batch) = (file.inputName, file.nodes, file.opset, file.initializers, input.shape[0])
        self.keepsChannelsLast = keepsChannelsLast
        var values: [String: Value] = [inputName: .float(input)], kept: [String: Value] = [:]
        let lastReader = Self.lastReaders(of: nodes)
        shapes[inputName] = input.shape
        for (index, node) in nodes.enumerated() {
            let folds = node.opType == "Shape" || node.inputs.allSatisfy { $0.isEmpty || constants[$0] != nil }
            // Planning runs once and without fusions: caching its weights would keep a second
            // reordered copy, for primitives later runs do not use.
            let outputs = try Self.execute(node, opset: opset) { name in values[name] ?? constants[name] }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty {
                if folds { constants[name] = value; continue }
                values[name] = value
                if case .float = value { shapes[name] = value.shape } else { integerShapes[name] = value.shape }
                if keep?.contains(name) ?? true { kept[name] = value }
            }
            if !folds { steps.append(index) }
            for name in node.inputs where lastReader[name] == index && name != inputName { values[name] = nil }
        }
        self.initialValues = kept
        fusions = ConvolutionFusion.find(nodes: nodes, steps: steps, opset: opset) { [constants] in constants[$0] }
    }

    /// Whether each image's values depend on that image alone, judged against the plan of the
    /// same graph for another batch size: every value computed per batch has the batch as its
    /// first axis in both plans and the same other axes, and no node names axis 0 (a Softmax or
    /// CumSum over the batch keeps the shapes but mixes the images). Only then may a batch run
    /// in pieces.
    func keepsImagesApart(comparedWith other: ExecutionPlan) -> Bool {
        guard batch != other.batch, steps == other.steps else { return false }
        func shape(_ name: String, in plan: ExecutionPlan) -> [Int]? { plan.shapes[name] ?? plan.integerShapes[name] }
        for node in steps.map({ nodes[$0] }) {
            for name in node.outputs where !name.isEmpty {
                guard let mine = shape(name, in: self), let theirs = shape(name, in: other), mine.first == batch,
                      theirs.first == other.batch, mine.dropFirst() == theirs.dropFirst() else { return false }
            }
            let axes = (node.ints("axes") ?? []) + (node.attributes["axis"] == nil ? [] : [node.int("axis", default: 0)])
            let rank = node.inputs.first.flatMap { shape($0, in: self) ?? constants[$0]?.shape }?.count
            // A negative axis counts from the end of the first input; unknown rank: assume the worst.
            if axes.contains(where: { axis in axis == 0 || (axis < 0 && rank.map { axis + $0 == 0 } ?? true) }) { return false }
        }
        return true
    }

    /// The values kept while planning, handed out once.
    private(set) var initialValues: [String: Value] = [:]
    func takeInitialValues() -> [String: Value] { defer { initialValues = [:] }; return initialValues }

    /// Runs the steps that `wanted` depends on and returns those values. Every intermediate is
    /// released after its last reader. Fusions apply where they hide nothing in `wanted`; maps
    /// stay channels-last between the nodes that allow it (`ChannelsLastRule`), and every value
    /// handed out is channels-first.
    func run(_ input: Tensor, wanted: Set<String>) throws -> [String: Value] { try runCounting(input, wanted: wanted).values }

    /// `run`, how many nodes ran on channels-last maps and how many maps were copied into the
    /// other layout (tests check that the route is taken).
    func runCounting(_ input: Tensor, wanted: Set<String>) throws -> (values: [String: Value], channelsLastNodes: Int, conversions: Int) {
        var needed = wanted, chosen: [Int] = []
        for index in steps.reversed() where nodes[index].outputs.contains(where: needed.contains) {
            chosen.append(index)
            needed.formUnion(nodes[index].inputs)
        }
        chosen.reverse()
        let lastReader = Self.lastReaders(of: chosen.map { nodes[$0] })
        var values = LaidOutValues { [constants] in constants[$0] }, out: [String: Value] = [:]
        values.store(inputName, .float(input), layout: .channelsFirst)
        if wanted.contains(inputName) { out[inputName] = .float(input) }
        let running = Set(chosen)
        var absorbed = Set<Int>(), channelsLastNodes = 0
        for (position, index) in chosen.enumerated() {
            let node = nodes[index]
            defer { for name in node.inputs where lastReader[name] == position { values.release(name) } }
            if absorbed.contains(index) { continue }  // done by the convolution it was fused into
            let fusion = fusions[index].flatMap { f in
                f.absorbed.allSatisfy(running.contains) && !f.hidden.contains(where: wanted.contains) ? f : nil
            }
            let rule = keepsChannelsLast ? ChannelsLastRule.rule(for: node.opType) : .channelsFirst
            let layouts = rule.layouts(of: node, values: values)
            if layouts.inputs.contains(.channelsLast) || layouts.output == .channelsLast { channelsLastNodes += 1 }
            // A kernel's layout is that of its map input (GlobalAveragePool reads channels-last, writes [N, C, 1, 1];
            // a first-layer Conv reads the image channels-first and writes channels-last).
            let outputs = try execute(node, activation: fusion?.activation, layout: layouts.inputs.first ?? .channelsFirst,
                                      outputLayout: layouts.output) { name in
                node.inputs.firstIndex(of: name).flatMap { values.value(name, in: layouts.inputs[$0]) }
            }
            let names = fusion.map { [$0.output] } ?? node.outputs
            if let fusion { absorbed.formUnion(fusion.absorbed) }
            for (name, value) in zip(names, outputs) where !name.isEmpty {
                values.store(name, value, layout: layouts.output)
                if wanted.contains(name) { out[name] = values.value(name, in: .channelsFirst) }
            }
        }
        return (out, channelsLastNodes, values.conversions)
    }

    /// Runs one node of this plan: convolutions get the weight cache when their weight is a
    /// constant (it cannot change between runs), and the fused activation if any.
    private func execute(_ node: Node, activation: ConvolutionActivation?, layout: FeatureMapLayout, outputLayout: FeatureMapLayout,
                         lookup: (String) -> Value?) throws -> [Value] {
        let convolution = node.opType == "Conv" || node.opType == "ConvTranspose"
        let frozen = convolution && node.inputs.count > 1 && constants[node.inputs[1]] != nil
        return try Self.execute(node, opset: opset, activation: activation, weightCache: frozen ? weightCache : nil, layout: layout,
                                outputLayout: outputLayout, lookup: lookup)
    }

    /// Runs one node with inputs looked up by `lookup`.
    static func execute(_ node: Node, opset: Int, activation: ConvolutionActivation? = nil, weightCache: ConvolutionWeightCache? = nil,
                        layout: FeatureMapLayout = .channelsFirst, outputLayout: FeatureMapLayout? = nil,
                        lookup: (String) -> Value?) throws -> [Value] {
        guard let kernel = OperatorSet.kernels[node.opType] else {
            throw ONNXError.unsupportedOperator(op: node.opType, node: node.name, supported: OperatorSet.supported)
        }
        let inputs = try node.inputs.map { name -> Value? in
            if name.isEmpty { return nil }
            guard let v = lookup(name) else { throw ONNXError.missingValue(name: name, node: node.name) }
            return v
        }
        let context = OperatorContext(node: node, inputs: inputs, opset: opset, activation: activation, weightCache: weightCache,
                                      layout: layout, outputLayout: outputLayout ?? layout)
        let outputs = try Autograd.withoutGradients { try kernel(context) }
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
