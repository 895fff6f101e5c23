import Tensors

/// How a node runs when an execution plan keeps feature maps channels-last between layers.
///
/// oneDNN's inference convolutions read and write [N, H, W, C] directly; in the engine's
/// [N, C, H, W] each one paid two reorders of its whole input and output, as long as the
/// convolution itself on MobileNetV3. So maps stay channels-last from one convolution to the
/// next: through pooling, and through the operators that do not care how a map is stored
/// (activations, and broadcast arithmetic once every operand is read in the same storage order).
/// They are turned back only at an operator that does care, or where a caller asks for the value.
enum ChannelsLastRule: Equatable {
    /// Input 0 is read channels-last and the output written channels-last (MaxPool, AveragePool).
    case spatial
    /// As `spatial`, except that a first layer reads an x stored channels-first as it is, where
    /// the convolution writes channels-last from it directly (`Tensor.convolutionRelaysDirectly`):
    /// the network's image then needs no reorder (Conv).
    case convolution
    /// Input 0 is read channels-last; the output, [N, C, 1, 1], is the same in both layouts
    /// (GlobalAveragePool).
    case reduction
    /// Elementwise: runs channels-last when one of the `operands` (input indices) is stored so,
    /// reading all of them channels-last. Other inputs (Clip's bounds) are read as they are.
    case elementwise(operands: Operands)
    /// Everything else reads channels-first.
    case channelsFirst

    enum Operands { case first, all }

    static func rule(for opType: String) -> ChannelsLastRule {
        switch opType {
        case "Conv": return .convolution
        case "MaxPool", "AveragePool": return .spatial
        case "GlobalAveragePool": return .reduction
        case "Relu", "Sigmoid", "Tanh", "Exp", "Sqrt", "Erf", "Reciprocal", "Floor", "Ceil", "Neg", "LeakyRelu",
             "HardSigmoid", "HardSwish", "Clip":
            return .elementwise(operands: .first)
        case "Add", "Sub", "Mul", "Div", "Max", "Min", "PRelu":
            return .elementwise(operands: .all)
        default: return .channelsFirst
        }
    }

    /// The layout in which `node` reads each input and writes its outputs, given how its inputs
    /// are stored now.
    func layouts(of node: Node, values: LaidOutValues) -> (inputs: [FeatureMapLayout], output: FeatureMapLayout) {
        let plain = Array(repeating: FeatureMapLayout.channelsFirst, count: node.inputs.count)
        switch self {
        case .convolution:
            guard let x = node.inputs.first, values.rank(of: x) == 4 else { return (plain, .channelsFirst) }
            if values.layout(of: x) == .channelsFirst, node.inputs.count > 1, let xs = values.storedShape(of: x),
               let ws = values.storedShape(of: node.inputs[1]), ws.count == 4,
               Tensor.convolutionRelaysDirectly(inChannels: xs[1], outChannels: ws[0], groups: node.int("group", default: 1)) {
                return (plain, .channelsLast)
            }
            return ChannelsLastRule.spatial.layouts(of: node, values: values)
        case .spatial, .reduction:
            guard let x = node.inputs.first, values.rank(of: x) == 4 else { return (plain, .channelsFirst) }
            var inputs = plain
            inputs[0] = .channelsLast
            return (inputs, self == .spatial ? .channelsLast : .channelsFirst)
        case let .elementwise(operands):
            let indices = operands == .first ? Array(node.inputs.indices.prefix(1)) : Array(node.inputs.indices)
            let names = indices.map { node.inputs[$0] }.filter { !$0.isEmpty }
            guard names.contains(where: { values.layout(of: $0) == .channelsLast }),
                  names.allSatisfy({ (values.rank(of: $0) ?? 5) <= 4 }) else { return (plain, .channelsFirst) }
            var inputs = plain
            for i in indices { inputs[i] = .channelsLast }
            return (inputs, .channelsLast)
        case .channelsFirst:
            return (plain, .channelsFirst)
        }
    }
}
