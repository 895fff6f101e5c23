import Flows
import Metrics
import Report
import Tensors

/// Stage 4: factor read-outs trained on real codes of the training scenes and checked on the test
/// split; per categorical factor the floor (what real scenes sharing the value score) and per
/// factor the ceiling (what samples of the unconditional flow, which ignore everything, score).
struct Readouts {
    let readout: FactorReadout
    let quality: [(factor: String, metric: String, value: Double, chance: Double)]
    /// Read-out values of the real test codes, per factor.
    let dataPredictions: [[Float]]
    let floors: [String: Double]
    var ceiling: [String: Double]

    static func fit(_ inputs: RunInputs, _ pairs: ScenePairs, unconditional: UnconditionalFlow, clock: StageClock) -> Readouts {
        fitWithoutCeiling(inputs, pairs, clock: clock).measuringCeiling(unconditional, inputs, pairs, clock: clock)
    }

    /// The read-outs, their quality and floors: they see only real codes, so every translator
    /// repeat (`--seeds`) shares them. The ceiling is left empty.
    static func fitWithoutCeiling(_ inputs: RunInputs, _ pairs: ScenePairs, clock: StageClock) -> Readouts {
        let o = inputs.options
        let readout = FactorReadout(codeDimensions: inputs.autoencoder.latentDim, factors: pairs.trainSource.factors, seed: o.seed)
        let trainFactors = (0..<o.trainPairs).map { pairs.trainSource.factorValues($0) }
        let testFactors = (0..<o.testScenes).map { pairs.testSource.factorValues($0) }
        clock.timed("readouts") { readout.fit(codes: pairs.rawTrainCodes, values: trainFactors, steps: o.readoutSteps, seed: o.seed) }
        let quality = readout.quality(codes: pairs.rawTestCodes, values: testFactors)
        let dataPredictions = readout.scoringValues(pairs.rawTestCodes)
        var floors: [String: Double] = [:]
        for (j, f) in readout.factors.enumerated() {
            floors[f.name] = InvarianceScore.floor(kind: f.kind, predictions: dataPredictions[j], truth: testFactors.map { $0[j] })
        }
        return Readouts(readout: readout, quality: quality, dataPredictions: dataPredictions, floors: floors, ceiling: [:])
    }

    /// These read-outs with the ceiling of `unconditional`'s samples, drawn with the translator seed.
    func measuringCeiling(_ unconditional: UnconditionalFlow, _ inputs: RunInputs, _ pairs: ScenePairs, clock: StageClock) -> Readouts {
        let o = inputs.options
        var rng = Xoshiro256(seed: o.translatorSeed &+ 78)
        var measured = self
        measured.ceiling = clock.timed("evaluation") {
            SampleEvaluation.ceiling(unconditional, readout: readout, dataPredictions: dataPredictions,
                                    inputs: o.scoredInputs, samples: o.scoredSamples, scaler: pairs.scaler, rng: &rng)
        }
        return measured
    }

    /// The read-out table of report.json.
    var table: [ReadoutQuality] {
        quality.enumerated().map { j, q in
            ReadoutQuality(factor: q.factor, kind: "\(readout.factors[j].kind)", metric: q.metric, value: q.value, chance: q.chance,
                           floor: floors[q.factor])
        }
    }
}
