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

    static func load(_ inputs: RunInputs) throws -> ScenePairs {
        let o = inputs.options
        let cache = FeatureCache(directory: o.cacheDirectory.appendingPathComponent("features"))
        let trainSource = try SceneSource(split: .train, seed: o.seed, dataDir: o.dataDir)
        let testSource = try SceneSource(split: .test, seed: o.seed, dataDir: o.dataDir)
        // Scenes per extraction pass: 250, fewer for large maps (an imported network's 64×112×112
        // taps), so that a batch's full-size features stay near 64 MB before they are pooled.
        let largest = inputs.layers.map { $0.shape.reduce(1, *) }.max() ?? 1
        let batch = max(8, min(250, (1 << 24) / largest))
        func get(_ source: SceneSource, _ split: String, _ range: Range<Int>) throws -> Pairs {
            let r = try cache.load(expert: inputs.expert, layers: inputs.layers.map(\.name), workingShapes: inputs.workingShapes,
                                   autoencoder: inputs.autoencoder, autoencoderID: inputs.autoencoderID, source: source,
                                   request: .init(split: split, seed: o.seed, range: range), batch: batch)
            return Pairs(features: r.features, codes: r.codes)
        }
        let rawTrain = try get(trainSource, "train", 0..<o.trainPairs)
        let rawSelection = try get(trainSource, "train", o.trainPairs..<(o.trainPairs + o.selectionPairs))
        let rawTest = try get(testSource, "test", 0..<o.testScenes)
        let scaler = CodeScaler(fitting: rawTrain.codes)
        return ScenePairs(trainSource: trainSource, testSource: testSource, scaler: scaler,
                          train: rawTrain.scaled(scaler), selection: rawSelection.scaled(scaler), test: rawTest.scaled(scaler),
                          rawTrainCodes: rawTrain.codes, rawTestCodes: rawTest.codes)
    }
}
