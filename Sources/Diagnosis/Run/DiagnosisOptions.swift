import Datasets
import Foundation
import Report

/// What one diagnosis run does. `standard` is the default run (≤ 5 minutes on two cores with
/// the shipped weights); `quick` is the ≤ 1 minute version for smoke tests and CI.
public struct DiagnosisOptions: Codable, Equatable {
    public var expert = "deeplab"
    public var layers = ["early", "mid", "last"]
    /// [height, width] for an imported model whose image size is dynamic (--input-size).
    public var inputSize: [Int]? = nil
    /// Samples per input on the contact sheets.
    public var samples = 6
    /// Inputs (rows) on the contact sheets.
    public var inputs = 8
    /// Which samples the sheets show (`--sample-selection`); nil is random, so that plans written
    /// before it still read.
    public var sampleSelection: SampleSelection? = nil
    /// The selection the sheets use.
    var sheetSelection: SampleSelection { sampleSelection ?? .random }
    /// Draws the scenes, and for the first translator repeat also initialises and samples the translators.
    public var seed: UInt64 = 0
    /// `--seeds K`: the translators are trained and evaluated K times on the same scenes and
    /// features, with translator seeds seed, seed + 1, …, seed + K − 1 (docs/report.md, "Seeds").
    /// nil is one; optional so that plans written before it still read.
    public var seeds: Int? = nil
    /// Which of those repeats the translator stage is on (nil: the first). Not a flag.
    var translatorRepeat: Int? = nil
    public var output = URL(fileURLWithPath: "report")
    /// Replace an existing output folder.
    public var force = false
    public var dataDir: String? = nil
    /// `--images PATH`: a folder or `.csv`/`.tsv` table of the user's images (docs/images.md)
    /// instead of FashionScenes.
    public var images: String? = nil
    /// The largest share of unreadable files in `images` a run goes on with (they are listed).
    public var maxBadFraction = 0.01
    /// `--autoencoder FILE`: weights of the autoencoder whose codes the translators target
    /// (default: the shipped one; with `images`, one the run trains on them, `OwnAutoencoder`).
    public var autoencoder: URL? = nil
    /// `--autoencoder-size`: with `images` and no `autoencoder`, the side (32, 64 or 128) of the
    /// autoencoder the run trains; nil is 32.
    public var autoencoderSize: Int? = nil
    /// `--autoencoder-steps`: that training's steps; nil is `train autoencoder`'s default.
    public var autoencoderSteps: Int? = nil
    /// Features, codes and trained translators are cached here and reused by later runs.
    public var cacheDirectory = URL(fileURLWithPath: ".cache/diagnose")
    public var weightsDirectory: URL? = nil

    /// Scene pairs (z_Φ, z_Θ) the translators train on, from the train split.
    public var trainPairs = 12_000
    /// Train-split pairs kept aside to pick the best translator checkpoint.
    public var selectionPairs = 1_000
    /// Test-split scenes for the held-out likelihoods, Fréchet distances and read-out quality.
    public var testScenes = 1_000
    /// Test scenes whose samples give the invariance scores, and samples per scene for them.
    public var scoredInputs = 200
    public var scoredSamples = 8

    public var flowSteps = 1_200
    public var mlpSteps = 1_000
    /// nil: as many as the conditional flows. Bits kept compares the two held-out likelihoods, so
    /// an unconditional flow trained less would inflate every layer's bits.
    public var unconditionalSteps: Int? = nil
    public var readoutSteps = 1_000
    public var batchSize = 128
    public var flowBlocks = 6
    public var couplingWidth = 256
    public var learningRate: Float = 3e-3
    /// First convolution width of the cINNs' spatial embedders (invariances uses 64).
    public var embedderChannels = 32
    /// The same for the MLP baselines. Twice the cINNs' by default: the MLP must do with one small
    /// head what the cINN's twelve coupling networks do with the embedding, and calibration divides
    /// by its error, so it must be as good a regressor as we can afford (docs/diagnosis.md).
    public var mlpEmbedderChannels = 64
    /// At most this many conditions in the cINN's own marginal, one baseline of bits kept
    /// (`ConditionMixture`): more distinct feature values than this are subsampled.
    public var marginalConditions = 256

    public init() {}

    /// K of `--seeds K`.
    public var repeats: Int { seeds ?? 1 }

    /// The seed of the translators' initialisation, minibatch order and sampling in this repeat.
    var translatorSeed: UInt64 { seed &+ UInt64(translatorRepeat ?? 0) }

    /// The translator seed of each repeat, in order.
    var translatorSeeds: [UInt64] { (0..<repeats).map { seed &+ UInt64($0) } }

    /// The options of repeat `r` of the translator stage; repeat 0 is the options themselves.
    func translatorRepeat(_ r: Int) -> DiagnosisOptions {
        var o = self
        o.translatorRepeat = r == 0 ? nil : r
        return o
    }

    /// Samples drawn per sheet input: the explorer's samples, from which the sheets' `samples` are
    /// selected (`SampleSelection`).
    public var samplePool: Int { max(samples, min(4 * samples, 32)) }

    /// The most repeats `--seeds` accepts: each one trains and evaluates every translator again.
    public static let maxSeeds = 16

    /// The ≤ 1 minute configuration.
    public static var quick: DiagnosisOptions {
        var o = DiagnosisOptions()
        o.trainPairs = 4_000; o.selectionPairs = 500; o.testScenes = 500
        o.scoredInputs = 100; o.scoredSamples = 6
        o.flowSteps = 300; o.mlpSteps = 200; o.readoutSteps = 400; o.learningRate = 5e-3
        o.flowBlocks = 6; o.couplingWidth = 128; o.embedderChannels = 16; o.mlpEmbedderChannels = 16
        o.samples = 4; o.inputs = 6
        o.autoencoderSteps = 600
        return o
    }

    /// Every setting checked against the range the run supports, so a typo is an error that
    /// names the flag and the range rather than a crash, an endless run or an empty report.
    public func validate() throws {
        if layers.isEmpty {
            throw DiagnosisError("--layers is empty: name at least one layer or alias (see `diagnose layers --expert \(expert)`)")
        }
        if let size = inputSize, size.count != 2 || !size.allSatisfy({ (8...4_096).contains($0) }) {
            throw DiagnosisError("--input-size \(size.map(String.init).joined(separator: ",")) must be two sizes H,W within 8…4096")
        }
        let ranges: [(flag: String, value: Int, range: ClosedRange<Int>)] = [
            ("samples", samples, 2...64), ("inputs", inputs, 1...64),
            ("train-pairs", trainPairs, 256...50_000), ("selection-pairs", selectionPairs, 16...10_000),
            ("test-scenes", testScenes, 16...10_000), ("scored-inputs", scoredInputs, 2...max(2, testScenes)),
            ("scored-samples", scoredSamples, 2...64),
            ("steps", flowSteps, 1...1_000_000), ("mlp-steps", mlpSteps, 1...1_000_000),
            ("unconditional-steps", unconditionalSteps ?? flowSteps, 1...1_000_000), ("readout-steps", readoutSteps, 1...1_000_000),
            ("batch-size", batchSize, 2...4_096), ("flow-blocks", flowBlocks, 1...64), ("coupling-width", couplingWidth, 1...4_096),
            ("embedder-channels", embedderChannels, 1...1_024), ("mlp-embedder-channels", mlpEmbedderChannels, 1...1_024),
            ("marginal-conditions", marginalConditions, 1...4_096),
        ]
        if let seeds, !(1...Self.maxSeeds).contains(seeds) {
            throw DiagnosisError("--seeds \(seeds) is out of range: use 1...\(Self.maxSeeds) (each seed trains every translator again)")
        }
        for (flag, value, range) in ranges where !range.contains(value) {
            throw DiagnosisError("--\(flag) \(value) is out of range: use \(range.lowerBound)...\(range.upperBound)")
        }
        guard maxBadFraction >= 0 && maxBadFraction <= 1 else {
            throw DiagnosisError("--max-bad-fraction \(maxBadFraction) is out of range: use a share within 0...1, e.g. 0.01")
        }
        if let size = autoencoderSize, ![32, 64, 128].contains(size) {
            throw DiagnosisError("--autoencoder-size \(size) is not supported: use 32, 64 or 128")
        }
        if let steps = autoencoderSteps, !(1...1_000_000).contains(steps) {
            throw DiagnosisError("--autoencoder-steps \(steps) is out of range: use 1...1000000")
        }
        guard learningRate > 0 && learningRate < 1 else {
            throw DiagnosisError("--learning-rate \(learningRate) is out of range: use a value in (0, 1), e.g. 3e-3")
        }
    }

    /// These options cut to what `set` holds: every train, selection and test image up to the
    /// requested counts, and no more sheet rows or scored inputs than test images. Too few images
    /// for a split is an error that says how many are needed.
    func fitted(to set: ImageSet) throws -> DiagnosisOptions {
        let available = Dictionary(uniqueKeysWithValues: ImageSet.Split.allCases.map { ($0, set.items(in: $0).count) })
        let needed: [ImageSet.Split: Int] = [.train: 256, .selection: 16, .test: 16]
        let short = ImageSet.Split.allCases.filter { available[$0]! < needed[$0]! }
        guard short.isEmpty else {
            let counts = ImageSet.Split.allCases.map { "\(available[$0]!) \($0.rawValue)" }.joined(separator: ", ")
            throw DiagnosisError("--images \(set.source) has \(counts) images (\(set.skipped.count) unreadable); a run needs at least 256 train, "
                                 + "16 selection and 16 test images. Images are split by their content, about 80 % train, 10 % selection and "
                                 + "10 % test, so bring at least 320 images (docs/images.md)")
        }
        var o = self
        o.trainPairs = min(trainPairs, available[.train]!)
        o.selectionPairs = min(selectionPairs, available[.selection]!)
        o.testScenes = min(testScenes, available[.test]!)
        o.scoredInputs = min(scoredInputs, o.testScenes)
        o.inputs = min(inputs, o.testScenes)
        return o
    }

    /// The settings as strings for report.json.
    var summary: [String: String] {
        ["samples": "\(samples)", "inputs": "\(inputs)", "sample_pool": "\(samplePool)",
         "sample_selection": sheetSelection.rawValue, "train_pairs": "\(trainPairs)", "selection_pairs": "\(selectionPairs)",
         "test_scenes": "\(testScenes)", "scored_inputs": "\(scoredInputs)", "scored_samples": "\(scoredSamples)",
         "flow_steps": "\(flowSteps)", "mlp_steps": "\(mlpSteps)", "unconditional_steps": "\(unconditionalSteps ?? flowSteps)",
         "readout_steps": "\(readoutSteps)", "batch_size": "\(batchSize)", "flow_blocks": "\(flowBlocks)",
         "coupling_width": "\(couplingWidth)", "learning_rate": "\(learningRate)",
         "embedder_channels": "\(embedderChannels)", "mlp_embedder_channels": "\(mlpEmbedderChannels)",
         "marginal_conditions": "\(marginalConditions)"].merging(seeds.map { ["seeds": "\($0)"] } ?? [:]) { a, _ in a }
            .merging(images.map { ["images": $0] } ?? [:]) { a, _ in a }
            .merging(autoencoder.map { ["autoencoder": $0.path] } ?? [:]) { a, _ in a }
    }
}

public struct DiagnosisError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
