// Layout ops: permute, slice, concat, split, gather, broadcast. Each copies into a new
// contiguous tensor (the engine has no strided views), and each backward is the inverse move.
extension Tensor {
    /// Reorders dimensions: output dimension i is input dimension `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permutation \(order) does not fit shape \(shape)")
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        var inStrides = Array(repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let src = order.map { inStrides[$0] }  // input stride along each output dimension
        let out = Tensor(uninitializedShape: outShape)
        let px = storage.pointer, po = out.storage.pointer
        let inner = outShape[rank - 1], innerStride = src[rank - 1]
        var index = Array(repeating: 0, count: rank)
        var off = 0, o = 0
        while o < count {
            for j in 0..<inner { po[o + j] = px[off + j * innerStride] }
            o += inner
            var d = rank - 2
            while d >= 0 {
                index[d] += 1; off += src[d]
                if index[d] < outShape[d] { break }
                off -= src[d] * outShape[d]; index[d] = 0; d -= 1
            }
        }
        var inverse = Array(repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Autograd.record(out, inputs: [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps the last two dimensions.
    public var transposed: Tensor {
        precondition(rank >= 2, "transpose needs rank ≥ 2, shape is \(shape)")
        var order = Array(0..<rank)
        order.swapAt(rank - 1, rank - 2)
        return permuted(order)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = axis < 0 ? axis + rank : axis
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice \(range) out of bounds for dimension \(a) of shape \(shape)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), n = shape[a]
        var outShape = shape
        outShape[a] = range.count
        let out = Tensor(uninitializedShape: outShape)
        let px = storage.pointer, po = out.storage.pointer, m = range.count * inner
        for o in 0..<outer { (po + o * m).update(from: px + (o * n + range.lowerBound) * inner, count: m) }
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in
            let gi = Tensor(shape: inShape, repeating: 0)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for o in 0..<outer { (pi + (o * n + range.lowerBound) * inner).update(from: pg + o * m, count: m) }
            return [gi]
        }
    }

    /// Splits along `axis` into pieces of the given sizes.
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        let a = axis < 0 ? axis + rank : axis
        precondition(sizes.reduce(0, +) == shape[a], "split sizes \(sizes) do not add up to \(shape[a])")
        var start = 0
        return sizes.map { s in defer { start += s }; return slice(axis: a, start..<(start + s)) }
    }

    /// Equal halves along `axis` (flows split codes this way).
    public func chunked(_ parts: Int, axis: Int) -> [Tensor] {
        let a = axis < 0 ? axis + rank : axis
        precondition(shape[a] % parts == 0, "dimension \(shape[a]) does not split into \(parts)")
        return split(axis: a, sizes: Array(repeating: shape[a] / parts, count: parts))
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat of nothing")
        let first = parts[0]
        let a = axis < 0 ? axis + first.rank : axis
        for p in parts {
            precondition(p.rank == first.rank && (0..<first.rank).allSatisfy { $0 == a || p.shape[$0] == first.shape[$0] },
                         "concat along \(a): shapes \(parts.map(\.shape)) disagree")
        }
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let sizes = parts.map { $0.shape[a] }
        let total = sizes.reduce(0, +)
        var outShape = first.shape
        outShape[a] = total
        let out = Tensor(uninitializedShape: outShape)
        let po = out.storage.pointer
        var offset = 0
        for p in parts {
            let m = p.shape[a] * inner, px = p.storage.pointer
            for o in 0..<outer { (po + (o * total * inner + offset)).update(from: px + o * m, count: m) }
            offset += m
        }
        return Autograd.record(out, inputs: parts) { g, need in
            var start = 0
            return sizes.enumerated().map { i, s in
                defer { start += s }
                return need[i] ? g.slice(axis: a, start..<(start + s)) : nil
            }
        }
    }

    /// Rows `indices` along `axis` (repeats allowed); the backward scatters-adds.
    public func gather(axis: Int, indices: [Int]) -> Tensor {
        let a = axis < 0 ? axis + rank : axis
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), n = shape[a]
        precondition(indices.allSatisfy { $0 >= 0 && $0 < n }, "gather index out of range 0..<\(n)")
        var outShape = shape
        outShape[a] = indices.count
        let out = Tensor(uninitializedShape: outShape)
        let px = storage.pointer, po = out.storage.pointer, k = indices.count
        for o in 0..<outer {
            for (j, idx) in indices.enumerated() {
                (po + (o * k + j) * inner).update(from: px + (o * n + idx) * inner, count: inner)
            }
        }
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in
            let gi = Tensor(shape: inShape, repeating: 0)
            let pg = g.storage.pointer, pi = gi.storage.pointer
            for o in 0..<outer {
                for (j, idx) in indices.enumerated() {
                    let d = pi + (o * n + idx) * inner, s = pg + (o * k + j) * inner
                    for i in 0..<inner { d[i] += s[i] }
                }
            }
            return [gi]
        }
    }

    /// Stretches dimensions of size 1 to `target` (NumPy rules).
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(Broadcast.shape(shape, target) == target, "cannot broadcast \(shape) to \(target)")
        let expanded = broadcastMap(self, Tensor(shape: target, repeating: 0), Kernels.Add())
        let inShape = shape
        return Autograd.record(expanded, inputs: [self]) { g in [g.summed(toShape: inShape)] }
    }
}
