// Batch normalisation over the channel axis 1 of [N, C] or [N, C, H, W]: statistics over every
// other axis, fused forward and backward (the composition of elementwise ops would make five
// passes over the activations).
extension Tensor {
    /// Training-mode batch norm. Returns the output and the batch mean and biased variance per
    /// channel (the caller updates running statistics).
    public static func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5)
        -> (output: Tensor, mean: [Float], variance: [Float]) {
        precondition(x.rank == 2 || x.rank == 4, "batchNorm needs [N, C] or [N, C, H, W], got \(x.shape)")
        let n = x.shape[0], c = x.shape[1], plane = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
        let m = Float(n * plane)
        precondition(n * plane > 1, "batchNorm in training needs more than one value per channel, got \(x.shape)")
        let out = Tensor(uninitializedShape: x.shape)
        let xhat = Tensor(uninitializedShape: x.shape)
        var means = [Float](repeating: 0, count: c), vars = [Float](repeating: 0, count: c)
        var invStd = [Float](repeating: 0, count: c)
        let px = x.storage.pointer, po = out.storage.pointer, ph = xhat.storage.pointer
        let pw = weight?.storage.pointer, pb = bias?.storage.pointer
        for ch in 0..<c {
            var sum: Double = 0
            for i in 0..<n { let s = px + (i * c + ch) * plane; for j in 0..<plane { sum += Double(s[j]) } }
            let mean = Float(sum / Double(m))
            var sq: Double = 0
            for i in 0..<n { let s = px + (i * c + ch) * plane; for j in 0..<plane { let d = s[j] - mean; sq += Double(d * d) } }
            let variance = Float(sq / Double(m))
            let inv = 1 / (variance + epsilon).squareRoot()
            let gamma = pw?[ch] ?? 1, beta = pb?[ch] ?? 0
            for i in 0..<n {
                let off = (i * c + ch) * plane
                for j in 0..<plane {
                    let h = (px[off + j] - mean) * inv
                    ph[off + j] = h
                    po[off + j] = h * gamma + beta
                }
            }
            (means[ch], vars[ch], invStd[ch]) = (mean, variance, inv)
        }
        let wv = weight?.detached
        var inputs = [x]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let result = Autograd.record(out, inputs: inputs) { g, need in
            let pg = g.storage.pointer
            let gx: Tensor? = need[0] ? Tensor(uninitializedShape: xhat.shape) : nil
            let gw = Tensor(uninitializedShape: [c]), gb = Tensor(uninitializedShape: [c])
            let pgx = gx?.storage.pointer, pww = wv?.storage.pointer
            for ch in 0..<c {
                var sg: Double = 0, sgh: Double = 0
                for i in 0..<n {
                    let off = (i * c + ch) * plane
                    for j in 0..<plane { sg += Double(pg[off + j]); sgh += Double(pg[off + j] * ph[off + j]) }
                }
                gb.storage.pointer[ch] = Float(sg)
                gw.storage.pointer[ch] = Float(sgh)
                guard let pgx else { continue }
                // dx = γ/σ · (g − mean(g) − x̂ · mean(g·x̂))
                let gamma = pww?[ch] ?? 1, k = gamma * invStd[ch]
                let mg = Float(sg) / m, mgh = Float(sgh) / m
                for i in 0..<n {
                    let off = (i * c + ch) * plane
                    for j in 0..<plane { pgx[off + j] = k * (pg[off + j] - mg - ph[off + j] * mgh) }
                }
            }
            var grads: [Tensor?] = [gx]
            if weight != nil { grads.append(need[grads.count] ? gw : nil) }
            if bias != nil { grads.append(need[grads.count] ? gb : nil) }
            return grads
        }
        return (result, means, vars)
    }

    /// Per-channel y = x·scale + shift for [N, C] or [N, C, H, W] (eval-mode batch norm, ActNorm).
    public static func channelAffine(_ x: Tensor, scale: Tensor, shift: Tensor) -> Tensor {
        precondition(x.rank >= 2 && scale.shape == [x.shape[1]] && shift.shape == [x.shape[1]],
                     "channelAffine: scale \(scale.shape) / shift \(shift.shape) for input \(x.shape)")
        let view = [1, x.shape[1]] + Array(repeating: 1, count: x.rank - 2)
        return x * scale.reshaped(view) + shift.reshaped(view)
    }
}
