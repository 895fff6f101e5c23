extension Tensor {
    /// Adaptive average pooling (PyTorch's AdaptiveAvgPool2d) of [N, C, H, W] to [N, C, oh, ow]:
    /// output row i averages input rows ⌊i·H/oh⌋ ..< ⌈(i+1)·H/oh⌉, likewise columns. For inputs that
    /// carry no gradient (features of a frozen expert): nothing is recorded on the tape.
    public func adaptiveAveragePooled(height oh: Int, width ow: Int) -> Tensor {
        precondition(rank == 4 && oh >= 1 && ow >= 1 && oh <= shape[2] && ow <= shape[3],
                     "adaptiveAveragePooled: \(shape) to \(oh)×\(ow)")
        let (h, w) = (shape[2], shape[3]), planes = shape[0] * shape[1]
        let rows = (0..<oh).map { ($0 * h / oh)..<(($0 + 1) * h + oh - 1) / oh }
        let cols = (0..<ow).map { ($0 * w / ow)..<(($0 + 1) * w + ow - 1) / ow }
        let out = Tensor(uninitializedShape: [shape[0], shape[1], oh, ow])
        let src = storage.pointer, dst = out.storage.pointer
        Parallel.chunks(planes) { _, range in
            for p in range {
                let s = src + p * h * w, d = dst + p * oh * ow
                for (i, r) in rows.enumerated() {
                    for (j, c) in cols.enumerated() {
                        var total: Float = 0
                        for y in r { for x in c { total += s[y * w + x] } }
                        d[i * ow + j] = total / Float(r.count * c.count)
                    }
                }
            }
        }
        return out
    }
}
