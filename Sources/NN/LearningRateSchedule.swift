import Foundation

/// Learning rate as a function of the step (0-based).
public enum LearningRateSchedule {
    case constant(Float)
    /// Linear warm-up from 0 to `peak` over `warmup` steps, then cosine decay to `final` at `total`.
    case warmupCosine(peak: Float, warmup: Int, total: Int, final: Float = 0)
    /// One-cycle (torch's OneCycleLR, cosine annealing): from max/div up to max over
    /// `pctStart`·total steps, then down to max/(div·finalDiv).
    case oneCycle(max: Float, total: Int, pctStart: Float = 0.3, div: Float = 25, finalDiv: Float = 1e4)

    public func rate(at step: Int) -> Float {
        func cosine(from a: Float, to b: Float, _ t: Float) -> Float {
            b + (a - b) * 0.5 * (1 + Foundation.cos(Float.pi * Swift.min(Swift.max(t, 0), 1)))
        }
        switch self {
        case .constant(let lr):
            return lr
        case let .warmupCosine(peak, warmup, total, final):
            if step < warmup { return peak * Float(step + 1) / Float(warmup) }
            return cosine(from: peak, to: final, Float(step - warmup) / Float(Swift.max(total - warmup, 1)))
        case let .oneCycle(mx, total, pctStart, div, finalDiv):
            let initial = mx / div, minimum = initial / finalDiv
            let up = Swift.max(Float(total) * pctStart - 1, 1)
            let s = Float(step)
            if s <= up { return cosine(from: initial, to: mx, s / up) }
            return cosine(from: mx, to: minimum, (s - up) / Swift.max(Float(total - 1) - up, 1))
        }
    }
}
