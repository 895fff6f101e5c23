import Foundation
import Tensors

/// Updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    var parameters: [Parameter] { get }
    /// One update; parameters without a gradient are left alone.
    func step()
}

extension Optimizer {
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Adam / AMSGrad with PyTorch's update rule (bias-corrected moments; L2 weight decay added to
/// the gradient, as torch.optim.Adam does).
public final class Adam: Optimizer {
    public var learningRate: Float
    public let parameters: [Parameter]
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, amsgrad: Bool
    public private(set) var stepCount = 0
    private var m: [[Float]], v: [[Float]], vMax: [[Float]]

    public init(_ parameters: [Parameter], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                epsilon: Float = 1e-8, weightDecay: Float = 0, amsgrad: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        (beta1, beta2, self.epsilon, self.weightDecay, self.amsgrad) = (betas.0, betas.1, epsilon, weightDecay, amsgrad)
        m = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        v = m
        vMax = amsgrad ? m : []
    }

    /// Moments and step count, for resuming training (keys `m.i`, `v.i`, `v_max.i`, `step`).
    public func state() -> [String: Tensor] {
        var out = ["step": Tensor(Float(stepCount))]
        for i in parameters.indices {
            let shape = [m[i].count]
            out["m.\(i)"] = Tensor(shape: shape, scalars: m[i])
            out["v.\(i)"] = Tensor(shape: shape, scalars: v[i])
            if amsgrad { out["v_max.\(i)"] = Tensor(shape: shape, scalars: vMax[i]) }
        }
        return out
    }

    /// Restores `state()`; fails (changing nothing) if it was saved for other parameters.
    public func load(state: [String: Tensor]) throws {
        struct Mismatch: Error, CustomStringConvertible { let description: String }
        for i in parameters.indices {
            for key in ["m.\(i)", "v.\(i)"] + (amsgrad ? ["v_max.\(i)"] : []) where state[key]?.count != m[i].count {
                throw Mismatch(description: "optimizer state does not fit the model (\(key)); resume without it or start afresh")
            }
        }
        guard let step = state["step"] else { throw Mismatch(description: "optimizer state has no step") }
        stepCount = Int(step.item)
        for i in parameters.indices {
            m[i] = state["m.\(i)"]!.scalars
            v[i] = state["v.\(i)"]!.scalars
            if amsgrad { vMax[i] = state["v_max.\(i)"]!.scalars }
        }
    }

    public func step() {
        stepCount += 1
        let c1 = 1 - Foundation.pow(beta1, Float(stepCount)), c2 = 1 - Foundation.pow(beta2, Float(stepCount))
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            grad.withUnsafeBufferPointer { g in
                m[i].withUnsafeMutableBufferPointer { m in
                    v[i].withUnsafeMutableBufferPointer { v in
                        p.value.withUnsafeMutableBufferPointer { w in
                            for j in 0..<w.count {
                                let gj = g[j] + wd * w[j]
                                m[j] = b1 * m[j] + (1 - b1) * gj
                                v[j] = b2 * v[j] + (1 - b2) * gj * gj
                            }
                            if amsgrad {
                                vMax[i].withUnsafeMutableBufferPointer { vm in
                                    for j in 0..<w.count {
                                        vm[j] = Swift.max(vm[j], v[j])
                                        w[j] -= lr * (m[j] / c1) / ((vm[j] / c2).squareRoot() + eps)
                                    }
                                }
                            } else {
                                for j in 0..<w.count { w[j] -= lr * (m[j] / c1) / ((v[j] / c2).squareRoot() + eps) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Stochastic gradient descent with (heavy-ball) momentum and L2 weight decay, as torch.optim.SGD.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let parameters: [Parameter]
    public let momentum: Float, weightDecay: Float
    private var velocity: [[Float]]
    private var started = false

    public init(_ parameters: [Parameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        (self.momentum, self.weightDecay) = (momentum, weightDecay)
        velocity = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    }

    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay, first = !started
        started = true
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            grad.withUnsafeBufferPointer { g in
                velocity[i].withUnsafeMutableBufferPointer { buf in
                    p.value.withUnsafeMutableBufferPointer { w in
                        for j in 0..<w.count {
                            let gj = g[j] + wd * w[j]
                            // PyTorch seeds the momentum buffer with the first gradient.
                            buf[j] = mu == 0 ? gj : (first ? gj : mu * buf[j] + gj)
                            w[j] -= lr * buf[j]
                        }
                    }
                }
            }
        }
    }
}

public enum GradientClipping {
    /// Scales all gradients so their joint L2 norm is at most `maxNorm`; returns the norm before
    /// clipping (non-finite if any gradient is, in which case nothing is scaled).
    @discardableResult
    public static func clipNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var total: Double = 0
        for p in parameters { p.grad?.withUnsafeBufferPointer { g in for x in g { total += Double(x * x) } } }
        let norm = Float(total.squareRoot())
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters { p.value.scaleGradient(by: scale) }
        return norm
    }

    /// True when every gradient is finite.
    public static func gradientsAreFinite(_ parameters: [Parameter]) -> Bool {
        parameters.allSatisfy { p in p.grad?.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } ?? true }
    }
}
