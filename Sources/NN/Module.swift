import Tensors

/// A trainable tensor. Its value is a gradient leaf unless the parameter is frozen.
public final class Parameter {
    public var value: Tensor
    public private(set) var isFrozen = false

    public init(_ value: Tensor) { self.value = value.detached.requiringGrad() }

    public var grad: Tensor? { value.grad }
    public func zeroGrad() { value.zeroGrad() }

    /// Replaces the value (loading weights), keeping the frozen state.
    public func assign(_ newValue: Tensor) {
        value = isFrozen ? newValue.detached : newValue.detached.requiringGrad()
    }

    func setFrozen(_ frozen: Bool) {
        isFrozen = frozen
        value = frozen ? value.detached : value.detached.requiringGrad()
    }
}

/// A non-trainable tensor saved with the weights (running statistics, permutations, flags).
/// `isInteger` buffers are stored as I64 in safetensors, as PyTorch stores them.
public final class Buffer {
    public var value: Tensor
    public let isInteger: Bool
    public init(_ value: Tensor, isInteger: Bool = false) { self.value = value.detached; self.isInteger = isInteger }
}

/// Base class of layers and models: named parameters, buffers and sub-modules, and the
/// training/evaluation mode. How a module is called is not its business but its protocol's:
/// `UnaryLayer` for one tensor in and one out, `InvertibleBlock` (Flows) for flow blocks, or the
/// model's own methods; so no module has a call that can only trap.
///
/// Parameters, buffers and sub-modules are found by reflection on stored properties, in
/// declaration order, and named as PyTorch names them: the property name in snake_case
/// (`runningMean` → `running_mean`), arrays of modules by index (`branches.0.weight`). So a model
/// whose properties mirror a PyTorch module's attributes has the same checkpoint keys.
open class Module {
    public private(set) var isTraining = true

    public init() {}

    /// Direct children, parameters and buffers with their local names.
    open func members() -> [(name: String, member: Any)] {
        var out: [(String, Any)] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [Mirror] = []
        while let m = mirror, m.subjectType != Module.self { levels.append(m); mirror = m.superclassMirror }
        for level in levels.reversed() {
            for child in level.children {
                guard let label = child.label, label != "isTraining" else { continue }
                let name = Module.snakeCase(label)
                switch Module.unwrapOptional(child.value) {
                case let p as Parameter: out.append((name, p))
                case let b as Buffer: out.append((name, b))
                case let m as Module: out.append((name, m))
                case let ms as [Module]: for (i, m) in ms.enumerated() { out.append(("\(name).\(i)", m)) }
                default: break
                }
            }
        }
        return out
    }

    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out = [(prefix, self)]
        for (name, m) in members() {
            if let sub = m as? Module { out += sub.namedModules(prefix: Module.join(prefix, name)) }
        }
        return out
    }

    public func namedParameters(prefix: String = "") -> [(String, Parameter)] {
        members().flatMap { name, m -> [(String, Parameter)] in
            let key = Module.join(prefix, name)
            if let p = m as? Parameter { return [(key, p)] }
            if let sub = m as? Module { return sub.namedParameters(prefix: key) }
            return []
        }
    }

    public func namedBuffers(prefix: String = "") -> [(String, Buffer)] {
        members().flatMap { name, m -> [(String, Buffer)] in
            let key = Module.join(prefix, name)
            if let b = m as? Buffer { return [(key, b)] }
            if let sub = m as? Module { return sub.namedBuffers(prefix: key) }
            return []
        }
    }

    /// Parameters that train (not frozen).
    public var trainableParameters: [Parameter] { namedParameters().map(\.1).filter { !$0.isFrozen } }

    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.1.value.count } }

    /// Training mode (batch statistics) or evaluation mode (running statistics), recursively.
    public func train(_ on: Bool = true) { for (_, m) in namedModules() { m.isTraining = on } }
    public func eval() { train(false) }

    /// `body` in evaluation mode and without recording gradients, then the mode the module was in
    /// (a scoped inference phase, as swift-apis' `inferring(from:)`): sampling and held-out
    /// measurements never trigger training-time behaviour such as ActNorm's data-dependent
    /// initialisation, and never leave the module in the wrong mode, whatever they throw.
    public func inferring<R>(_ body: () throws -> R) rethrows -> R {
        let wasTraining = isTraining
        if wasTraining { eval() }
        defer { if wasTraining { train() } }
        return try Autograd.withoutGradients(body)
    }

    /// Freezing stops gradients to every parameter below this module.
    public func freeze(_ frozen: Bool = true) { for (_, p) in namedParameters() { p.setFrozen(frozen) } }

    static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    static func snakeCase(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    private static func unwrapOptional(_ value: Any) -> Any? {
        let m = Mirror(reflecting: value)
        guard m.displayStyle == .optional else { return value }
        return m.children.first?.value
    }
}
