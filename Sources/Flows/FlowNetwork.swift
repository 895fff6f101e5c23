import NN
import Tensors

/// A chain of invertible blocks; itself follows the `InvertibleBlock` contract (forward runs the
/// blocks in order, reverse in reverse order, log-dets add). Shapes are checked when it is built.
/// Keys: blocks.{i}.… in chain order.
public final class FlowNetwork: Module, InvertibleBlock {
    /// Typed, and found by `Module`'s reflection like any module array (keys `blocks.{i}.…`).
    public let blocks: [any InvertibleBlock]
    public let dimension: Int
    public let conditionDimension: Int?
    public var blockDescription: String { "FlowNetwork(\(blocks.count) blocks, \(dimension)\(conditionDimension.map { ", condition \($0)" } ?? ""))" }

    /// Every block must carry `dimension` features and take either no condition or exactly
    /// `conditionDimension`; otherwise the error names the first misfit.
    public init(blocks: [any InvertibleBlock], dimension: Int, conditionDimension: Int?) throws {
        for (i, b) in blocks.enumerated() {
            if b.dimension != dimension {
                throw FlowError.blockShape(block: b.blockDescription, index: i,
                                           problem: "takes \(b.dimension) features, the network carries \(dimension)")
            }
            if let c = b.conditionDimension, c != conditionDimension {
                throw FlowError.blockShape(block: b.blockDescription, index: i,
                                           problem: conditionDimension.map { "expects a \(c)-d condition, the network provides \($0)" }
                                               ?? "expects a \(c)-d condition, the network is unconditional")
            }
        }
        self.blocks = blocks
        self.dimension = dimension
        self.conditionDimension = conditionDimension
    }

    public func forward(_ x: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(x, condition)
        var h = x, total = Tensor.zeros([x.shape[0]])
        for b in blocks {
            let (y, ld) = b.forward(h, condition: condition)
            h = y
            total = total + ld
        }
        return (h, total)
    }

    public func reverse(_ v: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(v, condition)
        var h = v, total = Tensor.zeros([v.shape[0]])
        for b in blocks.reversed() {
            let (y, ld) = b.reverse(h, condition: condition)
            h = y
            total = total + ld
        }
        return (h, total)
    }

    /// net2net's ConditionalFlatCouplingFlow layout: `blocks` × (ActNorm → double affine coupling
    /// → fixed permutation), all randomness from `rng`.
    public static func coupling(dimension: Int, conditionDimension: Int?, blocks: Int, width: Int,
                                hiddenLayers: Int, scaleClamp: Float, rng: inout Xoshiro256) throws -> FlowNetwork {
        var modules: [any InvertibleBlock] = []
        for _ in 0..<blocks {
            modules.append(ActNormBlock(dimension: dimension))
            modules.append(DoubleAffineCoupling(dimension: dimension, conditionDimension: conditionDimension, width: width,
                                                hiddenLayers: hiddenLayers, scaleClamp: scaleClamp, rng: &rng))
            modules.append(FixedPermutation(dimension: dimension, rng: &rng))
        }
        return try FlowNetwork(blocks: modules, dimension: dimension, conditionDimension: conditionDimension)
    }
}
