import Autoencoder
import Datasets
import Experts
import Foundation
import NN
import SafeTensors
import Tensors

public struct ModelTrainingResult {
    public let weights: URL
    public let metrics: [String: Double]
    public let seconds: Double
}

public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
}

/// Trains one of the tool's own models on FashionScenes in the `GuardedTrainingLoop` (its doc
/// comment has the rules for NaN and divergence): Adam with warm-up + cosine decay, gradients
/// clipped to norm 5, periodic checkpoints (weights and optimizer state) that `resume` continues
/// from, and a final test evaluation whose figures go into the weights' metadata. There is no
/// held-out selection: the weights written are the last ones.
///
/// Every random choice derives from the seed and the step, so a resumed run continues exactly as
/// an uninterrupted one would.
public enum ModelTrainer {
    /// The training scenes of one epoch in the order they are used: a seeded permutation of
    /// 0..<trainScenes, or with `freshScenes` of epoch·trainScenes ..< (epoch+1)·trainScenes.
    static func sceneOrder(epoch: Int, options o: TrainingOptions) -> [Int] {
        var shuffle = Xoshiro256(seed: o.seed &* 1_000_003 &+ UInt64(epoch))
        let first = o.freshScenes ? epoch * o.trainScenes : 0
        return shuffle.permutation(o.trainScenes).map { first + $0 }
    }

    public static func train(_ kind: TrainableModel, options o: TrainingOptions, command: String) throws -> ModelTrainingResult {
        let started = Date()
        let train = try SceneSource(split: .train, seed: o.seed, dataDir: o.dataDir)
        let test = try SceneSource(split: .test, seed: o.seed, dataDir: o.dataDir)
        try FileManager.default.createDirectory(at: o.outputDirectory, withIntermediateDirectories: true)

        let model: Module
        // The loss of a batch, and any parts worth showing on the progress line.
        let loss: (ExpertInput, inout Xoshiro256) -> (Tensor, String)
        switch kind {
        case .deeplab:
            let m = DeepLabLite(seed: o.seed)
            model = m
            loss = { input, _ in (Tensor.crossEntropy(logits: m(input.images), targets: input.labelMaps), "") }
        case .resnet:
            let m = ResNetClassifier(seed: o.seed)
            model = m
            loss = { input, _ in (Tensor.crossEntropy(logits: m(input.images), targets: input.classes), "") }
        case .autoencoder:
            let m = ConvAutoencoder(latentDim: o.latentDim, width: o.width, seed: o.seed)
            model = m
            let objective = AutoencoderObjective(
                klWeight: o.klWeight, garmentWeight: o.garmentWeight, perceptualWeight: o.perceptualWeight,
                classifier: o.perceptualWeight > 0 ? try ExpertCatalog.loadClassifier() : nil)
            loss = { input, rng in
                let l = objective.loss(m, input, rng: &rng)
                return (l.total, String(format: " (pixels %.4f, perceptual %.4f)", l.pixels, l.perceptual))
            }
        }

        let stepsPerEpoch = max(1, o.trainScenes / o.batchSize)
        let total = o.epochs * stepsPerEpoch
        let checkpoint = TrainingCheckpoint(
            weights: o.outputDirectory.appendingPathComponent("\(kind.rawValue)-checkpoint.safetensors"),
            optimizerState: o.outputDirectory.appendingPathComponent("\(kind.rawValue)-optimizer.safetensors"))
        var run = TrainingRun(label: kind.rawValue, steps: total, stepsPerEpoch: stepsPerEpoch, learningRate: o.learningRate,
                              checkpointEvery: o.checkpointEvery, checkpoint: checkpoint)
        run.resume = o.resume
        var order: [Int] = []
        try run.run(model) { step in
            if order.isEmpty || step % stepsPerEpoch == 0 { order = sceneOrder(epoch: step / stepsPerEpoch, options: o) }
            let at = (step % stepsPerEpoch) * o.batchSize
            var rng = Xoshiro256(seed: o.seed ^ (UInt64(step) &* 0x9E37_79B9_7F4A_7C15))
            return loss(train.input(Array(order[at..<(at + o.batchSize)])), &rng)
        }

        let metrics = try testMetrics(model, on: test, options: o)
        let seconds = Date().timeIntervalSince(started)
        var meta: [String: String] = [
            "architecture": String(describing: type(of: model)), "seed": "\(o.seed)", "epochs": "\(o.epochs)",
            "train_scenes": "\(o.trainScenes)", "fresh_scenes_every_epoch": "\(o.freshScenes)",
            "test_scenes": "\(o.testScenes)", "batch_size": "\(o.batchSize)",
            "learning_rate": "\(o.learningRate)", "steps": "\(total)", "training_command": command,
            "training_seconds": String(format: "%.0f", seconds), "parameters": "\(model.parameterCount)",
            "data": "FashionScenes 32x32, train split for training, test split for metrics",
        ]
        if kind == .autoencoder {
            meta["latent_dim"] = "\(o.latentDim)"; meta["width"] = "\(o.width)"; meta["kl_weight"] = "\(o.klWeight)"
            meta["garment_weight"] = "\(o.garmentWeight)"; meta["perceptual_weight"] = "\(o.perceptualWeight)"
        }
        for (k, v) in metrics { meta[k] = String(format: "%.4f", v) }
        let weights = o.outputDirectory.appendingPathComponent("\(kind.rawValue).safetensors")
        try model.save(to: weights, metadata: meta)
        checkpoint.remove()
        return ModelTrainingResult(weights: weights, metrics: metrics, seconds: seconds)
    }

    /// The test-split figures recorded in a model's metadata (written with the sheet of
    /// reconstructions for the autoencoder).
    static func testMetrics(_ model: Module, on test: SceneSource, options o: TrainingOptions) throws -> [String: Double] {
        switch model {
        case let m as DeepLabLite:
            let (acc, miou) = Evaluation.segmentation(m, on: test, count: o.testScenes)
            return ["test_pixel_accuracy": acc, "test_miou": miou]
        case let m as ResNetClassifier:
            return ["test_accuracy": Evaluation.classification(m, on: test, count: o.testScenes)]
        case let m as ConvAutoencoder:
            // Are garments recognisable? The shipped classifier (which the perceptual term uses)
            // and, as a judge the training never saw, the shipped segmenter, on reconstructions.
            m.eval()
            let classifier = try ExpertCatalog.loadClassifier()
            let segmenter = DeepLabLite()
            try segmenter.load(contentsOf: try ExpertCatalog.weightsFile("deeplab"))
            try Evaluation.reconstructionSheet(m, on: test)
                .writePNG(to: o.outputDirectory.appendingPathComponent("autoencoder-reconstructions.png").path)
            let psnr = Evaluation.reconstructionPSNR(m, on: test, count: o.testScenes)
            return ["test_psnr_db": psnr.all, "test_garment_psnr_db": psnr.garment,
                    "test_classifier_accuracy_on_reconstructions":
                        Evaluation.classification(classifier, on: test, count: o.testScenes, transform: m.reconstruction),
                    "test_segmenter_miou_on_reconstructions":
                        Evaluation.segmentation(segmenter, on: test, count: o.testScenes, transform: m.reconstruction).meanIoU]
        default:
            return [:]
        }
    }

    /// The test figures of existing weights, as `train` records them, without training.
    public static func evaluate(_ kind: TrainableModel, weights: URL, options o: TrainingOptions) throws -> [String: Double] {
        let test = try SceneSource(split: .test, seed: o.seed, dataDir: o.dataDir)
        let model: Module
        switch kind {
        case .deeplab: model = DeepLabLite(); try model.load(contentsOf: weights)
        case .resnet: model = ResNetClassifier(); try model.load(contentsOf: weights)
        case .autoencoder: model = try ExpertCatalog.loadAutoencoder(from: weights)  // sized from its metadata
        }
        try FileManager.default.createDirectory(at: o.outputDirectory, withIntermediateDirectories: true)
        return try testMetrics(model, on: test, options: o)
    }
}
