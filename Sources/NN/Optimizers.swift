import Dispatch
import Foundation
import Tensors

/// Updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    var parameters: [Parameter] { get }
    /// One update; parameters without a gradient are left alone. Returns whether every value it
    /// wrote is finite (the training loop's divergence check, without another pass over the weights).
    @discardableResult func step() -> Bool
}

extension Optimizer {
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Adam / AMSGrad with PyTorch's update rule (bias-corrected moments; L2 weight decay added to
/// the gradient, as torch.optim.Adam does). One fused pass per element over flat per-parameter
/// state [m | v | v_max], split across the cores: at a flow's ~5M parameters a plain loop took
/// about half as long as the rest of a training step.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let parameters: [Parameter]
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, amsgrad: Bool
    public private(set) var stepCount = 0
    private let moments: [UnsafeMutablePointer<Float>]
    private let counts: [Int]

    public init(_ parameters: [Parameter], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                epsilon: Float = 1e-8, weightDecay: Float = 0, amsgrad: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        (beta1, beta2, self.epsilon, self.weightDecay, self.amsgrad) = (betas.0, betas.1, epsilon, weightDecay, amsgrad)
        counts = parameters.map(\.value.count)
        let slots = amsgrad ? 3 : 2
        moments = counts.map { n in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(slots * n, 1))
            p.initialize(repeating: 0, count: slots * n)
            return p
        }
    }

    deinit { for p in moments { p.deallocate() } }

    private var slotNames: [String] { amsgrad ? ["m", "v", "v_max"] : ["m", "v"] }

    /// Moments and step count, for resuming training (keys `m.i`, `v.i`, `v_max.i`, `step`).
    public func state() -> [String: Tensor] {
        var out = ["step": Tensor(Float(stepCount))]
        for i in parameters.indices {
            for (slot, name) in slotNames.enumerated() {
                out["\(name).\(i)"] = Tensor(shape: [counts[i]],
                                             scalars: Array(UnsafeBufferPointer(start: moments[i] + slot * counts[i], count: counts[i])))
            }
        }
        return out
    }

    /// Restores `state()`; fails (changing nothing) if it was saved for other parameters.
    public func load(state: [String: Tensor]) throws {
        struct Mismatch: Error, CustomStringConvertible { let description: String }
        for i in parameters.indices {
            for name in slotNames where state["\(name).\(i)"]?.count != counts[i] {
                throw Mismatch(description: "optimizer state does not fit the model (\(name).\(i)); resume without it or start afresh")
            }
        }
        guard let step = state["step"] else { throw Mismatch(description: "optimizer state has no step") }
        stepCount = Int(step.item)
        for i in parameters.indices {
            for (slot, name) in slotNames.enumerated() {
                state["\(name).\(i)"]!.withUnsafeBufferPointer { (moments[i] + slot * counts[i]).update(from: $0.baseAddress!, count: counts[i]) }
            }
        }
    }

    @discardableResult public func step() -> Bool {
        stepCount += 1
        let c1 = 1 - Foundation.pow(beta1, Float(stepCount)), c2 = 1 - Foundation.pow(beta2, Float(stepCount))
        let stepSize = learningRate / c1, invRootC2 = 1 / c2.squareRoot()
        let b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay, ams = amsgrad

        // Raw pointers are taken here, on one thread: the mutable access makes each value's storage
        // unique first, and nothing reassigns the values while the workers run.
        var jobs: [(w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, s: UnsafeMutablePointer<Float>, n: Int)] = []
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            let w = p.value.withUnsafeMutableBufferPointer { $0.baseAddress! }
            let g = grad.withUnsafeBufferPointer { $0.baseAddress! }
            jobs.append((w, g, moments[i], counts[i]))
        }
        let total = jobs.reduce(0) { $0 + $1.n }
        let workers = total > 1 << 16 ? min(2, Parallel.workers) : 1

        // Worker k updates elements [k·total/workers, (k+1)·total/workers) of the concatenation and
        // tells whether every weight it wrote is finite.
        var finite = [Bool](repeating: true, count: workers)
        func run(_ k: Int) -> Bool {
            // w − w is 0 for a finite w and NaN otherwise, so one NaN check at the end covers all.
            var check = SIMD16<Float>(), tail: Float = 0
            let lo = total * k / workers, hi = total * (k + 1) / workers
            var offset = 0
            for job in jobs {
                defer { offset += job.n }
                let a = max(lo - offset, 0), b = min(hi - offset, job.n)
                guard a < b else { continue }
                let w = job.w, g = job.g, m = job.s, v = job.s + job.n, vm = job.s + 2 * job.n
                // Explicit 16-lane vectors: the compiler cannot prove the buffers disjoint, so a
                // scalar loop would stay scalar (sqrt and divide per element).
                var j = a
                while j + 16 <= b {
                    let wj = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD16<Float>.self)
                    let gj = UnsafeRawPointer(g + j).loadUnaligned(as: SIMD16<Float>.self) + wd * wj
                    let mj = b1 * UnsafeRawPointer(m + j).loadUnaligned(as: SIMD16<Float>.self) + (1 - b1) * gj
                    let vj = b2 * UnsafeRawPointer(v + j).loadUnaligned(as: SIMD16<Float>.self) + (1 - b2) * gj * gj
                    UnsafeMutableRawPointer(m + j).storeBytes(of: mj, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(v + j).storeBytes(of: vj, as: SIMD16<Float>.self)
                    var denominator = vj
                    if ams {
                        // `replacing(with:where:)` vectorises; pointwiseMax compiles to a lane loop.
                        let previous = UnsafeRawPointer(vm + j).loadUnaligned(as: SIMD16<Float>.self)
                        denominator = previous.replacing(with: vj, where: vj .> previous)
                        UnsafeMutableRawPointer(vm + j).storeBytes(of: denominator, as: SIMD16<Float>.self)
                    }
                    let updated = wj - stepSize * mj / (denominator.squareRoot() * invRootC2 + eps)
                    UnsafeMutableRawPointer(w + j).storeBytes(of: updated, as: SIMD16<Float>.self)
                    check += updated - updated
                    j += 16
                }
                while j < b {
                    let gj = g[j] + wd * w[j]
                    let mj = b1 * m[j] + (1 - b1) * gj
                    let vj = b2 * v[j] + (1 - b2) * gj * gj
                    m[j] = mj; v[j] = vj
                    var denominator = vj
                    if ams { denominator = Swift.max(vm[j], vj); vm[j] = denominator }
                    w[j] -= stepSize * mj / (denominator.squareRoot() * invRootC2 + eps)
                    tail += w[j] - w[j]
                    j += 1
                }
            }
            return !(check.sum() + tail).isNaN
        }
        if workers == 1 { return run(0) }
        finite.withUnsafeMutableBufferPointer { flags in
            DispatchQueue.concurrentPerform(iterations: workers) { flags[$0] = run($0) }
        }
        return !finite.contains(false)
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

    @discardableResult public func step() -> Bool {
        let lr = learningRate, mu = momentum, wd = weightDecay, first = !started
        var finite = true
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
                            finite = finite && w[j].isFinite
                        }
                    }
                }
            }
        }
        return finite
    }
}

public enum GradientClipping {
    /// Scales all gradients so their joint L2 norm is at most `maxNorm`; returns the norm before
    /// clipping (non-finite if any gradient is, in which case nothing is scaled).
    @discardableResult
    public static func clipNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        let total = parameters.reduce(0.0) { $0 + ($1.grad?.sumOfSquares ?? 0) }
        let norm = Float(total.squareRoot())
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters { p.value.scaleGradient(by: scale) }
        return norm
    }

    /// True when every gradient is finite.
    public static func gradientsAreFinite(_ parameters: [Parameter]) -> Bool {
        parameters.allSatisfy { $0.grad?.isAllFinite ?? true }
    }
}
