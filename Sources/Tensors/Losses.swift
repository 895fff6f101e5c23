import Foundation

// Softmax and the losses. Softmax-family ops work over axis 1 (classes / channels) of
// [N, C] or [N, C, H, W], as PyTorch's F.log_softmax(x, 1) and F.cross_entropy.
extension Tensor {
    private var classLayout: (outer: Int, classes: Int, inner: Int) {
        precondition(rank >= 2, "needs [N, C, ...], got \(shape)")
        return (shape[0], shape[1], shape[2...].reduce(1, *))
    }

    /// log Σ exp over the `k` values x[0], x[stride], …, shifted by their maximum for stability.
    @inline(__always)
    private static func logSumExp(_ x: UnsafePointer<Float>, count k: Int, stride: Int) -> Float {
        var mx = -Float.infinity
        for j in 0..<k { mx = Swift.max(mx, x[j * stride]) }
        var s: Float = 0
        for j in 0..<k { s += expf(x[j * stride] - mx) }
        return mx + logf(s)
    }

    public func logSoftmax() -> Tensor {
        let (outer, k, inner) = classLayout
        let out = Tensor(uninitializedShape: shape)
        let px = storage.pointer, po = out.storage.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * k * inner + i
                let lse = Tensor.logSumExp(px + base, count: k, stride: inner)
                for j in 0..<k { po[base + j * inner] = px[base + j * inner] - lse }
            }
        }
        return Autograd.record(out, inputs: [self]) { g in
            // dx = g − softmax · Σ g
            let gi = Tensor(uninitializedShape: out.shape)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * k * inner + i
                    var s: Float = 0
                    for j in 0..<k { s += pg[base + j * inner] }
                    for j in 0..<k { pi[base + j * inner] = pg[base + j * inner] - expf(po[base + j * inner]) * s }
                }
            }
            return [gi]
        }
    }

    public func softmax() -> Tensor { logSoftmax().exp() }

    /// Mean cross-entropy of logits [N, C] or [N, C, H, W] against class indices (one per N or per
    /// pixel, in N, H, W order). Fused: the gradient is (softmax − one-hot) / count.
    public static func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
        let (outer, k, inner) = logits.classLayout
        precondition(targets.count == outer * inner, "crossEntropy: \(targets.count) targets for logits \(logits.shape)")
        precondition(targets.allSatisfy { $0 >= 0 && $0 < k }, "crossEntropy: a target is outside 0..<\(k)")
        let probs = Tensor(uninitializedShape: logits.shape)
        let px = logits.storage.pointer, pp = probs.storage.pointer
        // Samples are split across the cores; each position's log-likelihood is kept and summed
        // afterwards in the serial order, so the loss does not depend on the split.
        let terms = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(outer * inner, 1))
        defer { terms.deallocate() }
        targets.withUnsafeBufferPointer { pt in
            Parallel.elements(outer, cost: 4 * k * inner) { range in  // two exps and a log per value
                for o in range {
                    for i in 0..<inner {
                        let base = o * k * inner + i
                        let lse = Tensor.logSumExp(px + base, count: k, stride: inner)
                        for j in 0..<k { pp[base + j * inner] = expf(px[base + j * inner] - lse) }
                        terms[o * inner + i] = px[base + pt[o * inner + i] * inner] - lse
                    }
                }
            }
        }
        var total: Double = 0
        for t in 0..<(outer * inner) { total -= Double(terms[t]) }
        let m = Float(outer * inner)
        let out = Tensor(Float(total / Double(m)))
        return Autograd.record(out, inputs: [logits]) { g in
            let scale = g.item / m
            let gi = Tensor(uninitializedShape: probs.shape)
            let pi = gi.storage.pointer
            targets.withUnsafeBufferPointer { pt in
                Parallel.elements(outer, cost: k * inner) { range in
                    for idx in (range.lowerBound * k * inner)..<(range.upperBound * k * inner) { pi[idx] = pp[idx] * scale }
                    for o in range {
                        for i in 0..<inner { pi[o * k * inner + pt[o * inner + i] * inner + i] -= scale }
                    }
                }
            }
            return [gi]
        }
    }

    /// Mean squared error over all elements.
    public static func mse(_ a: Tensor, _ b: Tensor) -> Tensor { (a - b).squared().mean() }

    /// Mean absolute error over all elements.
    public static func l1(_ a: Tensor, _ b: Tensor) -> Tensor { (a - b).abs().mean() }

    /// KL(N(μ, e^logvar) ‖ N(0, I)) summed over dimensions, averaged over the batch (axis 0).
    public static func gaussianKL(mean mu: Tensor, logVariance lv: Tensor) -> Tensor {
        precondition(mu.shape == lv.shape && mu.rank >= 1, "gaussianKL: \(mu.shape) vs \(lv.shape)")
        return (mu.squared() + lv.exp() - lv - 1).sum() * (0.5 / Float(mu.shape[0]))
    }
}
