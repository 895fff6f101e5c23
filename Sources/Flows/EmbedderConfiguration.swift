/// How expert features z_Φ become the flow's condition vector.
///
/// - Spatial features [C, H, W]: `convolutions` (each conv → ActNorm if `actNorm` → LeakyReLU(0.2)),
///   then flatten and one linear layer to `outputDimension` (the same map as invariances' final
///   conv whose kernel is the remaining spatial size).
/// - Flat features [D]: an MLP with `hiddenLayers` layers of `hiddenWidth` and LeakyReLU(0.2).
public struct EmbedderConfiguration: Codable, Equatable, Sendable {
    /// Per-sample feature shape: [C, H, W] or [D].
    public var inputShape: [Int]
    public var outputDimension: Int
    public var convolutions: [ConvolutionStage]
    public var actNorm: Bool
    public var hiddenWidth: Int
    public var hiddenLayers: Int

    public init(inputShape: [Int], outputDimension: Int = 128, convolutions: [ConvolutionStage] = [],
                actNorm: Bool = true, hiddenWidth: Int = 256, hiddenLayers: Int = 2) {
        (self.inputShape, self.outputDimension, self.convolutions) = (inputShape, outputDimension, convolutions)
        (self.actNorm, self.hiddenWidth, self.hiddenLayers) = (actNorm, hiddenWidth, hiddenLayers)
    }

    public var isSpatial: Bool { inputShape.count == 3 }

    /// The default for a feature shape. Spatial: invariances' Embedder scaled to our small maps —
    /// stride-2 4×4 convs (padding 1) with ActNorm and LeakyReLU(0.2), channels doubling from 64,
    /// until the map is at most 4×4 (16×16 → 8×8 → 4×4; 8×8 → 4×4; 4×4 and smaller: none), then
    /// the linear read-out. Flat: MLP 256-256.
    /// `baseChannels`: width of the first convolution (doubling after each); invariances uses 64.
    /// Halving it makes a full-resolution (32×32) input's embedder about 4× cheaper.
    public static func automatic(featureShape: [Int], outputDimension: Int = 128, baseChannels: Int = 64) -> EmbedderConfiguration {
        guard featureShape.count == 3 else {
            return EmbedderConfiguration(inputShape: featureShape, outputDimension: outputDimension)
        }
        var stages: [ConvolutionStage] = []
        var h = featureShape[1], w = featureShape[2], channels = baseChannels
        while max(h, w) > 4 {
            let stage = ConvolutionStage(outChannels: channels, kernel: 4, stride: 2, padding: 1)
            stages.append(stage)
            (h, w) = (stage.outputSize(h), stage.outputSize(w))
            channels *= 2
        }
        return EmbedderConfiguration(inputShape: featureShape, outputDimension: outputDimension, convolutions: stages)
    }

    /// The benchmark reference (shared/bench/torch_reference.py, Embedder): 64×8×8 → conv 64 3×3 s1 p1
    /// → LeakyReLU → conv 128 3×3 s2 p1 → LeakyReLU → flatten → linear 2048 → 128; no ActNorm.
    public static let benchmarkReference = EmbedderConfiguration(
        inputShape: [64, 8, 8], outputDimension: 128,
        convolutions: [ConvolutionStage(outChannels: 64, kernel: 3, stride: 1, padding: 1),
                       ConvolutionStage(outChannels: 128, kernel: 3, stride: 2, padding: 1)],
        actNorm: false)

    /// Shape after the convolutions, [C, H, W] (spatial only).
    var convolvedShape: [Int] {
        var c = inputShape[0], h = inputShape[1], w = inputShape[2]
        for s in convolutions { (c, h, w) = (s.outChannels, s.outputSize(h), s.outputSize(w)) }
        return [c, h, w]
    }
}
