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
            total += g.withUnsafeBufferPointer(VectorMath.sumOfSquares)
        }
        let norm = Float(total.squareRoot())
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters { p.value.scaleGradient(by: scale) }
        return norm
    }
}
