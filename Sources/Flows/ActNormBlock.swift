import Foundation
import NN
import Tensors

/// Activation normalisation of flat codes: v = (x + loc) · scale per dimension, log-det
/// Σ log|scale|. On the first forward call in training mode (while `initialized` is 0), loc and
/// scale are set from that batch to loc = −mean, scale = 1/(std + 1e-6), so the batch leaves with
/// zero mean and unit variance; `initialized` is saved with the weights so loading never re-runs it.
/// Keys: loc, scale [D]; initialized (integer scalar).
public final class ActNormBlock: Module, InvertibleBlock {
    public let loc: Parameter
    public let scale: Parameter
    public let initialized: Buffer
    public let dimension: Int
    public var conditionDimension: Int? { nil }
    public var blockDescription: String { "ActNormBlock(\(dimension))" }

    public init(dimension: Int) {
        self.dimension = dimension
        loc = Parameter(Tensor.zeros([dimension]))
        scale = Parameter(Tensor.ones([dimension]))
        initialized = Buffer(Tensor(0), isInteger: true)
    }

    public var isInitialized: Bool { initialized.value.item != 0 }

    /// Data-dependent initialisation. A batch with non-finite statistics (or fewer than 2 rows) is
    /// ignored, so bad data can never write NaN into the weights.
    public func initialize(from x: Tensor) {
        let n = x.shape[0], d = dimension
        guard n > 1 else { return }
        var mean = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        x.withUnsafeBufferPointer { p in
            for i in 0..<n { for j in 0..<d { mean[j] += Double(p[i * d + j]) } }
            for j in 0..<d { mean[j] /= Double(n) }
            for i in 0..<n { for j in 0..<d { let e = Double(p[i * d + j]) - mean[j]; sq[j] += e * e } }
        }
        let std = sq.map { ($0 / Double(n)).squareRoot() }
        guard mean.allSatisfy(\.isFinite), std.allSatisfy(\.isFinite) else { return }
        loc.assign(Tensor(shape: [d], scalars: mean.map { Float(-$0) }))
        scale.assign(Tensor(shape: [d], scalars: std.map { Float(1 / ($0 + 1e-6)) }))
        initialized.value = Tensor(1)
    }

    private func logDeterminant(rows: Int, sign: Float) -> Tensor {
        // Scalar Σ log|scale| spread over the batch; the add keeps it differentiable.
        Tensor.zeros([rows]) + scale.value.abs().log().sum() * sign
    }

    public func forward(_ x: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(x, condition)
        if isTraining && !isInitialized { initialize(from: x) }
        let y = (x + loc.value.reshaped([1, dimension])) * scale.value.reshaped([1, dimension])
        return (y, logDeterminant(rows: x.shape[0], sign: 1))
    }

    public func reverse(_ v: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(v, condition)
        let x = v / scale.value.reshaped([1, dimension]) - loc.value.reshaped([1, dimension])
        return (x, logDeterminant(rows: v.shape[0], sign: -1))
    }
}
