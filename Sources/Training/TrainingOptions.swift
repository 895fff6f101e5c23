import Foundation

/// The models the tool trains itself.
public enum TrainableModel: String, CaseIterable {
    case deeplab, resnet, autoencoder

    /// Defaults chosen for this 2-core machine (docs/experts.md has the measurements).
    public var defaults: TrainingOptions {
        switch self {
        case .deeplab: return TrainingOptions(epochs: 6, trainScenes: 30_000, batchSize: 64, learningRate: 2e-3)
        case .resnet:
            var o = TrainingOptions(epochs: 10, trainScenes: 60_000, batchSize: 64, learningRate: 2e-3)
            o.freshScenes = true
            return o
        case .autoencoder:
            var o = TrainingOptions(epochs: 4, trainScenes: 40_000, batchSize: 64, learningRate: 2e-3)
            o.freshScenes = true
            (o.garmentWeight, o.perceptualWeight) = (2, 0.5)
            return o
        }
    }
}

public struct TrainingOptions {
    public var epochs: Int
    public var trainScenes: Int
    public var testScenes = 2_000
    public var batchSize: Int
    public var learningRate: Float
    public var seed: UInt64 = 0
    /// Where weights, checkpoints and the optimizer state go.
    public var outputDirectory = URL(fileURLWithPath: "runs")
    public var resume = false
    /// Draw new scenes every epoch (scene indices `epoch * trainScenes + i`): the same number of
    /// steps sees new colours, backgrounds, placements and garment draws instead of repeating
    /// one set, which is what let the classifier overfit (docs/experts.md).
    public var freshScenes = false
    public var checkpointEvery = 200
    public var dataDir: String? = nil
    /// Autoencoder only: latent size, channel width, loss weights.
    public var latentDim = 64
    public var width = 32
    public var klWeight: Float = 1e-5
    /// Extra weight of garment pixels in the reconstruction loss (AutoencoderObjective).
    public var garmentWeight: Float = 0
    /// Weight of the perceptual term from the shipped classifier (0: none).
    public var perceptualWeight: Float = 0

    public init(epochs: Int, trainScenes: Int, batchSize: Int, learningRate: Float) {
        (self.epochs, self.trainScenes, self.batchSize, self.learningRate) = (epochs, trainScenes, batchSize, learningRate)
    }
}
