import NN
import Tensors

/// The same coupling flow without a condition: a density p(z_Θ) whose held-out NLL, against the
/// cINN's, estimates how much a layer knows about the code. Keys: flow.blocks.…
public final class UnconditionalFlow: Module, Translator {
    public let flow: FlowNetwork
    public let configuration: FlowConfiguration

    public init(configuration: FlowConfiguration) throws {
        var rng = Xoshiro256(seed: configuration.seed)
        self.configuration = configuration
        flow = try FlowNetwork.coupling(dimension: configuration.codeDimension, conditionDimension: nil,
                                        blocks: configuration.blocks, width: configuration.couplingWidth,
                                        hiddenLayers: configuration.couplingHiddenLayers,
                                        scaleClamp: configuration.scaleClamp, rng: &rng)
    }

    public var isConditional: Bool { false }
    public var lossUnit: String { "nats/dim" }

    public func prepare(training: TranslationPairs) {}

    /// v = τ⁻¹(z) and log|det ∂v/∂z|.
    public func encode(_ codes: Tensor) -> (residual: Tensor, logDeterminant: Tensor) {
        let (v, ld) = flow.forward(codes, condition: nil)
        return (v, ld)
    }

    public func decode(_ residuals: Tensor) -> Tensor { flow.reverse(residuals, condition: nil).output }

    /// −log p(z) per sample in nats per dimension, with the Gaussian constant.
    public func negativeLogLikelihood(_ codes: Tensor) -> Tensor {
        let (v, ld) = encode(codes)
        return GaussianLikelihood.nllPerDimension(residual: v, logDeterminant: ld)
    }

    public func loss(codes: Tensor, features: Tensor?) -> Tensor { negativeLogLikelihood(codes).mean() }

    /// `count` codes [count, D].
    public func sample(count: Int, temperature: Float = 1, rng: inout Xoshiro256) -> Tensor {
        return inferring {  // inference must never trigger ActNorm's data-dependent init
            decode(Tensor.normal([count, configuration.codeDimension], std: temperature, rng: &rng))
        }
    }

    public var checkpointMetadata: [String: String] {
        ["flows.kind": "unconditional_flow", "flows.flow_configuration": CheckpointCoding.encode(configuration)]
    }
}
