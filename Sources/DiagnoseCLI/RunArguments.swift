import ArgumentParser
import Diagnosis
import Foundation
import Report

extension SampleSelection: ExpressibleByArgument {}

/// The options of a diagnosis run, shared by `diagnose run` and `diagnose plan`.
struct RunArguments: ParsableArguments {
    @Option(help: "Expert to diagnose: deeplab, resnet, oracle, or the path of an .onnx model (docs/onnx.md).") var expert = "deeplab"
    @Option(name: .customLong("input-size"), help: "H,W: the image size of an imported model whose size is dynamic.")
    var inputSize: String?
    @Option(help: "Comma-separated layers or aliases (early, mid, last); see `diagnose layers`.") var layers = "early,mid,last"
    @Option(help: "Samples per input on the contact sheets.") var samples: Int?
    @Option(help: "Inputs (rows) on the contact sheets.") var inputs: Int?
    @Option(name: .customLong("sample-selection"), help: "Which samples the contact sheets show: random (as drawn) or diverse (the most spread of 4× as many, farthest-point in the autoencoder's code); scores are the same either way.")
    var sampleSelection: SampleSelection?
    @Option(help: "Training steps of each layer's cINN.") var steps: Int?
    @Option(help: "Seed of scenes, initialisation and sampling: the same seed gives the same numbers.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Train and evaluate the translators K times (1...\(DiagnosisOptions.maxSeeds)) on the same scenes and features, with translator seeds seed … seed+K−1; the report gives mean ± sd.", valueName: "K"))
    var seeds: Int?
    @Flag(help: "The ≤ 1 minute version: fewer pairs, steps and samples.") var quick = false
    @Option(name: .customLong("train-pairs"), help: "Scenes the translators train on.") var trainPairs: Int?
    @Option(name: .customLong("mlp-steps"), help: "Training steps of each layer's MLP baseline.") var mlpSteps: Int?
    @Option(name: .customLong("flow-blocks"), help: "Blocks of every flow.") var flowBlocks: Int?
    @Option(name: .customLong("coupling-width"), help: "Hidden width of the coupling networks.") var couplingWidth: Int?
    @Option(name: .customLong("embedder-channels"), help: "First convolution width of the cINNs' spatial embedders.") var embedderChannels: Int?
    @Option(name: .customLong("mlp-embedder-channels"), help: "First convolution width of the MLP baselines' spatial embedders.")
    var mlpEmbedderChannels: Int?
    @Option(name: .customLong("unconditional-steps"), help: "Training steps of the unconditional flow (default: as --steps).")
    var unconditionalSteps: Int?
    @Option(name: .customLong("learning-rate"), help: "Peak learning rate of the flows and MLPs.") var learningRate: Float?
    @Option(name: .customLong("data-dir"), help: "Fashion-MNIST directory (default: $FASHION_MNIST_DIR, else the Debian package's).")
    var dataDir: String?
    @Option(name: .customLong("cache-dir"), help: "Where features and trained translators are cached (default: .cache/diagnose; for a plan, RUN/cache).")
    var cacheDir: String?
    @Option(name: .customLong("weights-dir"), help: "Weights folder (default: the shipped Fixtures/weights).") var weightsDir: String?
    @Option(help: ArgumentHelp("Your images instead of FashionScenes: a folder (searched recursively, a subfolder per class as torchvision's ImageFolder) or a .csv/.tsv table with a path column and attribute columns (docs/images.md).", valueName: "PATH"))
    var images: String?
    @Option(name: .customLong("max-bad-fraction"), help: "With --images: the largest share of unreadable files the run goes on with (they are listed).")
    var maxBadFraction: Double = 0.01
    @Option(help: ArgumentHelp("Weights of the autoencoder whose codes the translators target (default: the shipped one; with --images, one trained on them and cached).", valueName: "FILE"))
    var autoencoder: String?
    @Option(name: .customLong("autoencoder-size"), help: "With --images and no --autoencoder: the side of the autoencoder the run trains on them, 32, 64 or 128 (default 32).")
    var autoencoderSize: Int?
    @Option(name: .customLong("autoencoder-steps"), help: "With --images and no --autoencoder: its training steps (default 2500; 600 with --quick).")
    var autoencoderSteps: Int?

    func validate() throws {
        if autoencoderSize != nil || autoencoderSteps != nil, images == nil || autoencoder != nil {
            throw ValidationError("--autoencoder-size and --autoencoder-steps set up the autoencoder a run trains on --images when "
                                  + "--autoencoder names none: drop them, or use them with --images and without --autoencoder")
        }
    }

    /// The run's options; `out`, `force` and the default cache folder are the command's.
    func options(out: URL, force: Bool, defaultCache: URL) throws -> DiagnosisOptions {
        var o = quick ? DiagnosisOptions.quick : DiagnosisOptions()
        o.expert = expert
        o.inputSize = try inputSize.map(InputSize.parse)
        o.layers = layers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let samples { o.samples = samples }
        if let inputs { o.inputs = inputs }
        o.sampleSelection = sampleSelection
        if let steps { o.flowSteps = steps }
        if let trainPairs { o.trainPairs = trainPairs }
        if let mlpSteps { o.mlpSteps = mlpSteps }
        if let flowBlocks { o.flowBlocks = flowBlocks }
        if let couplingWidth { o.couplingWidth = couplingWidth }
        if let embedderChannels { o.embedderChannels = embedderChannels }
        if let mlpEmbedderChannels { o.mlpEmbedderChannels = mlpEmbedderChannels }
        if let unconditionalSteps { o.unconditionalSteps = unconditionalSteps }
        if let learningRate { o.learningRate = learningRate }
        o.seed = seed
        o.seeds = seeds
        o.output = out
        o.force = force
        o.dataDir = dataDir
        o.cacheDirectory = cacheDir.map { URL(fileURLWithPath: $0) } ?? defaultCache
        o.weightsDirectory = weightsDir.map { URL(fileURLWithPath: $0) }
        o.images = images
        o.maxBadFraction = maxBadFraction
        o.autoencoder = autoencoder.map { URL(fileURLWithPath: $0) }
        if let autoencoderSize { o.autoencoderSize = autoencoderSize }
        if let autoencoderSteps { o.autoencoderSteps = autoencoderSteps }
        return o
    }
}
