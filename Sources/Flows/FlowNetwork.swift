import NN
import Tensors

/// A chain of invertible blocks; itself follows the `InvertibleBlock` contract (forward runs the
/// blocks in order, reverse in reverse order, log-dets add). Shapes are checked when it is built.
/// Keys: blocks.{i}.… in chain order.
public final class FlowNetwork: Module, InvertibleBlock {
    public let blocks: [Module]
    public let dimension: Int
    public let conditionDimension: Int?
    public var blockDescription: String { "FlowNetwork(\(blocks.count) blocks, \(dimension)\(conditionDimension.map { ", condition \($0)" } ?? ""))" }

    /// Every module must be an `InvertibleBlock` of `dimension` features whose condition is either
    /// none or exactly `conditionDimension`; otherwise the error names the first misfit.
    public init(blocks: [Module], dimension: Int, conditionDimension: Int?) throws {
        for (i, m) in blocks.enumerated() {
            guard let b = m as? any InvertibleBlock else {
                throw FlowError.blockShape(block: "\(type(of: m))", index: i, problem: "is not an InvertibleBlock")
            }
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

    private var chain: [any InvertibleBlock] { blocks.map { $0 as! any InvertibleBlock } }

    public func forward(_ x: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(x, condition)
        var h = x, total = Tensor.zeros([x.shape[0]])
        for b in chain {
            let (y, ld) = b.forward(h, condition: condition)
            h = y
            total = total + ld
        }
        return (h, total)
    }

    public func reverse(_ v: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(v, condition)
        var h = v, total = Tensor.zeros([v.shape[0]])
        for b in chain.reversed() {
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
        var modules: [Module] = []
        for _ in 0..<blocks {
            modules.append(ActNormBlock(dimension: dimension))
            modules.append(DoubleAffineCoupling(dimension: dimension, conditionDimension: conditionDimension, width: width,
                                                hiddenLayers: hiddenLayers, scaleClamp: scaleClamp, rng: &rng))
            modules.append(FixedPermutation(dimension: dimension, rng: &rng))
        }
        return try FlowNetwork(blocks: modules, dimension: dimension, conditionDimension: conditionDimension)
    }
}
