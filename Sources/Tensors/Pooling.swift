// Pooling over NCHW planes. Windows that hang over the padded border count only the inside
// elements for max; average pooling divides by the full window (PyTorch's count_include_pad).
extension Tensor {
    private func poolShape(kernel: Int, stride: Int, padding: Int) -> (n: Int, h: Int, w: Int, oh: Int, ow: Int) {
        precondition(rank == 4, "pooling needs [N, C, H, W], got \(shape)")
        precondition(kernel >= 1 && stride >= 1 && padding >= 0 && padding <= kernel / 2,
                     "pooling: bad kernel \(kernel) / stride \(stride) / padding \(padding)")
        let h = shape[2], w = shape[3]
        let oh = (h + 2 * padding - kernel) / stride + 1, ow = (w + 2 * padding - kernel) / stride + 1
        precondition(oh > 0 && ow > 0, "pooling: window larger than the input \(shape)")
        return (shape[0] * shape[1], h, w, oh, ow)
    }

    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let s = stride ?? kernel
        let (planes, h, w, oh, ow) = poolShape(kernel: kernel, stride: s, padding: padding)
        let out = Tensor(uninitializedShape: [shape[0], shape[1], oh, ow])
        var winner = [Int32](repeating: 0, count: out.count)
        let px = storage.pointer, po = out.storage.pointer
        for pl in 0..<planes {
            let src = px + pl * h * w
            for y in 0..<oh {
                for x in 0..<ow {
                    var best = -Float.infinity, at = -1
                    for ky in 0..<kernel {
                        let iy = y * s - padding + ky
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<kernel {
                            let ix = x * s - padding + kx
                            guard ix >= 0 && ix < w else { continue }
                            if src[iy * w + ix] > best || at < 0 { best = src[iy * w + ix]; at = iy * w + ix }
                        }
                    }
                    po[(pl * oh + y) * ow + x] = best
                    winner[(pl * oh + y) * ow + x] = Int32(at)
                }
            }
        }
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in
            let gi = Tensor(shape: inShape, repeating: 0)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for pl in 0..<planes {
                for i in 0..<(oh * ow) { pi[pl * h * w + Int(winner[pl * oh * ow + i])] += pg[pl * oh * ow + i] }
            }
            return [gi]
        }
    }

    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let s = stride ?? kernel
        let (planes, h, w, oh, ow) = poolShape(kernel: kernel, stride: s, padding: padding)
        let out = Tensor(shape: [shape[0], shape[1], oh, ow], repeating: 0)
        let px = storage.pointer, po = out.storage.pointer
        let scale = 1 / Float(kernel * kernel)
        // Shared by forward and backward: visits (output index, input index) pairs of each window.
        func forEachPair(_ body: (Int, Int) -> Void) {
            for pl in 0..<planes {
                for y in 0..<oh {
                    for x in 0..<ow {
                        for ky in 0..<kernel {
                            let iy = y * s - padding + ky
                            guard iy >= 0 && iy < h else { continue }
                            for kx in 0..<kernel {
                                let ix = x * s - padding + kx
                                if ix >= 0 && ix < w { body((pl * oh + y) * ow + x, pl * h * w + iy * w + ix) }
                            }
                        }
                    }
                }
            }
        }
        forEachPair { o, i in po[o] += px[i] * scale }
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in
            let gi = Tensor(shape: inShape, repeating: 0)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            forEachPair { o, i in pi[i] += pg[o] * scale }
            return [gi]
        }
    }

    /// Mean over each H×W plane, kept as [N, C, 1, 1].
    public func globalAvgPool2d() -> Tensor {
        precondition(rank == 4, "globalAvgPool2d needs [N, C, H, W], got \(shape)")
        return mean(axes: [2, 3], keepDims: true)
    }
}
