import Foundation
@testable import Report

/// A realistic made-up result: three layers of a segmenter, six scene factors, one NaN (the last
/// layer's MLP Fréchet distance), names with underscores and camelCase configuration keys.
enum SyntheticResult {
    static let factors = ["class", "hue", "value", "offset_x", "background_kind", "background_hue"]

    static func make(expert: String = "deeplab", layerNames: [String] = ["layer1", "layer3", "aspp_out"],
                     factorNames: [String] = factors) -> DiagnosisResult {
        let scores: [[Double]] = [
            [0.02, 0.05, 0.04, 0.01, 0.03, 0.08],
            [0.04, 0.41, 0.33, 0.06, 0.22, 0.57],
            [0.00, 0.76, 0.68, 0.12, 0.81, 0.93],
        ]
        let aliases = ["early", "mid", "last"]
        let shapes = [[64, 16, 16], [128, 8, 8], [11, 32, 32]]
        let bits = [79.24, 31.5, 3.06]
        let nll = [0.412, 0.981, 1.655]
        let frechetCinn = [8.7, 14.2, 27.6]
        let frechetMlp = [9.1, 88.4, Double.nan]
        let calibration = [0.84, 2.41, 1.52]
        let layers = layerNames.enumerated().map { i, name -> LayerResult in
            let k = i % 3
            var inv: [String: Double] = [:]
            for (j, f) in factorNames.enumerated() { inv[f] = scores[k][j % scores[k].count] }
            return LayerResult(
                name: name, alias: i < aliases.count ? aliases[i] : nil, shape: shapes[k],
                nllConditionalNatsPerDim: nll[k], bitsKept: bits[k], invariance: inv,
                frechetCinn: frechetCinn[k], frechetMlp: frechetMlp[k], diversityCinn: [0.081, 0.214, 0.356][k],
                diversityMlp: 0, calibration: calibration[k], selfCalibration: [0.97, 2.2, 1.1][k], mlpHeldOutMse: [0.0123, 0.0456, 0.0789][k],
                trainingSteps: 6000, bestStep: [5800, 4200, 3100][k], expectedKeeps: nil, expectedIgnores: nil,
                validity: nil, contactSheet: "sheet-\(name).png", translator: "translator-\(name).safetensors")
        }
        let readouts = factorNames.enumerated().map { j, f -> ReadoutQuality in
            switch j % 6 {
            case 0: return ReadoutQuality(factor: f, kind: "categorical", metric: "accuracy", value: 0.91, chance: 0.1)
            case 1: return ReadoutQuality(factor: f, kind: "circular", metric: "1 - circular variance", value: 0.88, chance: 0)
            case 2: return ReadoutQuality(factor: f, kind: "continuous", metric: "R2", value: 0.35, chance: 0)
            case 3: return ReadoutQuality(factor: f, kind: "continuous", metric: "R2", value: 0.97, chance: 0)
            case 4: return ReadoutQuality(factor: f, kind: "categorical", metric: "accuracy", value: 0.95, chance: 0.25)
            default: return ReadoutQuality(factor: f, kind: "circular", metric: "1 - circular variance", value: 0.83, chance: 0)
            }
        }
        return DiagnosisResult(
            expert: expert, expertDescription: "DeepLabLite segmenter of FashionScenes",
            layersRequested: ["early", "mid", "last"], seed: 7,
            configuration: ["nFlows": "12", "samples": "6", "steps": "6000", "quick": "false"],
            weightsHashes: ["deeplab.safetensors": "9f3c2a01b7e4d5c6", "autoencoder.safetensors": "0123456789abcdef"],
            versions: ["diagnose": "0.1.0", "swift": "6.3"],
            timingsSeconds: ["features": 41.5, "trainCinn": 612.25, "sampling": 33.0, "report": 1.5],
            unconditionalNllNatsPerDim: 1.702, codeDimensions: 64, frechetReconstruction: 4.3,
            frechetFeatureSpace: "penultimate layer (128-d) of ResNetClassifier trained on FashionScenes",
            reconstructionPsnrDb: 24.6, readouts: readouts, layers: layers,
            figures: Figures(overview: "overview.png", heatmap: "heatmap.png", bitsPlot: "bits.png",
                             exemplarTransfer: "exemplar-transfer.png", scenes: "scenes.png"),
            warnings: ["calibration of mid is 2.41 (outside 0.7-1.4): its samples overstate the invariance",
                       "the read-out of value is weak (R2 0.35); its scores are unreliable"])
    }

    /// `result` as a run with `k` translator seeds: each seed's numbers spread around the
    /// original ones, the usual fields hold their means and `over_seeds` their spread.
    static func withSeeds(_ result: DiagnosisResult, k: Int = 3) -> DiagnosisResult {
        var r = result
        func jitter(_ v: Double, _ j: Int, _ scale: Double) -> Double { v + Double(j - k / 2) * scale * (1 + 0.3 * Double(j % 2)) }
        for (i, l) in r.layers.enumerated() {
            let perSeed = (0..<k).map { j in
                LayerSeedNumbers(bitsKept: jitter(l.bitsKept, j, 1.7), bitsKeptStandardError: l.bitsKeptStandardError,
                                 nllConditionalNatsPerDim: jitter(l.nllConditionalNatsPerDim, j, 0.021),
                                 invariance: l.invariance.mapValues { min(max(jitter($0, j, 0.03), 0), 1) },
                                 frechetCinn: jitter(l.frechetCinn, j, 0.8), frechetMlp: jitter(l.frechetMlp, j, 1.1),
                                 diversityCinn: jitter(l.diversityCinn, j, 0.004), calibration: jitter(l.calibration, j, 0.06),
                                 selfCalibration: l.selfCalibration.map { jitter($0, j, 0.05) }, mlpHeldOutMse: jitter(l.mlpHeldOutMse, j, 0.001))
            }
            let (mean, spread) = SeedSpread.over(perSeed)
            r.layers[i].bitsKept = mean.bitsKept; r.layers[i].nllConditionalNatsPerDim = mean.nllConditionalNatsPerDim
            r.layers[i].invariance = mean.invariance; r.layers[i].frechetCinn = mean.frechetCinn; r.layers[i].frechetMlp = mean.frechetMlp
            r.layers[i].diversityCinn = mean.diversityCinn; r.layers[i].calibration = mean.calibration
            r.layers[i].selfCalibration = mean.selfCalibration; r.layers[i].mlpHeldOutMse = mean.mlpHeldOutMse
            r.layers[i].overSeeds = spread
        }
        let ceiling = r.invarianceCeiling ?? Dictionary(uniqueKeysWithValues: r.readouts.map { ($0.factor, 0.9) })
        let run = SeedSpread.over((0..<k).map { j in
            RunSeedNumbers(unconditionalNllNatsPerDim: jitter(r.unconditionalNllNatsPerDim, j, 0.01),
                           invarianceCeiling: ceiling.mapValues { min(jitter($0, j, 0.02), 1) })
        })
        r.unconditionalNllNatsPerDim = run.mean.unconditionalNllNatsPerDim
        r.invarianceCeiling = run.mean.invarianceCeiling
        r.overSeeds = run.spread
        r.seeds = k
        r.translatorSeeds = (0..<k).map { r.seed + UInt64($0) }
        return r
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
