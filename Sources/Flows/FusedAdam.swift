import Dispatch
import Foundation
import NN
import Tensors

/// Adam / AMSGrad with PyTorch's update rule, as `NN.Adam`, but one fused pass per element over
/// flat state, split across the cores. At the flow's ~5M parameters `NN.Adam` took about half as
/// long as the rest of a training step; this pass is memory-bound instead. Same results as
/// `NN.Adam` up to float rounding (tested). No weight decay (the translators use none).
public final class FusedAdam: Optimizer {
    public var learningRate: Float
    public let parameters: [Parameter]
    public let beta1: Float, beta2: Float, epsilon: Float, amsgrad: Bool
    public private(set) var stepCount = 0
    /// Per parameter: first moment, second moment, running max of the second moment (amsgrad).
    private let moments: [UnsafeMutablePointer<Float>]
    private let counts: [Int]

    public init(_ parameters: [Parameter], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                epsilon: Float = 1e-8, amsgrad: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        (beta1, beta2, self.epsilon, self.amsgrad) = (betas.0, betas.1, epsilon, amsgrad)
        counts = parameters.map(\.value.count)
        let slots = amsgrad ? 3 : 2
        moments = counts.map { n in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(slots * n, 1))
            p.initialize(repeating: 0, count: slots * n)
            return p
        }
    }

    deinit { for p in moments { p.deallocate() } }

    public func step() {
        stepCount += 1
        let c1 = 1 - Foundation.pow(beta1, Float(stepCount)), c2 = 1 - Foundation.pow(beta2, Float(stepCount))
        let stepSize = learningRate / c1, invRootC2 = 1 / c2.squareRoot()
        let b1 = beta1, b2 = beta2, eps = epsilon, ams = amsgrad

        // Raw pointers are taken here, on one thread: the mutable access makes each value's storage
        // unique first (a checkpoint snapshot may share it), and nothing reassigns the values
        // while the workers run.
        var jobs: [(w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, s: UnsafeMutablePointer<Float>, n: Int)] = []
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            let w = p.value.withUnsafeMutableBufferPointer { $0.baseAddress! }
            let g = grad.withUnsafeBufferPointer { $0.baseAddress! }
            jobs.append((w, g, moments[i], counts[i]))
        }
        let total = jobs.reduce(0) { $0 + $1.n }
        let workers = total > 1 << 16 ? min(2, ProcessInfo.processInfo.activeProcessorCount) : 1

        // Worker k updates elements [k·total/workers, (k+1)·total/workers) of the concatenation.
        func run(_ k: Int) {
            let lo = total * k / workers, hi = total * (k + 1) / workers
            var offset = 0
            for job in jobs {
                defer { offset += job.n }
                let a = max(lo - offset, 0), b = min(hi - offset, job.n)
                guard a < b else { continue }
                let w = job.w, g = job.g, m = job.s, v = job.s + job.n, vm = job.s + 2 * job.n
                // Explicit 16-lane vectors: the compiler cannot prove the five buffers disjoint, so
                // a scalar loop would stay scalar (sqrt and divide per element).
                var j = a
                while j + 16 <= b {
                    let gj = UnsafeRawPointer(g + j).loadUnaligned(as: SIMD16<Float>.self)
                    let mj = b1 * UnsafeRawPointer(m + j).loadUnaligned(as: SIMD16<Float>.self) + (1 - b1) * gj
                    let vj = b2 * UnsafeRawPointer(v + j).loadUnaligned(as: SIMD16<Float>.self) + (1 - b2) * gj * gj
                    UnsafeMutableRawPointer(m + j).storeBytes(of: mj, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(v + j).storeBytes(of: vj, as: SIMD16<Float>.self)
                    var denominator = vj
                    if ams {
                        let previous = UnsafeRawPointer(vm + j).loadUnaligned(as: SIMD16<Float>.self)
                        denominator = previous.replacing(with: vj, where: vj .> previous)
                        UnsafeMutableRawPointer(vm + j).storeBytes(of: denominator, as: SIMD16<Float>.self)
                    }
                    let wj = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD16<Float>.self)
                        - stepSize * mj / (denominator.squareRoot() * invRootC2 + eps)
                    UnsafeMutableRawPointer(w + j).storeBytes(of: wj, as: SIMD16<Float>.self)
                    j += 16
                }
                while j < b {
                    let gj = g[j]
                    let mj = b1 * m[j] + (1 - b1) * gj
                    let vj = b2 * v[j] + (1 - b2) * gj * gj
                    m[j] = mj; v[j] = vj
                    var denominator = vj
                    if ams { denominator = max(vm[j], vj); vm[j] = denominator }
                    w[j] -= stepSize * mj / (denominator.squareRoot() * invRootC2 + eps)
                    j += 1
                }
            }
        }
        if workers == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: run) }
    }
}
