/// NumPy broadcasting: shapes are aligned at their last dimension; a dimension of 1 stretches.
enum Broadcast {
    static func shape(_ a: [Int], _ b: [Int]) -> [Int] {
        let n = max(a.count, b.count)
        let pa = Array(repeating: 1, count: n - a.count) + a
        let pb = Array(repeating: 1, count: n - b.count) + b
        return (0..<n).map { i in
            precondition(pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1,
                         "shapes \(a) and \(b) do not broadcast (dimension \(i): \(pa[i]) vs \(pb[i]))")
            return pa[i] == 1 ? pb[i] : pa[i]
        }
    }

    /// Element strides of `shape` read as `target` (0 along stretched dimensions).
    static func strides(of shape: [Int], in target: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: target.count - shape.count) + shape
        var strides = Array(repeating: 0, count: target.count)
        var s = 1
        for i in stride(from: target.count - 1, through: 0, by: -1) {
            strides[i] = padded[i] == 1 ? 0 : s
            s *= padded[i]
        }
        return strides
    }
}

extension Tensor {
    /// Sums a broadcast gradient back down to `shape` (the rule shared by every broadcasting op).
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = shape.count - target.count
        var axes = Array(0..<lead)
        for (i, d) in target.enumerated() where d == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        return sum(axes: axes, keepDims: true).reshaped(target)
    }
}

/// Applies `f` elementwise with broadcasting; the innermost dimension runs as a tight loop, and
/// the work is split across the cores (`Parallel.elements`) without changing any result.
func broadcastMap<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _ f: K) -> Tensor {
    if a.shape == b.shape {
        let out = Tensor(uninitializedShape: a.shape)
        let pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
        Parallel.elements(a.count) { range in for i in range { po[i] = f(pa[i], pb[i]) } }
        return out
    }
    let shape = Broadcast.shape(a.shape, b.shape)
    let out = Tensor(uninitializedShape: shape)
    let pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
    if b.count == 1 {
        let s = pb[0]  // out.count == a.count: b has only dimensions of 1
        Parallel.elements(out.count) { range in for i in range { po[i] = f(pa[i], s) } }
        return out
    }
    if a.count == 1 {
        let s = pa[0]
        Parallel.elements(out.count) { range in for i in range { po[i] = f(s, pb[i]) } }
        return out
    }
    let sa = Broadcast.strides(of: a.shape, in: shape), sb = Broadcast.strides(of: b.shape, in: shape)
    let rank = shape.count
    guard rank > 0, out.count > 0 else { return out }
    let inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1]
    // Rows of the innermost dimension, split across the cores; each chunk finds its first row's
    // offsets once, then steps through the outer multi-index.
    Parallel.elements(out.count / inner, cost: inner) { rows in
        var index = Array(repeating: 0, count: rank), offA = 0, offB = 0, rest = rows.lowerBound
        for d in stride(from: rank - 2, through: 0, by: -1) {
            index[d] = rest % shape[d]; rest /= shape[d]
            offA += index[d] * sa[d]; offB += index[d] * sb[d]
        }
        for row in rows {
            let o = po + row * inner, x = pa + offA, y = pb + offB
            // The common cases as contiguous loops the compiler vectorises: a channels-last map
            // times per-channel scales ([N, H, W, C] · [N, 1, 1, C]) is the first.
            if ia == 1 && ib == 1 {
                for j in 0..<inner { o[j] = f(x[j], y[j]) }
            } else if ia == 1 && ib == 0 {
                let v = y[0]
                for j in 0..<inner { o[j] = f(x[j], v) }
            } else if ia == 0 && ib == 1 {
                let v = x[0]
                for j in 0..<inner { o[j] = f(v, y[j]) }
            } else {
                for j in 0..<inner { o[j] = f(x[j * ia], y[j * ib]) }
            }
            var d = rank - 2
            while d >= 0 {
                index[d] += 1; offA += sa[d]; offB += sb[d]
                if index[d] < shape[d] { break }
                offA -= sa[d] * shape[d]; offB -= sb[d] * shape[d]; index[d] = 0
                d -= 1
            }
        }
    }
    return out
}

/// Applies `f` to every element, split across the cores for large tensors.
func unaryMap<K: UnaryKernel>(_ x: Tensor, _ f: K) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape)
    let px = x.storage.pointer, po = out.storage.pointer
    Parallel.elements(x.count) { range in for i in range { po[i] = f(px[i]) } }
    return out
}
