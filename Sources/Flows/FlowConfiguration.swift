/// The size of a flow. Defaults are the benchmark reference that reached held-out NLL 0.29
/// nats/dim (conditional, `early` tap) vs 1.15 (unconditional) in the PyTorch prototype after 3000
/// steps at batch 128: 10 blocks, coupling width 256 with 2 hidden layers, 128-d embedding. At
/// 64-d codes this is ~1.5M flow parameters — small enough for ~10 steps/s on two CPU cores, large
/// enough that the prototype was data-limited, not capacity-limited (it overfit after ~3000 steps).
public struct FlowConfiguration: Codable, Equatable, Sendable {
    /// Size of z_Θ (even).
    public var codeDimension: Int = 64
    /// Flow steps, each ActNorm → double affine coupling → permutation.
    public var blocks: Int = 10
    /// Hidden width of each coupling MLP (4 MLPs per block: s and t for both halves).
    public var couplingWidth: Int = 256
    public var couplingHiddenLayers: Int = 2
    /// Size of the condition vector the embedder produces.
    public var embeddingDimension: Int = 128
    /// Coupling scales are c·tanh(u/c) ∈ (−c, c). net2net uses c = 1; 2 gives the same start and
    /// more room for strongly scaled dimensions.
    public var scaleClamp: Float = 2
    /// All randomness of initialisation (weights, permutations) comes from this seed.
    public var seed: UInt64 = 0

    public init(codeDimension: Int = 64, blocks: Int = 10, couplingWidth: Int = 256, couplingHiddenLayers: Int = 2,
                embeddingDimension: Int = 128, scaleClamp: Float = 2, seed: UInt64 = 0) {
        (self.codeDimension, self.blocks, self.couplingWidth) = (codeDimension, blocks, couplingWidth)
        (self.couplingHiddenLayers, self.embeddingDimension, self.scaleClamp, self.seed) =
            (couplingHiddenLayers, embeddingDimension, scaleClamp, seed)
    }
}

/// Sizes a checkpoint may describe: far above anything the tool trains, far below what would
/// exhaust memory when allocated.
let checkpointSizeLimit = 65_536

extension FlowConfiguration {
    func validate(_ source: String) throws {
        let sizes = [("codeDimension", codeDimension, checkpointSizeLimit), ("blocks", blocks, 1_024),
                     ("couplingWidth", couplingWidth, checkpointSizeLimit), ("couplingHiddenLayers", couplingHiddenLayers, 64),
                     ("embeddingDimension", embeddingDimension, checkpointSizeLimit)]
        for (name, value, limit) in sizes where !(1...limit).contains(value) {
            throw FlowError.checkpoint("\(source): flow configuration \(name) = \(value) is out of range; delete the file to retrain")
        }
        guard codeDimension % 2 == 0, scaleClamp.isFinite, scaleClamp > 0 else {
            throw FlowError.checkpoint("\(source): flow configuration (code dimension \(codeDimension), scale clamp \(scaleClamp)) is invalid")
        }
    }
}

extension EmbedderConfiguration {
    func validate(_ source: String) throws {
        let sizes = inputShape + [outputDimension, hiddenWidth, hiddenLayers + 1, inputShape.count]
            + convolutions.flatMap { [$0.outChannels, $0.kernel, $0.stride, $0.padding + 1] }
        guard (1...3).contains(inputShape.count), sizes.allSatisfy({ (1...checkpointSizeLimit).contains($0) }),
              inputShape.reduce(1, *) <= 1 << 26 else {
            throw FlowError.checkpoint("\(source): embedder configuration \(self) is out of range; delete the file to retrain")
        }
    }
}

