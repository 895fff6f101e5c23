import Autoencoder
import Datasets
import Foundation

/// The settings of `diagnose train autoencoder --images PATH` (`ImageAutoencoderTrainer`).
/// Defaults are the 32×32 scene recipe's where it applies: Adam at 2e-3 with warm-up and cosine
/// decay, batch 64, KL weight 1e-5, 2,500 steps, checkpoints every 200 steps.
public struct ImageAutoencoderOptions {
    /// A folder of images or a .csv/.tsv table (`ImageTable.open`).
    public var images: String
    /// Side of the images and of the autoencoder: 32, 64 or 128.
    public var size: Int
    /// The weights file to write (.safetensors); checkpoints and the reconstruction sheet go
    /// beside it, named after it.
    public var output: URL
    /// Training steps when none are given (`diagnose train autoencoder --steps`, `--autoencoder-steps`).
    public static let defaultSteps = 2_500
    public var steps = defaultSteps
    public var batchSize = 64
    /// Latent size; nil: the family's default for `size` (64, 128, 256).
    public var latentDim: Int?
    public var width = 32
    public var learningRate: Float = 2e-3
    public var klWeight: Float = 1e-5
    public var seed: UInt64 = 0
    public var resume = false
    public var checkpointEvery = 200
    /// The largest share of unusable files that still trains (they are skipped and listed).
    public var maxBadFraction = 0.01
    /// Test images on the reconstruction sheet (fewer if the test split is smaller).
    public var sheetImages = 12
    /// Tests only: end the run with an error right after the checkpoint at this step, as an
    /// interruption would, so that `resume` can be checked against an uninterrupted run.
    var stopAfterStep: Int?

    public init(images: String, size: Int, output: URL) {
        (self.images, self.size, self.output) = (images, size, output)
    }

    public var resolvedLatentDim: Int { latentDim ?? ConvAutoencoder.defaultLatentDim(size: size) }

    /// The files written beside the weights: `NAME-checkpoint.safetensors`,
    /// `NAME-optimizer.safetensors` (removed at the end) and `NAME-reconstructions.png`.
    func companion(_ suffix: String) -> URL {
        let stem = output.deletingPathExtension().lastPathComponent
        return output.deletingLastPathComponent().appendingPathComponent("\(stem)-\(suffix)")
    }

    /// Everything that decides the trained weights, as the weights' metadata records it: the image
    /// set's identity, these settings and the trainer's recipe version. A diagnosis names its
    /// cached autoencoder by the digest of this (`OwnAutoencoder`).
    public func recipe(for set: ImageSet) -> [String: String] {
        ["image_set_digest": set.identity.hex, "size": "\(size)", "latent_dim": "\(resolvedLatentDim)", "width": "\(width)",
         "steps": "\(steps)", "batch_size": "\(batchSize)", "seed": "\(seed)", "learning_rate": "\(learningRate)",
         "kl_weight": "\(klWeight)", "recipe": "\(ImageAutoencoderTrainer.recipeVersion)"]
    }

    /// The checkpoint `resume` continues from.
    public var checkpointFile: URL { companion("checkpoint.safetensors") }

    /// Refuses settings that cannot train, naming the setting and what it accepts.
    func check() throws {
        func refuse(_ text: String) -> TrainingError { TrainingError(description: text) }
        guard ConvAutoencoder.supportedSizes.contains(size) else {
            throw refuse("--size \(size) is not supported: use \(ConvAutoencoder.supportedSizes.map(String.init).joined(separator: ", ")).")
        }
        guard output.pathExtension == "safetensors" else {
            throw refuse("--out \(output.path): the weights file's name must end in .safetensors, e.g. --out runs/my-autoencoder.safetensors.")
        }
        for (name, value, range) in [("steps", steps, 1...10_000_000), ("batch-size", batchSize, 1...4_096),
                                     ("latent", resolvedLatentDim, 1...1_024), ("width", width, 1...256),
                                     ("checkpoint-every", checkpointEvery, 1...10_000_000)] where !range.contains(value) {
            throw refuse("--\(name) \(value) is out of range: use \(range.lowerBound)...\(range.upperBound).")
        }
        guard (0...1).contains(maxBadFraction) else {
            throw refuse("--max-bad-fraction \(maxBadFraction) is not a share: use a number from 0 (no bad file allowed) to 1.")
        }
        guard learningRate > 0, learningRate.isFinite, klWeight >= 0, klWeight.isFinite else {
            throw refuse("the learning rate (\(learningRate)) must be positive and the KL weight (\(klWeight)) zero or positive.")
        }
    }
}
