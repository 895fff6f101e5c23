import NN
import Tensors

/// net2net's conditional double affine coupling. With x = [a, b] split in halves and embedding e:
///
///     b' = b · exp(s₀([a ‖ e])) + t₀([a ‖ e])
///     a' = a · exp(s₁([b' ‖ e])) + t₁([b' ‖ e])        output [a', b'],  log-det Σ s₀ + Σ s₁
///
/// Every dimension is transformed once per block. Scales are soft-clamped as s = c·tanh(u / c):
/// bounded in (−c, c) like net2net's tanh (c = 1) but with slope 1 at 0, so small scales train as
/// if unclamped. Without a condition the nets see only the other half.
/// Keys: s.{0,1}.{layer}.weight/bias, t.{0,1}.… (2 hidden layers: layers 0, 2, 4).
public final class DoubleAffineCoupling: Module, InvertibleBlock {
    public let s: [Sequential]
    public let t: [Sequential]
    public let dimension: Int
    public let conditionDimension: Int?
    public let scaleClamp: Float

    public var blockDescription: String {
        "DoubleAffineCoupling(\(dimension)\(conditionDimension.map { ", condition \($0)" } ?? ""))"
    }

    public init(dimension: Int, conditionDimension: Int?, width: Int, hiddenLayers: Int = 2,
                scaleClamp: Float = 2, rng: inout Xoshiro256) {
        precondition(dimension >= 2 && dimension % 2 == 0, "DoubleAffineCoupling needs an even dimension ≥ 2, got \(dimension)")
        self.dimension = dimension
        self.conditionDimension = conditionDimension
        self.scaleClamp = scaleClamp
        let half = dimension / 2, input = half + (conditionDimension ?? 0)
        var sNets: [Sequential] = [], tNets: [Sequential] = []
        for _ in 0..<2 {
            sNets.append(CouplingNetwork.make(input: input, output: half, width: width, hiddenLayers: hiddenLayers, rng: &rng))
            tNets.append(CouplingNetwork.make(input: input, output: half, width: width, hiddenLayers: hiddenLayers, rng: &rng))
        }
        s = sNets
        t = tNets
    }

    /// Scale and shift for half `i` given the untouched half.
    private func scaleShift(_ i: Int, _ fixed: Tensor, _ condition: Tensor?) -> (Tensor, Tensor) {
        // An unconditional coupling inside a conditional network ignores the condition it is handed.
        let h = conditionDimension == nil ? fixed : Tensor.concat([fixed, condition!], axis: 1)
        let raw = s[i](h)
        let scale = (raw * (1 / scaleClamp)).tanh() * scaleClamp
        return (scale, t[i](h))
    }

    public func forward(_ x: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(x, condition)
        let halves = x.chunked(2, axis: 1)
        let a = halves[0]
        let (s0, t0) = scaleShift(0, a, condition)
        let b1 = halves[1] * s0.exp() + t0
        let (s1, t1) = scaleShift(1, b1, condition)
        let a1 = a * s1.exp() + t1
        return (Tensor.concat([a1, b1], axis: 1), (s0 + s1).sum(axes: [1]))
    }

    public func reverse(_ v: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(v, condition)
        let halves = v.chunked(2, axis: 1)
        let b1 = halves[1]
        let (s1, t1) = scaleShift(1, b1, condition)
        let a = (halves[0] - t1) * (-s1).exp()
        let (s0, t0) = scaleShift(0, a, condition)
        let b = (b1 - t0) * (-s0).exp()
        return (Tensor.concat([a, b], axis: 1), -(s0 + s1).sum(axes: [1]))
    }
}
