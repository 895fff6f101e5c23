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
        let stats = Tensor(uninitializedShape: [3, c])  // mean, variance, 1/σ
        let pm = stats.storage.pointer, pv = pm + c, pi = pm + 2 * c
        let px = x.storage.pointer, po = out.storage.pointer, ph = xhat.storage.pointer
        let pw = weight?.storage.pointer, pb = bias?.storage.pointer
        let perWorker = channelsPerWorker(x)
        Parallel.chunks(c, minimumPerWorker: perWorker) { _, channels in for ch in channels {
            var sum: Double = 0
            for i in 0..<n { sum += VectorMath.sum(px + (i * c + ch) * plane, count: plane) }
            let mean = Float(sum / Double(m))
            var sq: Double = 0
            for i in 0..<n { sq += VectorMath.sumOfSquaredDeviations(px + (i * c + ch) * plane, count: plane, from: mean) }
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
            (pm[ch], pv[ch], pi[ch]) = (mean, variance, inv)
        } }
        let wv = weight?.detached
        var inputs = [x]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let result = Autograd.record(out, inputs: inputs) { g, need in
            let pg = g.storage.pointer
            let gx: Tensor? = need[0] ? Tensor(uninitializedShape: xhat.shape) : nil
            let gw = Tensor(uninitializedShape: [c]), gb = Tensor(uninitializedShape: [c])
            let pgx = gx?.storage.pointer, pww = wv?.storage.pointer
            let pi = stats.storage.pointer + 2 * c  // through `stats`, so the closure keeps it alive
            Parallel.chunks(c, minimumPerWorker: perWorker) { _, channels in for ch in channels {
                var sg: Double = 0, sgh: Double = 0
                for i in 0..<n {
                    let off = (i * c + ch) * plane
                    let (s, d) = VectorMath.sumAndDot(pg + off, ph + off, count: plane)
                    sg += s; sgh += d
                }
                gb.storage.pointer[ch] = Float(sg)
                gw.storage.pointer[ch] = Float(sgh)
                guard let pgx else { continue }
                // dx = γ/σ · (g − mean(g) − x̂ · mean(g·x̂))
                let gamma = pww?[ch] ?? 1, k = gamma * pi[ch]
                let mg = Float(sg) / m, mgh = Float(sgh) / m
                for i in 0..<n {
                    let off = (i * c + ch) * plane
                    for j in 0..<plane { pgx[off + j] = k * (pg[off + j] - mg - ph[off + j] * mgh) }
                }
            } }
            var grads: [Tensor?] = [gx]
            if weight != nil { grads.append(need[grads.count] ? gw : nil) }
            if bias != nil { grads.append(need[grads.count] ? gb : nil) }
            return grads
        }
        return (result, Array(UnsafeBufferPointer(start: pm, count: c)), Array(UnsafeBufferPointer(start: pv, count: c)))
    }

    /// Channels per worker so that each worker gets at least 2¹⁵ values: smaller tensors (the
    /// flows' [128, 64] activations) are not worth a thread hand-off.
    private static func channelsPerWorker(_ x: Tensor) -> Int {
        let perChannel = Swift.max(x.count / Swift.max(x.shape[1], 1), 1)
        return Swift.max(1, (1 << 15) / perChannel)
    }

    /// Per-channel y = x·scale + shift for [N, C] or [N, C, H, W] (eval-mode batch norm, ActNorm).
    public static func channelAffine(_ x: Tensor, scale: Tensor, shift: Tensor) -> Tensor {
        precondition(x.rank >= 2 && scale.shape == [x.shape[1]] && shift.shape == [x.shape[1]],
                     "channelAffine: scale \(scale.shape) / shift \(shift.shape) for input \(x.shape)")
        let n = x.shape[0], c = x.shape[1], plane = x.count / Swift.max(n * c, 1)
        let out = Tensor(uninitializedShape: x.shape)
        let px = x.storage.pointer, po = out.storage.pointer, ps = scale.storage.pointer, pb = shift.storage.pointer
        let perWorker = channelsPerWorker(x)
        Parallel.chunks(c, minimumPerWorker: perWorker) { _, channels in
            for i in 0..<n {
                for ch in channels {
                    let off = (i * c + ch) * plane, a = ps[ch], b = pb[ch]
                    for j in 0..<plane { po[off + j] = px[off + j] * a + b }
                }
            }
        }
        let xv = x.detached, sv = scale.detached
        return Autograd.record(out, inputs: [x, scale, shift]) { g, need in
            let gx: Tensor? = need[0] ? Tensor(uninitializedShape: xv.shape) : nil
            let gs = Tensor(uninitializedShape: [c]), gb = Tensor(uninitializedShape: [c])
            let pg = g.storage.pointer, pgx = gx?.storage.pointer, pxv = xv.storage.pointer, psv = sv.storage.pointer
            let pgs = gs.storage.pointer, pgb = gb.storage.pointer
            Parallel.chunks(c, minimumPerWorker: perWorker) { _, channels in
                for ch in channels {
                    var sg: Float = 0, sgx: Float = 0
                    let a = psv[ch]
                    for i in 0..<n {
                        let off = (i * c + ch) * plane
                        for j in 0..<plane { let gv = pg[off + j]; sg += gv; sgx += gv * pxv[off + j] }
                        if let pgx { for j in 0..<plane { pgx[off + j] = pg[off + j] * a } }
                    }
                    (pgs[ch], pgb[ch]) = (sgx, sg)
                }
            }
            return [gx, need[1] ? gs : nil, need[2] ? gb : nil]
        }
    }
}
