import Tensors

extension Workload {
    /// `sgemm_512`: C = A·B on n×n Float matrices through the engine's product (`Tensor.matmul`:
    /// oneDNN's sgemm on every core the run is given, as a product this large is), 2n³ FLOP per
    /// step; the machine's practical peak, against which the convolution numbers make sense.
    public static func sgemm(size n: Int) -> Workload {
        Workload(name: "sgemm_\(n)", unit: "GFLOP/s", workPerStep: 2 * Double(n * n * n) / 1e9) {
            let (a, b) = sgemmInputs(size: n)
            return { _ = sgemmMultiply(a, b) }
        }
    }

    /// Deterministic n×n values in [-1, 1): content does not change speed, but zeros or denormals
    /// could, so avoid them.
    static func sgemmInputs(size n: Int) -> (a: Tensor, b: Tensor) {
        let a = (0..<(n * n)).map { Float(($0 * 7919) % 1999) / 999.5 - 1 }
        let b = (0..<(n * n)).map { Float(($0 * 104_729) % 1997) / 998.5 - 1 }
        return (Tensor(shape: [n, n], scalars: a), Tensor(shape: [n, n], scalars: b))
    }

    /// The timed operation: row-major C = A·B.
    static func sgemmMultiply(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.matmul(a, b) }
}
