import Foundation

/// Reverse-mode automatic differentiation.
///
/// Every op that sees an input with a `GradNode` records one node for its output, holding the
/// op's local gradient rule: a closure from the output's gradient to each input's gradient.
/// `backward()` orders the graph topologically and walks it in reverse, accumulating gradients
/// into the inputs. Leaves (parameters) keep their gradients; intermediate ones are freed as soon
/// as they have been passed on. Inside `Autograd.withoutGradients` nothing is recorded, so frozen
/// inference keeps no intermediate tensors alive.
final class GradNode {
    /// One entry per op input; nil where that input needs no gradient.
    let parents: [GradNode?]
    /// Local rule: output gradient → one gradient per input (nil where `parents` is nil).
    /// Dropped once used, with the tensors it captured: otherwise the graph would keep views of
    /// the weights alive, and the optimiser's in-place update would have to copy them all.
    var rule: ((Tensor) -> [Tensor?])?
    let shape: [Int]
    var grad: Tensor?

    init(shape: [Int], parents: [GradNode?], rule: ((Tensor) -> [Tensor?])?) {
        self.shape = shape
        self.parents = parents
        self.rule = rule
    }

    func accumulate(_ g: Tensor) {
        precondition(g.shape == shape, "gradient of shape \(g.shape) for a tensor of shape \(shape)")
        if grad == nil { grad = g.detached } else { grad!.addInPlace(g) }
    }
}

public enum Autograd {
    /// Depth of nested `withoutGradients` scopes, per thread: `Parallel.jobs` trains models on
    /// two threads at once, and one evaluating must not switch off the other's recording.
    /// (No side effects inside `precondition`: -Ounchecked does not evaluate it.)
    private static let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        if status != 0 { fatalError("pthread_key_create failed: \(status)") }
        return key
    }()
    private static var disabledDepth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { _ = pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    public static var isRecording: Bool { disabledDepth == 0 }

    /// Runs `body` without recording any operation.
    public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        disabledDepth += 1
        defer { disabledDepth -= 1 }
        return try body()
    }

    /// Attaches a node to `output` if recording and any input carries one. `rule` gets the
    /// output's gradient and which inputs need one, and returns one gradient per input.

    static func record(_ output: Tensor, inputs: [Tensor],
                       rule: @escaping (Tensor, [Bool]) -> [Tensor?]) -> Tensor {
        guard disabledDepth == 0 else { return output }
        let parents = inputs.map(\.node)
        guard parents.contains(where: { $0 != nil }) else { return output }
        let needs = parents.map { $0 != nil }
        var out = output
        out.node = GradNode(shape: output.shape, parents: parents) { g in rule(g, needs) }
        return out
    }

    /// `record` for rules that compute every input's gradient anyway.

    static func record(_ output: Tensor, inputs: [Tensor], rule: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        record(output, inputs: inputs) { g, _ in rule(g) }
    }
}

extension Tensor {
    /// A leaf that accumulates gradients (a parameter, or an input under test).
    public func requiringGrad() -> Tensor {
        Tensor(shape: shape, storage: storage, node: GradNode(shape: shape, parents: [], rule: nil))
    }

    public var requiresGrad: Bool { node != nil }

    /// The accumulated gradient of a leaf after `backward()`.
    public var grad: Tensor? { node?.grad }

    /// Multiplies a leaf's accumulated gradient in place (gradient clipping).
    public func scaleGradient(by factor: Float) {
        node?.grad?.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] *= factor } }
    }

    /// Forgets a leaf's accumulated gradient.
    public func zeroGrad() { node?.grad = nil }

    /// Back-propagates from this tensor (a scalar unless `seed` is given). The graph is consumed:
    /// a second `backward()` through the same graph needs the forward pass run again.
    public func backward(seed: Tensor? = nil) {
        guard let root = node else {
            preconditionFailure("backward() on a tensor without gradient history")
        }
        precondition(seed != nil || count == 1, "backward() without a seed needs a scalar, shape is \(shape)")
        // Post-order DFS (iterative: deep flows make deep graphs): every node after its parents.
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Bool)] = [(root, false)]
        while let (n, expanded) = stack.popLast() {
            if expanded { order.append(n); continue }
            guard visited.insert(ObjectIdentifier(n)).inserted else { continue }
            stack.append((n, true))
            for case let p? in n.parents where !visited.contains(ObjectIdentifier(p)) { stack.append((p, false)) }
        }
        root.accumulate(seed ?? Tensor(shape: shape, repeating: 1))
        for n in order.reversed() {
            guard let rule = n.rule, let g = n.grad else { continue }
            n.grad = nil  // intermediate gradients are not kept
            n.rule = nil
            for (p, gp) in zip(n.parents, rule(g)) {
                if let p, let gp { p.accumulate(gp) }
            }
        }
    }
}
