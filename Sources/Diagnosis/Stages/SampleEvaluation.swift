import Autoencoder
import Experts
import Flows
import Metrics
import Tensors

/// The numbers of one layer computed from samples on held-out (test-split) scenes.
struct SampleEvaluation {
    var invariance: [String: Double]
    /// Mean ‖z_s − z_Θ‖² over samples z_s (standardised codes, summed over dimensions).
    var sampleSquaredError: Double
    /// Mean ‖z̄ − z_Θ‖², z̄ the mean of an input's k samples.
    var sampleMeanSquaredError: Double
    var diversityCinn: Double
    var frechetCinn: Double
    var frechetMLP: Double
    /// Where the scored samples vary in colour (their decoded images, no further draws).
    var variation: LayerVariation

    /// Invariance scores of codes [m·k, d] taken as m groups of k samples.
    static func scores(of codes: Tensor, groups m: Int, readout: FactorReadout, dataPredictions: [[Float]]) -> [String: Double] {
        let k = codes.shape[0] / m
        let predictions = readout.scoringValues(codes)
        var invariance: [String: Double] = [:]
        for (j, factor) in readout.factors.enumerated() {
            let per = k * factor.kind.scoringWidth
            let groups = (0..<m).map { i in Array(predictions[j][(i * per)..<((i + 1) * per)]) }
            invariance[factor.name] = InvarianceScore.score(kind: factor.kind, samples: groups, data: dataPredictions[j])
        }
        return invariance
    }

    /// The scores of a layer that ignores everything: samples of the unconditional flow. They
    /// bound what any layer's scores can reach with this flow family and read-out.
    static func ceiling(_ flow: UnconditionalFlow, readout: FactorReadout, dataPredictions: [[Float]],
                        inputs m: Int, samples k: Int, scaler: CodeScaler, rng: inout Xoshiro256) -> [String: Double] {
        let codes = scaler.denormalize(flow.sample(count: m * k, rng: &rng))
        return scores(of: codes, groups: m, readout: readout, dataPredictions: dataPredictions)
    }

    static func run(cinn: ConditionalFlow, mlp: MLPBaseline, test: Pairs, layer: String, readout: FactorReadout,
                    dataPredictions: [[Float]], scoredInputs: Int, scoredSamples k: Int, scaler: CodeScaler, autoencoder: ConvAutoencoder,
                    classifier: ResNetClassifier, references: ReferenceImages, rng: inout Xoshiro256) throws -> SampleEvaluation {
        let features = test.features[layer]!
        let n = features.shape[0], d = test.codes.shape[1]
        let m = min(scoredInputs, n)

        // Invariance: read-out predictions on k samples per input, spread against the data's.
        let scored = features.slice(axis: 0, 0..<m)
        let samples = try cinn.sample(features: scored, count: k, rng: &rng)  // [m, k, d]
        let flat = samples.reshaped([m * k, d])
        let rawSamples = scaler.denormalize(flat)
        let invariance = scores(of: rawSamples, groups: m, readout: readout, dataPredictions: dataPredictions)
        let variation = LayerVariation.measure(codes: rawSamples, inputs: m, samples: k, autoencoder: autoencoder, references: references)

        // Calibration numerator: squared distance of samples to the true code.
        // Self-calibration: the same against the mean of the input's samples.
        var squared: Double = 0, meanSquared: Double = 0
        let truth = test.codes.slice(axis: 0, 0..<m).scalars
        flat.withUnsafeBufferPointer { s in
            for i in 0..<m {
                for c in 0..<d {
                    var sum: Double = 0
                    for r in 0..<k {
                        let v = Double(s[(i * k + r) * d + c]), e = v - Double(truth[i * d + c])
                        squared += e * e; sum += v
                    }
                    let e = sum / Double(k) - Double(truth[i * d + c])
                    meanSquared += e * e
                }
            }
        }

        // Diversity in pixels over the first inputs' decoded samples.
        let shown = min(m, 32)
        let images = decode(rawSamples.slice(axis: 0, 0..<(shown * k)), autoencoder)
        let per = images.count / (shown * k)
        let pixels = images.scalars
        let groups = (0..<shown).map { i in (0..<k).map { r in Array(pixels[((i * k + r) * per)..<((i * k + r + 1) * per)]) } }

        // Sample quality: one sample per test scene, and the MLP's outputs, in classifier space.
        let one = try cinn.sample(features: features, count: 1, rng: &rng).reshaped([n, d])
        let mlpCodes = inBatches(features, size: 500) { mlp.predict($0) }
        let realFeatures = references.realFeatures
        let fdCinn = FrechetDistance.between(realFeatures, embed(decode(scaler.denormalize(one), autoencoder), classifier), dimensions: 128)
        let fdMLP = FrechetDistance.between(realFeatures, embed(decode(scaler.denormalize(mlpCodes), autoencoder), classifier), dimensions: 128)

        return SampleEvaluation(invariance: invariance, sampleSquaredError: squared / Double(m * k),
                               sampleMeanSquaredError: meanSquared / Double(m),
                               diversityCinn: SampleStatistics.diversity(groups), frechetCinn: fdCinn, frechetMLP: fdMLP,
                               variation: variation)
    }
}
