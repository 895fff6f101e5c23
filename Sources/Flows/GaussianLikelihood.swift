import Foundation
import Tensors

/// Negative log-likelihood under a standard normal residual through a flow.
enum GaussianLikelihood {
    static let halfLogTwoPi = Float(0.5 * Foundation.log(2 * Double.pi))

    /// (0.5·‖v‖² − log|det ∂v/∂z|) / D + 0.5·log(2π), per sample.
    static func nllPerDimension(residual v: Tensor, logDeterminant: Tensor) -> Tensor {
        let d = Float(v.shape[1])
        return (v.squared().sum(axes: [1]) * 0.5 - logDeterminant) * (1 / d) + halfLogTwoPi
    }
}
