import ArgumentParser
import Foundation
import Training

extension TrainableModel: ExpressibleByArgument {}

/// `diagnose train deeplab|resnet|autoencoder`: trains one of the tool's own models on
/// FashionScenes and writes its weights with recipe and test metrics in the metadata.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the deeplab or resnet expert, or the autoencoder, on FashionScenes.",
        discussion: """
            Writes DIR/<model>.safetensors (default DIR: runs/) with the recipe and the test metrics \
            in its metadata. Checkpoints are written every --checkpoint-every steps; --resume continues \
            an interrupted run from them. To ship new weights, copy the file to Fixtures/weights/.
            """)

    @Argument(help: "Which model: deeplab, resnet or autoencoder.")
    var model: TrainableModel

    @Option(help: "Epochs over the training scenes (default: per model).") var epochs: Int?
    @Option(help: "Number of training scenes (default: per model).") var scenes: Int?
    @Option(name: .customLong("test-scenes"), help: "Test scenes for the final evaluation.") var testScenes = 2_000
    @Option(name: .customLong("batch-size"), help: "Batch size.") var batchSize: Int?
    @Option(help: "Peak learning rate (warm-up, then cosine decay).") var lr: Float?
    @Option(help: "Seed of the scenes, the initialisation and the batch order.") var seed: UInt64 = 0
    @Option(help: "Output directory for weights and checkpoints.") var out = "runs"
    @Flag(help: "Continue from the checkpoint in the output directory.") var resume = false
    @Option(help: ArgumentHelp("Do not train: evaluate these weights on the test split as training would.", valueName: "weights.safetensors"))
    var evaluate: String?
    @Flag(inversion: .prefixedNo, help: "Draw new scenes every epoch instead of repeating the same --scenes (default: per model).")
    var freshScenes: Bool?
    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.") var checkpointEvery = 200
    @Option(name: .customLong("data-dir"), help: "Fashion-MNIST directory (default: $FASHION_MNIST_DIR, else the Debian package's).")
    var dataDir: String?
    @Option(name: .customLong("latent-dim"), help: "Autoencoder latent size.") var latentDim = 64
    @Option(help: "Autoencoder channel width (32 is the reference size).") var width = 32
    @Option(name: .customLong("kl-weight"), help: "Autoencoder KL weight (per latent dimension relative to pixels).") var klWeight: Float = 1e-5
    @Option(name: .customLong("garment-weight"), help: "Autoencoder: extra weight of garment pixels in the reconstruction loss (default 2).")
    var garmentWeight: Float?
    @Option(name: .customLong("perceptual-weight"), help: "Autoencoder: weight of the perceptual term from the shipped resnet, 0 for none (default 0.5).")
    var perceptualWeight: Float?

    func validate() throws {
        for (name, v) in [("epochs", epochs), ("scenes", scenes), ("batch-size", batchSize)] {
            if let v, v <= 0 { throw ValidationError("--\(name) must be positive, got \(v).") }
        }
        for (name, v, range) in [("test-scenes", testScenes, 1...10_000), ("latent-dim", latentDim, 1...4_096),
                                 ("width", width, 1...1_024), ("checkpoint-every", checkpointEvery, 1...10_000_000)]
            where !range.contains(v) {
            throw ValidationError("--\(name) \(v) is out of range: use \(range.lowerBound)...\(range.upperBound).")
        }
        for (name, v) in [("garment-weight", garmentWeight), ("perceptual-weight", perceptualWeight), ("kl-weight", klWeight)] {
            if let v, !(v >= 0) { throw ValidationError("--\(name) must be zero or positive, got \(v).") }
        }
        if let scenes, let b = batchSize ?? Optional(model.defaults.batchSize), scenes < b {
            throw ValidationError("--scenes (\(scenes)) must be at least the batch size (\(b)).")
        }
    }

    func run() throws {
        var o = model.defaults
        if let epochs { o.epochs = epochs }
        if let scenes { o.trainScenes = scenes }
        if let batchSize { o.batchSize = batchSize }
        if let lr { o.learningRate = lr }
        o.testScenes = testScenes
        o.seed = seed
        o.outputDirectory = URL(fileURLWithPath: out)
        o.resume = resume
        if let freshScenes { o.freshScenes = freshScenes }
        o.checkpointEvery = checkpointEvery
        o.dataDir = dataDir
        o.latentDim = latentDim; o.width = width; o.klWeight = klWeight
        if let garmentWeight { o.garmentWeight = garmentWeight }
        if let perceptualWeight { o.perceptualWeight = perceptualWeight }
        if let evaluate {
            let metrics = try ModelTrainer.evaluate(model, weights: URL(fileURLWithPath: evaluate), options: o)
            print(metrics.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", "))
            return
        }
        let command = (["diagnose"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let result = try ModelTrainer.train(model, options: o, command: command)
        let figures = result.metrics.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }
        print("\(model.rawValue): \(figures.joined(separator: ", ")) in \(Int(result.seconds)) s")
        print("weights: \(result.weights.path)")
    }
}
