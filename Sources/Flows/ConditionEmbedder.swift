import NN
import Tensors

/// Expert features z_Φ → condition vector [N, outputDimension]: per-channel standardisation from
/// training statistics, then the convolutional or MLP network of `EmbedderConfiguration`. Trained
/// jointly with whatever consumes it. Keys: standardizer.…, net.{i}.…
public final class ConditionEmbedder: Module, UnaryLayer {
    public let standardizer: FeatureStandardizer
    public let net: Sequential
    public let configuration: EmbedderConfiguration

    public init(_ configuration: EmbedderConfiguration, rng: inout Xoshiro256) throws {
        let shape = configuration.inputShape
        guard (shape.count == 1 || shape.count == 3), shape.allSatisfy({ $0 > 0 }) else {
            throw FlowError.inputShape("embedder: feature shape \(shape) must be [C, H, W] or [D] with positive sizes")
        }
        self.configuration = configuration
        standardizer = FeatureStandardizer(channels: shape[0])
        var layers: [any UnaryLayer] = []
        if configuration.isSpatial {
            var channels = shape[0], h = shape[1], w = shape[2]
            for (i, stage) in configuration.convolutions.enumerated() {
                (h, w) = (stage.outputSize(h), stage.outputSize(w))
                guard h > 0, w > 0 else {
                    throw FlowError.inputShape("embedder: convolution \(i) (\(stage.kernel)×\(stage.kernel), stride \(stage.stride)) "
                                               + "leaves no pixels of the \(shape[1])×\(shape[2]) features")
                }
                layers.append(Conv2d(channels, stage.outChannels, kernel: stage.kernel, stride: stage.stride,
                                     padding: stage.padding, rng: &rng))
                if configuration.actNorm { layers.append(ActNorm(stage.outChannels)) }
                layers.append(LeakyReLU(0.2))
                channels = stage.outChannels
            }
            layers.append(Flatten())
            layers.append(Linear(channels * h * w, configuration.outputDimension, rng: &rng))
        } else {
            var width = shape[0]
            for _ in 0..<configuration.hiddenLayers {
                layers.append(Linear(width, configuration.hiddenWidth, rng: &rng))
                layers.append(LeakyReLU(0.2))
                width = configuration.hiddenWidth
            }
            layers.append(Linear(width, configuration.outputDimension, rng: &rng))
        }
        net = Sequential(layers)
    }

    /// The embedder of a translator described by `flow`: its output must be the flow's
    /// `embeddingDimension`, the input width of whatever consumes the condition.
    convenience init(_ configuration: EmbedderConfiguration, for flow: FlowConfiguration, rng: inout Xoshiro256) throws {
        guard configuration.outputDimension == flow.embeddingDimension else {
            throw FlowError.inputShape("embedder produces \(configuration.outputDimension) dims, "
                                       + "the translator expects embeddingDimension \(flow.embeddingDimension)")
        }
        try self.init(configuration, rng: &rng)
    }

    public var outputDimension: Int { configuration.outputDimension }

    /// Throws unless `features` is [N] + inputShape.
    public func check(_ features: Tensor, _ what: String = "features") throws {
        guard features.rank == configuration.inputShape.count + 1,
              Array(features.shape.dropFirst()) == configuration.inputShape else {
            throw FlowError.inputShape("\(what) have shape \(features.shape), the embedder expects [N] + \(configuration.inputShape)")
        }
    }

    public func forward(_ features: Tensor) -> Tensor {
        net(standardizer.apply(features))
    }
}
