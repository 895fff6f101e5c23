import Tensors

/// y = x·Wᵀ + b; keys `weight` [out, in] and `bias` [out] as torch.nn.Linear.
public final class Linear: Module, UnaryLayer {
    public let weight: Parameter
    public let bias: Parameter?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout Xoshiro256) {
        weight = Parameter(Init.uniformFanIn([outFeatures, inFeatures], fanIn: inFeatures, rng: &rng))
        self.bias = bias ? Parameter(Init.uniformFanIn([outFeatures], fanIn: inFeatures, rng: &rng)) : nil
    }

    /// Sets weight and bias to zero (the last layer of a coupling net starts as the identity map).
    public func zeroInitialize() {
        weight.assign(Tensor.zeros(weight.value.shape))
        bias?.assign(Tensor.zeros(bias!.value.shape))
    }

    public func forward(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }
}
