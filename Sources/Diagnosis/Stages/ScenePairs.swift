import Experts
import FeatureCache
import Foundation
import Tensors

/// Features and codes of one range of scenes.
struct Pairs {
    let features: [String: Tensor]
    let codes: Tensor

    func scaled(_ scaler: CodeScaler) -> Pairs { Pairs(features: features, codes: scaler.normalize(codes)) }

    /// The features of a layer the run extracted.
    func features(_ layer: String) throws -> Tensor {
        guard let f = features[layer] else { throw DiagnosisError("no features of layer '\(layer)' were extracted") }
        return f
    }
}

/// Stage 2: features z_Φ and codes z_Θ of the three scene ranges, through the feature cache:
/// train scenes `0..<trainPairs` (training), the next `selectionPairs` (best checkpoints and the
/// baseline of bits kept) and test scenes `0..<testScenes` (every reported number). Translators see
/// codes standardised with training statistics; read-outs and the decoder see raw ones.
struct ScenePairs {
    /// The images of the training side (train and selection ranges) and of the test side.
    typealias Sources = (train: any ImageSource, test: any ImageSource)

    let trainSource: any ImageSource
    let testSource: any ImageSource
    let scaler: CodeScaler
    /// Standardised codes.
    let train: Pairs, selection: Pairs, test: Pairs
    /// Raw codes, for read-outs and decoding.
    let rawTrainCodes: Tensor, rawTestCodes: Tensor

    /// The three scene ranges of a run: what `load` reads, and what a plan's feature tasks extract.
    enum Part: String, Codable, CaseIterable {
        case train, selection, test

        var split: String { self == .test ? "test" : "train" }

        func range(_ o: DiagnosisOptions) -> Range<Int> {
            switch self {
            case .train: return 0..<o.trainPairs
            case .selection: return o.trainPairs..<(o.trainPairs + o.selectionPairs)
            case .test: return 0..<o.testScenes
            }
        }
    }

    /// Features of `layers` (default: every layer of the run) and codes of `scenes` (default: the
    /// whole part), from the feature cache (extracted into it first where missing). With
    /// `shardSize` (from `shardSize(_:shardScenes:)`), the part is cached in shards of that many
    /// scenes, as a plan extracts it.
    static func extract(_ part: Part, _ inputs: RunInputs, source: any ImageSource, layers: [ProbeLayer]? = nil,
                        scenes: Range<Int>? = nil, shardSize: Int? = nil) throws -> Pairs {
        let o = inputs.options
        let cache = FeatureCache(directory: o.cacheDirectory.appendingPathComponent("features"))
        let r = try cache.load(expert: inputs.expert, layers: (layers ?? inputs.layers).map(\.name), workingShapes: inputs.workingShapes,
                               autoencoder: inputs.autoencoder, autoencoderID: inputs.autoencoderID, source: source,
                               request: .init(split: part.split, seed: o.seed, range: scenes ?? part.range(o)),
                               batch: extractionBatch(inputs), shardSize: shardSize)
        return Pairs(features: r.features, codes: r.codes)
    }

    /// Scenes per extraction pass: 250, fewer for large maps (an imported network's 64×112×112
    /// taps), so that a batch's full-size features stay near 64 MB before they are pooled.
    static func extractionBatch(_ inputs: RunInputs) -> Int {
        let largest = inputs.layers.map { $0.shape.reduce(1, *) }.max() ?? 1
        return max(8, min(250, (1 << 24) / largest))
    }

    /// The scene ranges a plan extracts `part` in: shards of about `shardScenes` scenes, rounded
    /// down to whole extraction batches so that every batch, and so every feature value, is the
    /// one a single process computes.
    static func shards(_ part: Part, _ inputs: RunInputs, shardScenes: Int?) -> [Range<Int>] {
        FeatureCache.shards(of: part.range(inputs.options), size: shardScenes.map { shardSize(inputs, shardScenes: $0) })
    }

    static func shardSize(_ inputs: RunInputs, shardScenes: Int) -> Int {
        let batch = extractionBatch(inputs)
        return max(1, shardScenes / batch) * batch
    }

    /// The run's two sides: FashionScenes of the train and test splits drawn with the run's seed,
    /// or the user's image set (`--images`) cut to the run's counts.
    static func sources(_ inputs: RunInputs) throws -> Sources {
        let o = inputs.options
        if let set = inputs.imageSet {
            return (ImageSetSource(trainingSideOf: set, train: o.trainPairs, selection: o.selectionPairs),
                    ImageSetSource(testSideOf: set, count: o.testScenes))
        }
        return (try SceneSource(split: .train, seed: o.seed, dataDir: o.dataDir), try SceneSource(split: .test, seed: o.seed, dataDir: o.dataDir))
    }

    /// The three parts, with the features of `layers` (default: every layer of the run); with
    /// `shardScenes`, read from the shards a plan's feature tasks wrote.
    static func load(_ inputs: RunInputs, sources: Sources, layers: [ProbeLayer]? = nil,
                     shardScenes: Int? = nil) throws -> ScenePairs {
        let (trainSource, testSource) = sources
        let size = shardScenes.map { shardSize(inputs, shardScenes: $0) }
        func part(_ p: Part, _ source: any ImageSource) throws -> Pairs {
            try extract(p, inputs, source: source, layers: layers, shardSize: size)
        }
        return ScenePairs(sources: (trainSource, testSource), train: try part(.train, trainSource),
                          selection: try part(.selection, trainSource), test: try part(.test, testSource))
    }

    /// The three parts from their features and raw codes; codes are standardised with the
    /// training codes' statistics.
    init(sources: Sources, train rawTrain: Pairs, selection rawSelection: Pairs, test rawTest: Pairs) {
        let scaler = CodeScaler(fitting: rawTrain.codes)
        (trainSource, testSource, self.scaler) = (sources.train, sources.test, scaler)
        (train, selection, test) = (rawTrain.scaled(scaler), rawSelection.scaled(scaler), rawTest.scaled(scaler))
        (rawTrainCodes, rawTestCodes) = (rawTrain.codes, rawTest.codes)
    }
}
