import Foundation

// Resizing NCHW images to a new height and width, with PyTorch's sampling rules
// (`F.interpolate`, mode 'nearest' and mode 'bilinear' with align_corners=False).
extension Tensor {
    /// Nearest neighbour: source index ⌊dst · in/out⌋.
    public func resizedNearest(height oh: Int, width ow: Int) -> Tensor {
        precondition(rank == 4 && oh > 0 && ow > 0, "resize needs [N, C, H, W] and a positive size, got \(shape)")
        let planes = shape[0] * shape[1], h = shape[2], w = shape[3]
        let ys = (0..<oh).map { Swift.min(h - 1, Int(Float($0) * Float(h) / Float(oh))) }
        let xs = (0..<ow).map { Swift.min(w - 1, Int(Float($0) * Float(w) / Float(ow))) }
        let out = Tensor(uninitializedShape: [shape[0], shape[1], oh, ow])
        let px = storage.pointer, po = out.storage.pointer
        // Planes are independent, so both passes split them across the cores.
        ys.withUnsafeBufferPointer { ys in xs.withUnsafeBufferPointer { xs in
            Parallel.elements(planes, cost: oh * ow) { range in
                for pl in range {
                    for y in 0..<oh {
                        let src = px + pl * h * w + ys[y] * w, dst = po + (pl * oh + y) * ow
                        for x in 0..<ow { dst[x] = src[xs[x]] }
                    }
                }
            }
        } }
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in
            let gi = Tensor(uninitializedShape: inShape)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            ys.withUnsafeBufferPointer { ys in xs.withUnsafeBufferPointer { xs in
                Parallel.elements(planes, cost: oh * ow) { range in
                    (pi + range.lowerBound * h * w).update(repeating: 0, count: range.count * h * w)
                    for pl in range {
                        for y in 0..<oh {
                            let dst = pi + pl * h * w + ys[y] * w, src = pg + (pl * oh + y) * ow
                            for x in 0..<ow { dst[xs[x]] += src[x] }
                        }
                    }
                }
            } }
            return [gi]
        }
    }

    /// Bilinear, align_corners=False: source coordinate (dst + ½)·in/out − ½, clamped at 0.
    public func resizedBilinear(height oh: Int, width ow: Int) -> Tensor {
        precondition(rank == 4 && oh > 0 && ow > 0, "resize needs [N, C, H, W] and a positive size, got \(shape)")
        let planes = shape[0] * shape[1], h = shape[2], w = shape[3]
        typealias Tap = (i0: Int, i1: Int, f: Float)
        func taps(_ outSize: Int, _ inSize: Int) -> [Tap] {
            let scale = Float(inSize) / Float(outSize)
            return (0..<outSize).map { d in
                let src = Swift.max(0, (Float(d) + 0.5) * scale - 0.5)
                let i0 = Swift.min(Int(src), inSize - 1)
                return (i0, Swift.min(i0 + 1, inSize - 1), src - Float(i0))
            }
        }
        let ty = taps(oh, h), tx = taps(ow, w)
        let out = Tensor(uninitializedShape: [shape[0], shape[1], oh, ow])
        let px = storage.pointer, po = out.storage.pointer
        // Planes are independent, so both passes split them across the cores.
        ty.withUnsafeBufferPointer { ty in tx.withUnsafeBufferPointer { tx in
            Parallel.elements(planes, cost: oh * ow) { range in
                for pl in range {
                    let src = px + pl * h * w
                    for y in 0..<oh {
                        let (y0, y1, fy) = ty[y]
                        let dst = po + (pl * oh + y) * ow
                        for x in 0..<ow {
                            let (x0, x1, fx) = tx[x]
                            let top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx
                            let bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx
                            dst[x] = top * (1 - fy) + bottom * fy
                        }
                    }
                }
            }
        } }
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in
            let gi = Tensor(uninitializedShape: inShape)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            ty.withUnsafeBufferPointer { ty in tx.withUnsafeBufferPointer { tx in
                Parallel.elements(planes, cost: oh * ow) { range in
                    (pi + range.lowerBound * h * w).update(repeating: 0, count: range.count * h * w)
                    for pl in range {
                        let dst = pi + pl * h * w
                        for y in 0..<oh {
                            let (y0, y1, fy) = ty[y]
                            let src = pg + (pl * oh + y) * ow
                            for x in 0..<ow {
                                let (x0, x1, fx) = tx[x], v = src[x]
                                dst[y0 * w + x0] += v * (1 - fy) * (1 - fx)
                                dst[y0 * w + x1] += v * (1 - fy) * fx
                                dst[y1 * w + x0] += v * fy * (1 - fx)
                                dst[y1 * w + x1] += v * fy * fx
                            }
                        }
                    }
                }
            } }
            return [gi]
        }
    }
}
