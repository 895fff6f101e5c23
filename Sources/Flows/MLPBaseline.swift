import NN
import Tensors

/// The deterministic baseline: the same embedder as the cINN, then an MLP regressing z_Θ with
/// MSE. It cannot show invariances (one answer per input); it shows what a mean predictor makes of
/// the layer. Keys: embedder.…, head.{i}.…
public final class MLPBaseline: Module, Translator {
    public let embedder: ConditionEmbedder
    public let head: Sequential
    public let configuration: FlowConfiguration

    /// Uses `codeDimension`, `embeddingDimension`, `couplingWidth` (as the head's width),
    /// `couplingHiddenLayers` and `seed` of the flow configuration, so both translators of a layer
    /// are described by one configuration.
    public init(configuration: FlowConfiguration, embedder embedderConfiguration: EmbedderConfiguration) throws {
        var rng = Xoshiro256(seed: configuration.seed)
        self.configuration = configuration
        embedder = try ConditionEmbedder(embedderConfiguration, for: configuration, rng: &rng)
        var layers: [any UnaryLayer] = []
        var width = configuration.embeddingDimension
        for _ in 0..<configuration.couplingHiddenLayers {
            layers += [Linear(width, configuration.couplingWidth, rng: &rng), LeakyReLU(0.2)]
            width = configuration.couplingWidth
        }
        layers.append(Linear(width, configuration.codeDimension, rng: &rng))
        head = Sequential(layers)
    }

    public var isConditional: Bool { true }
    public var lossUnit: String { "mse/dim" }

    public func prepare(training: TranslationPairs) {
        if !embedder.standardizer.isFitted, let f = training.features { embedder.standardizer.fit(f) }
    }

    /// The regressed code [N, D].
    public func predict(_ features: Tensor) -> Tensor { head(embedder(features)) }

    public func loss(codes: Tensor, features: Tensor?) -> Tensor { Tensor.mse(predict(features!), codes) }

    public var checkpointMetadata: [String: String] {
        ["flows.kind": "mlp_baseline",
         "flows.flow_configuration": CheckpointCoding.encode(configuration),
         "flows.embedder_configuration": CheckpointCoding.encode(embedder.configuration)]
    }
}
