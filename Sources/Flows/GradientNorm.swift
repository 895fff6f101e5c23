import NN
import Tensors

/// Joint gradient norm and clipping in one vectorised read of the gradients (NN's
/// `GradientClipping.clipNorm` accumulates in Double one element at a time, ~2 ns per element).
enum GradientNorm {
    /// Scales the gradients so their joint L2 norm is at most `maxNorm`; returns the norm before
    /// clipping, which is non-finite exactly when some gradient is (then nothing is scaled).
    static func clip(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var total: Double = 0
        for p in parameters {
            guard let g = p.grad else { continue }
            total += g.withUnsafeBufferPointer { b -> Double in
                // 16 independent float lanes per block keep the loop vectorised; blocks of 4096 are
                // summed in Double so millions of terms lose no precision.
                var sum: Double = 0
                var start = 0
                while start < b.count {
                    let end = min(start + 4096, b.count)
                    var lanes = SIMD16<Float>(repeating: 0)
                    var j = start
                    let base = UnsafeRawPointer(b.baseAddress!)
                    while j + 16 <= end {
                        let x = (base + 4 * j).loadUnaligned(as: SIMD16<Float>.self)
                        lanes += x * x
                        j += 16
                    }
                    var rest: Float = 0
                    while j < end { rest += b[j] * b[j]; j += 1 }
                    sum += Double(lanes.sum() + rest)
                    start = end
                }
                return sum
            }
        }
        let norm = Float(total.squareRoot())
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters { p.value.scaleGradient(by: scale) }
        return norm
    }
}
