import ArgumentParser
import Foundation
import Training

extension TrainableModel: ExpressibleByArgument {}

/// `diagnose train deeplab|resnet|autoencoder`: trains one of the tool's own models on
/// FashionScenes and writes its weights with recipe and test metrics in the metadata; with
/// `--images PATH`, the autoencoder on a user's image set instead (`ImageAutoencoderTrainer`).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the deeplab or resnet expert, or the autoencoder, on FashionScenes or on your images.",
        discussion: """
            Writes DIR/<model>.safetensors (default DIR: runs/) with the recipe and the test metrics \
            in its metadata. Checkpoints are written every --checkpoint-every steps; --resume continues \
            an interrupted run from them. To ship new weights, copy the file to Fixtures/weights/.

            diagnose train autoencoder --images PATH --size 32|64|128 --out FILE.safetensors trains the \
            autoencoder on a folder of PNG/JPEG images or a .csv/.tsv table of them instead: every \
            image centre-cropped and resized to the size, one in ten held out for testing by its \
            content; FILE gets the test PSNR and the image set's identity in its metadata, and \
            FILE's name with -reconstructions.png a sheet of test images over their reconstructions \
            (docs/images.md).
            """)

    @Argument(help: "Which model: deeplab, resnet or autoencoder.")
    var model: TrainableModel

    @Option(help: "Epochs over the training scenes (default: per model).") var epochs: Int?
    @Option(help: "Number of training scenes (default: per model).") var scenes: Int?
    @Option(name: .customLong("test-scenes"), help: "Test scenes for the final evaluation (default 2000).") var testScenes: Int?
    @Option(name: .customLong("batch-size"), help: "Batch size.") var batchSize: Int?
    @Option(help: "Peak learning rate (warm-up, then cosine decay).") var lr: Float?
    @Option(help: "Seed of the scenes, the initialisation and the batch order.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Output directory for weights and checkpoints (default runs); with --images the weights file.",
                               valueName: "dir|file.safetensors"))
    var out: String?
    @Flag(help: "Continue from the checkpoint in the output directory (with --images: beside the weights file).") var resume = false
    @Option(help: ArgumentHelp("Do not train: evaluate these weights on the test split as training would.", valueName: "weights.safetensors"))
    var evaluate: String?
    @Flag(inversion: .prefixedNo, help: "Draw new scenes every epoch instead of repeating the same --scenes (default: per model).")
    var freshScenes: Bool?
    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.") var checkpointEvery = 200
    @Option(name: .customLong("data-dir"), help: "Fashion-MNIST directory (default: $FASHION_MNIST_DIR, else the Debian package's).")
    var dataDir: String?
    @Option(name: [.customLong("latent-dim"), .customLong("latent")],
            help: "Autoencoder latent size (default 64; with --images 64, 128, 256 at size 32, 64, 128).")
    var latentDim: Int?
    @Option(help: "Autoencoder channel width (32 is the reference size).") var width = 32
    @Option(name: .customLong("kl-weight"), help: "Autoencoder KL weight (per latent dimension relative to pixels).") var klWeight: Float = 1e-5
    @Option(name: .customLong("garment-weight"), help: "Autoencoder: extra weight of garment pixels in the reconstruction loss (default 2).")
    var garmentWeight: Float?
    @Option(name: .customLong("perceptual-weight"), help: "Autoencoder: weight of the perceptual term from the shipped resnet, 0 for none (default 0.5).")
    var perceptualWeight: Float?
    @Option(help: ArgumentHelp("Train the autoencoder on these images: a folder (searched recursively) or a .csv/.tsv table.",
                               valueName: "path"))
    var images: String?
    @Option(help: "With --images: image size of the autoencoder, 32, 64 or 128.") var size: Int?
    @Option(help: "With --images: training steps (default 2500).") var steps: Int?
    @Option(name: .customLong("max-bad-fraction"),
            help: "With --images: the largest share of unreadable files that are skipped with a warning rather than stopping (default 0.01).")
    var maxBadFraction: Double?

    func validate() throws {
        for (name, v) in [("epochs", epochs), ("scenes", scenes), ("batch-size", batchSize), ("steps", steps)] {
            if let v, v <= 0 { throw ValidationError("--\(name) must be positive, got \(v).") }
        }
        for (name, v, range) in [("test-scenes", testScenes, 1...10_000), ("latent-dim", latentDim, 1...4_096),
                                 ("width", width, 1...1_024), ("checkpoint-every", checkpointEvery, 1...10_000_000)] {
            if let v, !range.contains(v) {
                throw ValidationError("--\(name) \(v) is out of range: use \(range.lowerBound)...\(range.upperBound).")
            }
        }
        for (name, v) in [("garment-weight", garmentWeight), ("perceptual-weight", perceptualWeight), ("kl-weight", klWeight)] {
            if let v, !(v >= 0) { throw ValidationError("--\(name) must be zero or positive, got \(v).") }
        }
        if images != nil {
            try validateImageOptions()
            return
        }
        for (name, given) in [("size", size != nil), ("steps", steps != nil), ("max-bad-fraction", maxBadFraction != nil)] where given {
            throw ValidationError("--\(name) applies to training on your images: add --images PATH (FashionScenes are 32x32 and train for --epochs).")
        }
        if let scenes, let b = batchSize ?? Optional(model.defaults.batchSize), scenes < b {
            throw ValidationError("--scenes (\(scenes)) must be at least the batch size (\(b)).")
        }
    }

    /// `--images`: only the autoencoder, only flags that mean something for a user's images.
    func validateImageOptions() throws {
        guard model == .autoencoder else {
            throw ValidationError("--images trains the autoencoder only: use `diagnose train autoencoder --images PATH`.")
        }
        let sceneOnly: [(String, Bool)] = [("epochs", epochs != nil), ("scenes", scenes != nil), ("test-scenes", testScenes != nil),
                                           ("fresh-scenes", freshScenes != nil), ("data-dir", dataDir != nil),
                                           ("garment-weight", garmentWeight != nil), ("perceptual-weight", perceptualWeight != nil),
                                           ("evaluate", evaluate != nil)]
        for (name, given) in sceneOnly where given {
            throw ValidationError("--\(name) is for FashionScenes and does not apply with --images (use --steps for the length; "
                                  + "one image in ten is the test split).")
        }
        guard let size else { throw ValidationError("--images needs --size: 32, 64 or 128.") }
        guard [32, 64, 128].contains(size) else { throw ValidationError("--size \(size) is not supported: use 32, 64 or 128.") }
        guard let out, out.hasSuffix(".safetensors") else {
            throw ValidationError("--images needs --out FILE.safetensors, the weights file to write (e.g. --out runs/autoencoder-\(size).safetensors).")
        }
        if let maxBadFraction, !(0...1).contains(maxBadFraction) {
            throw ValidationError("--max-bad-fraction \(maxBadFraction) is not a share: use a number from 0 to 1.")
        }
    }

    func run() throws {
        let command = (["diagnose"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        if let images, let size, let out {
            try trainOnImages(images, size: size, out: out, command: command)
            return
        }
        var o = model.defaults
        if let epochs { o.epochs = epochs }
        if let scenes { o.trainScenes = scenes }
        if let batchSize { o.batchSize = batchSize }
        if let lr { o.learningRate = lr }
        o.testScenes = testScenes ?? 2_000
        o.seed = seed
        o.outputDirectory = URL(fileURLWithPath: out ?? "runs")
        o.resume = resume
        if let freshScenes { o.freshScenes = freshScenes }
        o.checkpointEvery = checkpointEvery
        o.dataDir = dataDir
        o.latentDim = latentDim ?? 64; o.width = width; o.klWeight = klWeight
        if let garmentWeight { o.garmentWeight = garmentWeight }
        if let perceptualWeight { o.perceptualWeight = perceptualWeight }
        if let evaluate {
            let metrics = try ModelTrainer.evaluate(model, weights: URL(fileURLWithPath: evaluate), options: o)
            print(metrics.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", "))
            return
        }
        let result = try ModelTrainer.train(model, options: o, command: command)
        let figures = result.metrics.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }
        print("\(model.rawValue): \(figures.joined(separator: ", ")) in \(Int(result.seconds)) s")
        print("weights: \(result.weights.path)")
    }

    func trainOnImages(_ images: String, size: Int, out: String, command: String) throws {
        var o = ImageAutoencoderOptions(images: images, size: size, output: URL(fileURLWithPath: out))
        if let steps { o.steps = steps }
        if let batchSize { o.batchSize = batchSize }
        if let lr { o.learningRate = lr }
        o.latentDim = latentDim
        o.width = width
        o.klWeight = klWeight
        o.seed = seed
        o.resume = resume
        o.checkpointEvery = checkpointEvery
        if let maxBadFraction { o.maxBadFraction = maxBadFraction }
        let r = try ImageAutoencoderTrainer.train(o, command: command)
        print(String(format: "autoencoder %dx%d: test PSNR %.2f dB on %d test images (%d train, %d skipped) in %.0f s",
                     size, size, r.testPSNR, r.testImages, r.trainImages, r.skipped.count, r.seconds))
        print("weights: \(r.weights.path)")
        print("reconstructions: \(r.sheet.path)")
    }
}
