import Tensors

/// A module called with one tensor that returns one tensor (mlx-swift's `UnaryLayer`): layers,
/// `Sequential` and the experts. Conforming is what makes `layer(x)` compile, so a module without
/// such a computation (a flow block, a translator) cannot be called that way by mistake.
public protocol UnaryLayer: Module {
    func forward(_ x: Tensor) -> Tensor
}

extension UnaryLayer {
    public func callAsFunction(_ x: Tensor) -> Tensor { forward(x) }
}
