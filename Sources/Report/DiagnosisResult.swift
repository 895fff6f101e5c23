import Foundation

/// Everything a diagnosis run measured, as the report writers consume it. `report.json` is this
/// value encoded (keys in snake_case, as listed in the issue); every number is computed by the run.
public struct DiagnosisResult: Codable {
    public var expert: String
    public var expertDescription: String
    public var layersRequested: [String]
    public var seed: UInt64
    public var configuration: [String: String]
    /// Per weights file: name → FNV-1a 64 hash (hex) of its bytes.
    public var weightsHashes: [String: String]
    public var versions: [String: String]
    public var timingsSeconds: [String: Double]
    public var unconditionalNllNatsPerDim: Double
    public var codeDimensions: Int
    /// Fréchet distance of the autoencoder's reconstructions to real test scenes: the floor.
    public var frechetReconstruction: Double
    public var frechetFeatureSpace: String
    public var reconstructionPsnrDb: Double
    /// Factor read-outs trained on real codes: name → kind and held-out quality.
    public var readouts: [ReadoutQuality]
    public var layers: [LayerResult]
    /// Factor → invariance score of samples of the unconditional flow, a translator that ignores
    /// everything: the most any layer's score can reach with these flows and read-outs.
    public var invarianceCeiling: [String: Double]?
    /// Relative paths of the figures inside the report folder.
    public var figures: Figures
    /// Plain-language warnings (calibration outside 0.7–1.4, read-outs that cannot be trusted, ...).
    public var warnings: [String]
    /// `--seeds K` with K > 1 (nil for one seed): the translators were trained K times on the same
    /// scenes and features, with these seeds; every number they change is then the mean over the
    /// K repeats, its spread is in `over_seeds` (here and per layer). docs/report.md, "Seeds".
    public var seeds: Int?
    public var translatorSeeds: [UInt64]?
    /// The unconditional flow's NLL and the ceiling per seed and their standard deviations.
    public var overSeeds: SeedSpread<RunSeedNumbers>?

    public init(expert: String, expertDescription: String, layersRequested: [String], seed: UInt64,
                configuration: [String: String], weightsHashes: [String: String], versions: [String: String],
                timingsSeconds: [String: Double], unconditionalNllNatsPerDim: Double, codeDimensions: Int,
                frechetReconstruction: Double, frechetFeatureSpace: String, reconstructionPsnrDb: Double,
                readouts: [ReadoutQuality], layers: [LayerResult], invarianceCeiling: [String: Double]? = nil,
                figures: Figures, warnings: [String]) {
        self.expert = expert; self.expertDescription = expertDescription; self.layersRequested = layersRequested
        self.seed = seed; self.configuration = configuration; self.weightsHashes = weightsHashes
        self.versions = versions; self.timingsSeconds = timingsSeconds
        self.unconditionalNllNatsPerDim = unconditionalNllNatsPerDim; self.codeDimensions = codeDimensions
        self.frechetReconstruction = frechetReconstruction; self.frechetFeatureSpace = frechetFeatureSpace
        self.reconstructionPsnrDb = reconstructionPsnrDb; self.readouts = readouts; self.layers = layers
        self.invarianceCeiling = invarianceCeiling
        self.figures = figures; self.warnings = warnings
    }
}

/// How well a factor can be read from real codes (held-out), so a reader knows which invariance
/// scores to trust: accuracy for categorical factors, R² for continuous ones, 1 − circular
/// variance of the error for circular ones (hue).
public struct ReadoutQuality: Codable {
    public var factor: String
    public var kind: String
    public var metric: String
    public var value: Double
    public var chance: Double
    /// Categorical factors: the invariance score of real test scenes grouped by their true value
    /// (InvarianceScore.floor), the least a layer keeping only this factor can score.
    public var floor: Double?
    public init(factor: String, kind: String, metric: String, value: Double, chance: Double, floor: Double? = nil) {
        (self.factor, self.kind, self.metric, self.value, self.chance, self.floor) = (factor, kind, metric, value, chance, floor)
    }
}

public struct LayerResult: Codable {
    public var name: String
    /// The alias the user asked for ("early"), if any.
    public var alias: String?
    public var shape: [Int]
    public var nllConditionalNatsPerDim: Double
    /// (baseline − conditional held-out NLL) · dimensions / ln 2: bits of the code the layer keeps.
    /// The baseline is the better model of p(z_Θ) on the selection split (`bitsBaseline`,
    /// docs/diagnosis.md).
    public var bitsKept: Double
    /// Standard error of `bitsKept` over the test scenes (nil in results written before it existed).
    public var bitsKeptStandardError: Double?
    /// Which estimate `bitsKept` is: against the unconditional flow or the cINN's own marginal.
    public var bitsBaseline: BitsBaseline?
    /// Both estimates with their standard errors, for comparison.
    public var bitsOverUnconditional: MeanWithError?
    public var bitsOverMarginal: MeanWithError?
    /// Factor name → spread across samples / spread across data (0 = kept, 1 = ignored).
    public var invariance: [String: Double]
    public var frechetCinn: Double
    public var frechetMlp: Double
    public var diversityCinn: Double
    public var diversityMlp: Double
    /// E‖z_s − z_Θ‖² over cINN samples / (2 · MLP held-out squared error): ≈ 1 when calibrated.
    public var calibration: Double
    /// The same spread against the cINN's own mean instead of the MLP: E‖z_s − z_Θ‖² divided by
    /// 2·k/(k+1)·E‖z̄ − z_Θ‖², with z̄ the mean of the k samples of an input. ≈ 1 when the samples
    /// spread as much as they miss by; it tells a mis-calibrated sampler from an under-fitted MLP.
    public var selfCalibration: Double?
    public var mlpHeldOutMse: Double
    public var trainingSteps: Int
    public var bestStep: Int
    /// For the oracle: the documented invariances and whether the table agrees.
    public var expectedKeeps: [String]?
    public var expectedIgnores: [String]?
    public var validity: [String: Bool]?
    /// Figures of this layer, relative to the report folder.
    public var contactSheet: String
    public var translator: String
    /// Where the layer's samples vary in colour, and the object-to-background ratio of it (nil in
    /// results written before it existed).
    public var variation: VariationResult?
    /// The explorer's sprite of the layer's sheet samples (nil where no sheets were drawn).
    public var sprite: LayerSprite?
    /// With `--seeds K` (K > 1): the standard deviation over the seeds of every number above that
    /// holds their mean, and each seed's numbers.
    public var overSeeds: SeedSpread<LayerSeedNumbers>?

    public init(name: String, alias: String?, shape: [Int], nllConditionalNatsPerDim: Double, bitsKept: Double,
                bitsKeptStandardError: Double? = nil, bitsBaseline: BitsBaseline? = nil, bitsOverUnconditional: MeanWithError? = nil,
                bitsOverMarginal: MeanWithError? = nil, invariance: [String: Double], frechetCinn: Double, frechetMlp: Double, diversityCinn: Double,
                diversityMlp: Double, calibration: Double, selfCalibration: Double? = nil, mlpHeldOutMse: Double,
                trainingSteps: Int, bestStep: Int,
                expectedKeeps: [String]?, expectedIgnores: [String]?, validity: [String: Bool]?,
                contactSheet: String, translator: String, variation: VariationResult? = nil, sprite: LayerSprite? = nil) {
        self.name = name; self.alias = alias; self.shape = shape
        self.nllConditionalNatsPerDim = nllConditionalNatsPerDim; self.bitsKept = bitsKept
        self.bitsKeptStandardError = bitsKeptStandardError
        self.bitsBaseline = bitsBaseline
        self.bitsOverUnconditional = bitsOverUnconditional
        self.bitsOverMarginal = bitsOverMarginal
        self.invariance = invariance; self.frechetCinn = frechetCinn; self.frechetMlp = frechetMlp
        self.diversityCinn = diversityCinn; self.diversityMlp = diversityMlp; self.calibration = calibration
        self.selfCalibration = selfCalibration
        self.mlpHeldOutMse = mlpHeldOutMse; self.trainingSteps = trainingSteps; self.bestStep = bestStep
        self.expectedKeeps = expectedKeeps; self.expectedIgnores = expectedIgnores; self.validity = validity
        self.contactSheet = contactSheet; self.translator = translator; self.variation = variation
        self.sprite = sprite
    }
}

/// The model of p(z_Θ) that bits kept is measured against.
public enum BitsBaseline: String, Codable, Sendable {
    /// The unconditional flow.
    case unconditional
    /// The cINN's own marginal over the training scenes' features.
    case marginal
}

/// A mean over test scenes with its standard error.
public struct MeanWithError: Codable, Equatable, Sendable {
    public var mean: Double
    public var standardError: Double
    public init(mean: Double, standardError: Double) { (self.mean, self.standardError) = (mean, standardError) }
}

public struct Figures: Codable {
    public var overview: String
    public var heatmap: String
    public var bitsPlot: String
    public var exemplarTransfer: String
    public var scenes: String?
    /// The explorer's inputs sprite and layout (nil in reports written before it).
    public var explorer: ExplorerImages?
    public init(overview: String, heatmap: String, bitsPlot: String, exemplarTransfer: String, scenes: String? = nil,
                explorer: ExplorerImages? = nil) {
        (self.overview, self.heatmap, self.bitsPlot, self.exemplarTransfer, self.scenes) = (overview, heatmap, bitsPlot, exemplarTransfer, scenes)
        self.explorer = explorer
    }
}
