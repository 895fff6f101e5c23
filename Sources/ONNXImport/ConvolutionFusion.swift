import Tensors

/// A Conv whose output feeds only an activation, which then runs inside the convolution (a
/// oneDNN post-op) instead of as its own pass over the output: Conv → Relu / HardSwish /
/// HardSigmoid / Clip, and MobileNetV3's hard swish as exported before opset 14,
/// Conv → {HardSigmoid(1/6, 1/2), Mul(conv, hardsigmoid)}.
///
/// A fusion hides values (the Conv's own output, the HardSigmoid's), so a run applies it only
/// when none of those is asked for; taps of every value still see every node run on its own.
struct ConvolutionFusion {
    let activation: ConvolutionActivation
    /// Nodes (indices into the plan's nodes) whose work the convolution does.
    let absorbed: [Int]
    /// Values that are not computed when fused.
    let hidden: [String]
    /// The value the fused convolution gives: the last absorbed node's output.
    let output: String

    /// The fusions of a planned graph, by the index of their Conv node. `steps` are the nodes
    /// that run per batch; `constant` reads a folded value (Clip's bounds).
    static func find(nodes: [Node], steps: [Int], opset: Int, constant: (String) -> Value?) -> [Int: ConvolutionFusion] {
        var readers: [String: [Int]] = [:]
        for (i, node) in nodes.enumerated() { for name in Set(node.inputs) where !name.isEmpty { readers[name, default: []].append(i) } }
        var found: [Int: ConvolutionFusion] = [:]
        for index in steps where nodes[index].opType == "Conv" {
            guard let y = nodes[index].outputs.first, !y.isEmpty, let users = readers[y] else { continue }
            if users.count == 1, let activation = single(nodes[users[0]], opset: opset, constant: constant) {
                found[index] = ConvolutionFusion(activation: activation, absorbed: users, hidden: [y], output: nodes[users[0]].outputs[0])
            } else if users.count == 2, let fusion = hardSwish(y, users.map { ($0, nodes[$0]) }, readers: readers) {
                found[index] = fusion
            }
        }
        return found
    }

    /// The activation of a one-input activation node reading the convolution, if it is one oneDNN runs.
    private static func single(_ node: Node, opset: Int, constant: (String) -> Value?) -> ConvolutionActivation? {
        guard node.outputs.count == 1, !node.outputs[0].isEmpty else { return nil }
        switch node.opType {
        case "Relu": return .relu
        case "HardSwish": return .hardSwish
        case "HardSigmoid": return .hardSigmoid(alpha: node.float("alpha", default: 0.2), beta: node.float("beta", default: 0.5))
        case "Clip":
            if opset < 11 {
                let low = node.float("min", default: -.infinity), high = node.float("max", default: .infinity)
                return low <= high ? .clip(low: low, high: high) : nil
            }
            // Bounds given as inputs must be folded scalars; a bound computed per batch is not fused.
            func bound(_ i: Int, _ absent: Float) -> Float? {
                guard i < node.inputs.count, !node.inputs[i].isEmpty else { return absent }
                guard let v = constant(node.inputs[i]), v.elementCount == 1 else { return nil }
                return Float(v.doubles[0])
            }
            // min > max gives max in ONNX but min in oneDNN's clip: leave that to the Clip kernel.
            guard let low = bound(1, -.infinity), let high = bound(2, .infinity), low <= high else { return nil }
            return .clip(low: low, high: high)
        default: return nil
        }
    }

    /// x · HardSigmoid(x) with alpha 1/6 and beta 1/2 is hard swish (PyTorch's export of
    /// nn.Hardswish at opsets below 14); the HardSigmoid's output must feed only the Mul.
    private static func hardSwish(_ y: String, _ users: [(Int, Node)], readers: [String: [Int]]) -> ConvolutionFusion? {
        guard let (h, sigmoid) = users.first(where: { $0.1.opType == "HardSigmoid" }),
              let (m, product) = users.first(where: { $0.1.opType == "Mul" }),
              abs(sigmoid.float("alpha", default: 0.2) - 1 / 6) < 1e-6, sigmoid.float("beta", default: 0.5) == 0.5,
              let s = sigmoid.outputs.first, !s.isEmpty, readers[s] == [m],
              Set(product.inputs) == [y, s], product.inputs.count == 2, let out = product.outputs.first, !out.isEmpty
        else { return nil }
        return ConvolutionFusion(activation: .hardSwish, absorbed: [h, m], hidden: [y, s], output: out)
    }
}
