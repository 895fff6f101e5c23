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
    let trainSource: SceneSource
    let testSource: SceneSource
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

    /// Features of every layer of the run and codes of one part, from the feature cache (extracted
    /// into it first where missing).
    static func extract(_ part: Part, _ inputs: RunInputs, source: SceneSource) throws -> Pairs {
        let o = inputs.options
        let cache = FeatureCache(directory: o.cacheDirectory.appendingPathComponent("features"))
        // Scenes per extraction pass: 250, fewer for large maps (an imported network's 64×112×112
        // taps), so that a batch's full-size features stay near 64 MB before they are pooled.
        let largest = inputs.layers.map { $0.shape.reduce(1, *) }.max() ?? 1
        let batch = max(8, min(250, (1 << 24) / largest))
        let r = try cache.load(expert: inputs.expert, layers: inputs.layers.map(\.name), workingShapes: inputs.workingShapes,
                               autoencoder: inputs.autoencoder, autoencoderID: inputs.autoencoderID, source: source,
                               request: .init(split: part.split, seed: o.seed, range: part.range(o)), batch: batch)
        return Pairs(features: r.features, codes: r.codes)
    }

    static func sources(_ o: DiagnosisOptions) throws -> (train: SceneSource, test: SceneSource) {
        (try SceneSource(split: .train, seed: o.seed, dataDir: o.dataDir), try SceneSource(split: .test, seed: o.seed, dataDir: o.dataDir))
    }

    static func load(_ inputs: RunInputs) throws -> ScenePairs {
        let (trainSource, testSource) = try sources(inputs.options)
        let rawTrain = try extract(.train, inputs, source: trainSource)
        let rawSelection = try extract(.selection, inputs, source: trainSource)
        let rawTest = try extract(.test, inputs, source: testSource)
        let scaler = CodeScaler(fitting: rawTrain.codes)
        return ScenePairs(trainSource: trainSource, testSource: testSource, scaler: scaler,
                          train: rawTrain.scaled(scaler), selection: rawSelection.scaled(scaler), test: rawTest.scaled(scaler),
                          rawTrainCodes: rawTrain.codes, rawTestCodes: rawTest.codes)
    }
}
