import Foundation
import Tensors

/// Matrix products, normalisation in inference form, softmax and means.
enum LinearAlgebraOperators {
    static let kernels: [String: Kernel] = [
        "Gemm": gemm,
        "MatMul": matMul,
        "BatchNormalization": batchNormalization,
        "Softmax": { c in try softmax(c, log: false) },
        "LogSoftmax": { c in try softmax(c, log: true) },
        "ReduceMean": reduceMean,
    ]

    /// Y = alpha · A' · B' + beta · C, with A' and B' optionally transposed.
    static func gemm(_ c: OperatorContext) throws -> [Value] {
        let a = try c.float(0), b = try c.float(1)
        let ta = c.node.int("transA", default: 0) != 0, tb = c.node.int("transB", default: 0) != 0
        guard a.rank == 2, b.rank == 2, (ta ? a.shape[0] : a.shape[1]) == (tb ? b.shape[1] : b.shape[0]) else {
            throw c.failure("cannot multiply \(a.shape)\(ta ? "ᵀ" : "") by \(b.shape)\(tb ? "ᵀ" : "")")
        }
        try c.checkSize([ta ? a.shape[1] : a.shape[0], tb ? b.shape[0] : b.shape[1]])
        let alpha = c.node.float("alpha", default: 1), beta = c.node.float("beta", default: 1)
        var y = Tensor.matmul(a, b, transposeA: ta, transposeB: tb)
        if alpha != 1 { y = y * alpha }
        if let bias = c.optionalInput(2)?.asFloat, beta != 0 {
            guard try c.broadcastShape(y.shape, bias.shape) == y.shape else { throw c.failure("C \(bias.shape) does not broadcast to \(y.shape)") }
            y = y + (beta == 1 ? bias : bias * beta)
        }
        return [.float(y)]
    }

    /// NumPy matmul: the last two axes multiply, the leading ones broadcast; 1-D operands are
    /// promoted and the added axis removed again.
    static func matMul(_ c: OperatorContext) throws -> [Value] {
        var a = try c.float(0), b = try c.float(1)
        let vectorA = a.rank == 1, vectorB = b.rank == 1
        if vectorA { a = a.reshaped([1, a.shape[0]]) }
        if vectorB { b = b.reshaped([b.shape[0], 1]) }
        guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
            throw c.failure("cannot multiply \(a.shape) by \(b.shape)")
        }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        guard k > 0 else { throw c.failure("the shared axis of \(a.shape) and \(b.shape) is empty") }
        var out: Tensor
        if b.rank == 2 {
            try c.checkSize(Array(a.shape.dropLast()) + [n])
            // The common case (a linear layer on [N, …, K]): one product over all leading rows.
            out = Tensor.matmul(a.reshaped([a.count / k, k]), b).reshaped(Array(a.shape.dropLast()) + [n])
        } else {
            let batch = try c.broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
            try c.checkSize(batch + [m, n])
            let ia = ElementwiseOperators.broadcastIndices(Array(a.shape.dropLast(2)), to: batch)
            let ib = ElementwiseOperators.broadcastIndices(Array(b.shape.dropLast(2)), to: batch)
            let a3 = a.reshaped([-1, m, k]), b3 = b.reshaped([-1, k, n])
            let products = zip(ia, ib).map { i, j in
                Tensor.matmul(a3.slice(axis: 0, i..<(i + 1)).reshaped([m, k]), b3.slice(axis: 0, j..<(j + 1)).reshaped([k, n]))
            }
            out = Tensor.concat(products.map { $0.reshaped([1, m, n]) }, axis: 0).reshaped(batch + [m, n])
        }
        var shape = out.shape
        if vectorB { shape.removeLast() }
        if vectorA { shape.remove(at: shape.count - (vectorB ? 1 : 2)) }
        return [.float(out.reshaped(shape))]
    }

    /// Inference form: y = (x − mean) / √(var + ε) · scale + B, folded into one scale and shift per channel.
    static func batchNormalization(_ c: OperatorContext) throws -> [Value] {
        let x = try c.float(0)
        guard x.rank >= 2 else { throw c.failure("input \(x.shape) has no channel axis") }
        let channels = x.shape[1]
        let params = try (1...4).map { try c.float($0).scalars }
        guard params.allSatisfy({ $0.count == channels }) else { throw c.failure("parameters do not have \(channels) entries") }
        let epsilon = c.node.float("epsilon", default: 1e-5)
        let scale = (0..<channels).map { params[0][$0] / (params[3][$0] + epsilon).squareRoot() }
        let shift = (0..<channels).map { params[1][$0] - params[2][$0] * scale[$0] }
        return [.float(Tensor.channelAffine(x, scale: Tensor(shape: [channels], scalars: scale), shift: Tensor(shape: [channels], scalars: shift)))]
    }

    /// Before opset 13 the input is read as 2-D [outer, rest] around `axis` (default 1); from 13
    /// on, softmax runs along `axis` alone (default −1).
    static func softmax(_ c: OperatorContext, log: Bool) throws -> [Value] {
        let x = try c.float(0)
        let axis = try c.axis(c.node.int("axis", default: c.opset < 13 ? 1 : -1), rank: x.rank)
        let outer = x.shape[..<axis].reduce(1, *)
        let (n, inner) = c.opset < 13 ? (x.shape[axis...].reduce(1, *), 1) : (x.shape[axis], x.shape[(axis + 1)...].reduce(1, *))
        let y = x.withUnsafeBufferPointer { src in
            Tensor(shape: x.shape) { dst in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * n * inner + i
                        var top = -Float.infinity
                        for j in 0..<n { top = max(top, src[base + j * inner]) }
                        var total: Float = 0
                        for j in 0..<n { let e = Foundation.exp(src[base + j * inner] - top); dst[base + j * inner] = e; total += e }
                        for j in 0..<n {
                            dst[base + j * inner] = log ? src[base + j * inner] - top - Foundation.log(total) : dst[base + j * inner] / total
                        }
                    }
                }
            }
        }
        return [.float(y)]
    }

    static func reduceMean(_ c: OperatorContext) throws -> [Value] {
        let x = try c.float(0)
        let keep = c.node.int("keepdims", default: 1) != 0
        let raw = c.opset < 18 ? c.node.ints("axes") : c.optionalInput(1)?.integers
        if (raw ?? []).isEmpty && c.node.int("noop_with_empty_axes", default: 0) != 0 { return [.float(x)] }
        let axes = try (raw?.isEmpty == false ? raw! : Array(0..<x.rank)).map { try c.axis($0, rank: x.rank) }
        return [.float(x.mean(axes: Array(Set(axes)).sorted(), keepDims: keep))]
    }
}
