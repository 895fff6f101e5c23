import NN
import Tensors

/// The one contract every invertible block and every flow network follows.
///
/// Direction: `forward` maps data to residual, z_Θ → v (the training direction, where the
/// likelihood is computed); `reverse` maps residual to data, v → z_Θ (the sampling direction).
///
/// Sign rule (stated once, holds for every conformer): each direction returns
/// `log|det ∂output/∂input|` of the map it applies, one value per sample, shape [N]. Hence for the
/// same block and condition `logdet(reverse(forward(x).output)) == −logdet(forward(x))`, and the
/// negative log-likelihood of x is `0.5·‖v‖² + D/2·log(2π) − logdet_forward`.
///
/// Inputs are flat, [N, dimension]. The condition (an embedding [N, conditionDimension]) is passed
/// explicitly on every call; unconditional blocks take nil and ignore it. Shapes are checked once
/// when a `FlowNetwork` is built (errors name the block); calls with wrong shapes trap naming the
/// block.
///
/// Blocks are modules (their weights and buffers go into checkpoints) but not `UnaryLayer`s: these
/// two methods are the only way to call one, so a block can never be called without its condition.
public protocol InvertibleBlock: Module {
    /// A short description used in errors, e.g. "DoubleAffineCoupling(64, condition 128)".
    var blockDescription: String { get }
    /// Features per sample; output has the same size.
    var dimension: Int { get }
    /// Size of the condition vector, or nil if the block takes no condition.
    var conditionDimension: Int? { get }

    func forward(_ x: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor)
    func reverse(_ v: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor)
}

extension InvertibleBlock {
    /// Traps with the block's name when a call does not fit (a programming error once the network
    /// has been built and checked).
    func checkCall(_ x: Tensor, _ condition: Tensor?) {
        precondition(x.rank == 2 && x.shape[1] == dimension,
                     "\(blockDescription): input \(x.shape), expected [N, \(dimension)]")
        if let c = conditionDimension {
            guard let condition else { preconditionFailure("\(blockDescription): needs a condition [N, \(c)], got nil") }
            precondition(condition.shape == [x.shape[0], c],
                         "\(blockDescription): condition \(condition.shape), expected [\(x.shape[0]), \(c)]")
        }
    }
}
