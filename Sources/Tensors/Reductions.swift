// Reductions over axes. Each reduces one axis at a time as an [outer, n, inner] view, so the
// inner loop is contiguous.
extension Tensor {
    private func normalized(_ axes: [Int]) -> [Int] {
        let r = axes.map { $0 < 0 ? $0 + rank : $0 }
        precondition(r.allSatisfy { $0 >= 0 && $0 < rank }, "axes \(axes) out of range for shape \(shape)")
        return Array(Set(r)).sorted()
    }

    private static func split(_ shape: [Int], at axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Sum over one axis, kept as size 1. No gradient recorded (callers record).
    private func sumKeeping(axis: Int) -> Tensor {
        let (outer, n, inner) = Tensor.split(shape, at: axis)
        var outShape = shape
        outShape[axis] = 1
        let out = Tensor(uninitializedShape: outShape)
        let px = storage.pointer, po = out.storage.pointer
        // The outputs (outer·inner of them) are split across the cores; each still sums its n
        // terms in order from 0, so the split does not change any result.
        Parallel.elements(outer * inner, cost: n) { range in
            var start = range.lowerBound
            while start < range.upperBound {
                let o = start / inner, lo = start - o * inner, hi = Swift.min(inner, lo + range.upperBound - start)
                let dst = po + o * inner
                for i in lo..<hi { dst[i] = 0 }
                for j in 0..<n {
                    let src = px + (o * n + j) * inner
                    for i in lo..<hi { dst[i] += src[i] }
                }
                start += hi - lo
            }
        }
        return out
    }

    /// Sum over `axes` (all axes if nil).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = axes.map(normalized) ?? Array(0..<rank)
        var out = detached
        for a in ax { out = out.sumKeeping(axis: a) }
        let kept = out.shape
        let result = keepDims ? out : out.reshaped(shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element))
        let inShape = shape
        return Autograd.record(result.detached, inputs: [self]) { g in
            [g.detached.reshaped(kept).broadcast(to: inShape)]
        }
    }

    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = axes.map(normalized) ?? Array(0..<rank)
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Largest value along `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = axis < 0 ? axis + rank : axis
        let (outer, n, inner) = Tensor.split(shape, at: a)
        precondition(n > 0, "max over an empty axis")
        var outShape = shape
        outShape[a] = 1
        let out = Tensor(uninitializedShape: outShape)
        var argmax = [Int32](repeating: 0, count: outer * inner)
        let px = storage.pointer, po = out.storage.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = px[o * n * inner + i], at: Int32 = 0
                for j in 1..<n where px[(o * n + j) * inner + i] > best {
                    best = px[(o * n + j) * inner + i]; at = Int32(j)
                }
                po[o * inner + i] = best
                argmax[o * inner + i] = at
            }
        }
        var reducedShape = shape
        reducedShape.remove(at: a)
        let result = keepDims ? out : out.detached.reshaped(reducedShape)
        let inShape = shape
        return Autograd.record(result, inputs: [self]) { g in
            let gi = Tensor(shape: inShape, repeating: 0)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for o in 0..<outer {
                for i in 0..<inner { pi[(o * n + Int(argmax[o * inner + i])) * inner + i] = pg[o * inner + i] }
            }
            return [gi]
        }
    }

    /// Index of the largest value along `axis` (first one on ties), as integers.
    public func argmax(axis: Int) -> [Int] {
        let a = axis < 0 ? axis + rank : axis
        let (outer, n, inner) = Tensor.split(shape, at: a)
        var result = [Int](repeating: 0, count: outer * inner)
        let px = storage.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = px[o * n * inner + i], at = 0
                for j in 1..<n where px[(o * n + j) * inner + i] > best { best = px[(o * n + j) * inner + i]; at = j }
                result[o * inner + i] = at
            }
        }
        return result
    }
}
