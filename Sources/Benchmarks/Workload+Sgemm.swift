import COpenBLAS
import Tensors

extension Workload {
    /// `sgemm_512`: C = A·B on n×n Float matrices with cblas_sgemm, 2n³ FLOP per step; the
    /// machine's practical peak, against which the convolution numbers make sense.
    public static func sgemm(size n: Int) -> Workload {
        Workload(name: "sgemm_\(n)", unit: "GFLOP/s", workPerStep: 2 * Double(n * n * n) / 1e9) {
            let (a, b) = sgemmInputs(size: n)
            var c = [Float](repeating: 0, count: n * n)
            // A product this large uses every core the engine is given (see BLASThreads).
            OpenBLASRuntime.threads = Parallel.workers
            return { sgemmMultiply(a, b, into: &c, size: n) }
        }
    }

    /// Deterministic values in [-1, 1): content does not change speed, but zeros or denormals
    /// could, so avoid them.
    static func sgemmInputs(size n: Int) -> (a: [Float], b: [Float]) {
        let a = (0..<(n * n)).map { Float(($0 * 7919) % 1999) / 999.5 - 1 }
        let b = (0..<(n * n)).map { Float(($0 * 104_729) % 1997) / 998.5 - 1 }
        return (a, b)
    }

    /// The timed operation: row-major C = A·B.
    static func sgemmMultiply(_ a: [Float], _ b: [Float], into c: inout [Float], size n: Int) {
        let dim = Int32(n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dim, dim, dim,
                                1, a.baseAddress, dim, b.baseAddress, dim, 0, c.baseAddress, dim)
                }
            }
        }
    }
}
