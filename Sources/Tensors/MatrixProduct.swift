import CDNNL
import COpenBLAS

/// Products run single-threaded by default: most of ours are small (a flow's 128×160×256
/// layers), where a second thread costs more in waking than it gains, and on a busy two-core
/// machine OpenBLAS's spinning threads starved the computation (75% of samples in sched_yield).
/// Only large products outside `Parallel` loops use every core.
enum BLASThreads {
    static let singleThreaded: Void = { openblas_set_num_threads(1) }()
    /// Multiply-adds above which a product is split across the cores by the library (512³ is 1.3e8).
    static let threshold = 1 << 25
    /// Multiply-adds above which a smaller product is split into row (or column) blocks, one
    /// single-threaded product per core: a flow's 128×160×256 layer is 5e6, about 80 µs on one
    /// core, where a hand-off costs a few µs.
    static let splitThreshold = 1 << 20
}

/// C[m×n] = alpha · op(A) · op(B) + beta · C on raw row-major buffers, on `threads` threads of
/// oneDNN (`onDNNL`) or OpenBLAS.
@inline(__always)
private func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                   a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int, onDNNL: Bool) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        // C = beta·C; dnnl_sgemm leaves C untouched when k is 0.
        for r in 0..<m {
            let row = c + r * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else { for j in 0..<n { row[j] *= beta } }
        }
        return
    }
    if onDNNL {
        DNNL.useThreads(threads)
        let t = CChar(UInt8(ascii: "T")), nt = CChar(UInt8(ascii: "N"))
        DNNL.check(dnnl_sgemm(transA ? t : nt, transB ? t : nt, Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb),
                              beta, c, Int64(ldc)), "sgemm \(m)×\(n)×\(k)")
    } else {
        _ = BLASThreads.singleThreaded
        if threads > 1 { openblas_set_num_threads(Int32(threads)) }
        defer { if threads > 1 { openblas_set_num_threads(1) } }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// C[m×n] = alpha · op(A) · op(B) + beta · C on raw row-major buffers.
/// `lda`, `ldb`, `ldc` are the row strides of the stored matrices. `split: false` keeps the
/// product on the calling thread: the libraries' results for a block of C can depend on how C is
/// cut (their small-matrix kernels), so callers whose numbers must not depend on the core count
/// pass it.
@inline(__always)
func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
          beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, split: Bool = true) {
    let context = ExecutionContext.current
    let macs = m * n * k, free = split && context.workers > 1
    func product(m: Int, n: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, threads: Int = 1) {
        sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
              beta: beta, c: c, ldc: ldc, threads: threads, onDNNL: context.productsOnDNNL)
    }
    if free && macs >= BLASThreads.threshold {
        product(m: m, n: n, a: a, b: b, c: c, threads: context.workers)
    } else if free && macs >= BLASThreads.splitThreshold && max(m, n) >= 32 {
        // Blocks of C's rows (or columns, if it is wider), in multiples of 16.
        let byRows = m >= n, size = byRows ? m : n
        let blocks = (size + 15) / 16
        Parallel.chunks(blocks) { _, range in
            let lo = range.lowerBound * 16, hi = min(range.upperBound * 16, size)
            if byRows {
                product(m: hi - lo, n: n, a: transA ? a + lo : a + lo * lda, b: b, c: c + lo * ldc)
            } else {
                product(m: m, n: hi - lo, a: a, b: transB ? b + lo * ldb : b + lo, c: c + lo)
            }
        }
    } else {
        product(m: m, n: n, a: a, b: b, c: c)
    }
}

extension Tensor {
    /// Matrix product of 2-D tensors, optionally transposing either side first.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs 2-D tensors, got \(a.shape) and \(b.shape)")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == k2, "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = Tensor(uninitializedShape: [m, n])
        gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, a: a.storage.pointer, lda: a.shape[1],
             b: b.storage.pointer, ldb: b.shape[1], c: out.storage.pointer, ldc: n)
        let av = a.detached, bv = b.detached
        return Autograd.record(out, inputs: [a, b]) { g, need in
            // d/dA of op(A)·op(B) is g·op(B)ᵀ (transposed back if A was); likewise for B.
            let ga: Tensor? = need[0]
                ? (transposeA ? matmul(bv, g, transposeA: transposeB, transposeB: true)
                              : matmul(g, bv, transposeB: !transposeB)) : nil
            let gb: Tensor? = need[1]
                ? (transposeB ? matmul(g, av, transposeA: true, transposeB: transposeA)
                              : matmul(av, g, transposeA: !transposeA)) : nil
            return [ga, gb]
        }
    }

    /// y = x·Wᵀ + b with PyTorch's layout: x [N, in], weight [out, in], bias [out].
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
                     "linear: input \(x.shape) does not fit weight \(weight.shape)")
        let n = x.shape[0], fin = x.shape[1], fout = weight.shape[0]
        let out = Tensor(uninitializedShape: [n, fout])
        let po = out.storage.pointer
        var beta: Float = 0
        if let bias {
            precondition(bias.shape == [fout], "linear: bias \(bias.shape) for \(fout) outputs")
            let pb = bias.storage.pointer
            for r in 0..<n { (po + r * fout).update(from: pb, count: fout) }
            beta = 1
        }
        gemm(transA: false, transB: true, m: n, n: fout, k: fin, a: x.storage.pointer, lda: fin,
             b: weight.storage.pointer, ldb: fin, beta: beta, c: po, ldc: fout)
        let xv = x.detached, wv = weight.detached
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return Autograd.record(out, inputs: inputs) { g, need in
            let pg = g.storage.pointer
            var grads: [Tensor?] = [nil, nil]
            if need[0] {
                let gx = Tensor(uninitializedShape: [n, fin])
                gemm(transA: false, transB: false, m: n, n: fin, k: fout, a: pg, lda: fout,
                     b: wv.storage.pointer, ldb: fin, c: gx.storage.pointer, ldc: fin)
                grads[0] = gx
            }
            if need[1] {
                let gw = Tensor(uninitializedShape: [fout, fin])
                gemm(transA: true, transB: false, m: fout, n: fin, k: n, a: pg, lda: fout,
                     b: xv.storage.pointer, ldb: fin, c: gw.storage.pointer, ldc: fin)
                grads[1] = gw
            }
            if need.count == 3 { grads.append(need[2] ? g.sum(axes: [0]) : nil) }
            return grads
        }
    }
}
