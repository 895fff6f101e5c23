import Experts
import FileSupport
import Flows
import Foundation
import Metrics
import Report
import Tensors

/// Stage 5, one layer on the test scenes: held-out NLL and bits kept, invariance scores,
/// calibration, diversity and Fréchet distances, where the samples vary, agreement with the
/// probe's documentation, the layer's translators, its contact sheet and mean variation map in the
/// staging folder.
struct LayerEvaluation {
    let result: LayerResult
    /// Decoded cINN samples and MLP output per sheet input, for the overview (none where no sheets are drawn).
    let sheetRows: [SheetRow]
    let warnings: [String]

    /// Everything a layer is measured against.
    struct Context {
        /// The options of the translator repeat being measured (`DiagnosisOptions.translatorRepeat`).
        let inputs: RunInputs
        let pairs: ScenePairs
        let unconditional: UnconditionalFlow
        /// The unconditional flow's NLL per test scene (nats/dim).
        let unconditionalPerScene: [Double]
        var readouts: Readouts
        let references: ReferenceImages
        let sheetInputs: [Int]
        let clock: StageClock

        /// Where the repeat's translators go in the report folder: later seeds of `--seeds K` in a
        /// folder of their own, the first where a single-seed run puts them.
        var translatorFolder: String {
            let o = inputs.options
            return o.translatorRepeat == nil ? "translators" : "translators/seed-\(o.translatorSeed)"
        }
        /// Contact sheets show the first seed's samples only.
        var drawsSheets: Bool { inputs.options.translatorRepeat == nil }
    }

    static func measure(_ layer: ProbeLayer, _ t: LayerTranslators, in c: Context, rng: inout Xoshiro256) throws -> LayerEvaluation {
        let o = c.inputs.options, name = layer.name, test = c.pairs.test, d = c.inputs.autoencoder.latentDim
        let staging = c.inputs.folder.staging
        let testPairs = try TranslationPairs(codes: test.codes, features: try test.features(name))
        let condPerScene = t.cinn.inChunks(testPairs) { z, f in t.cinn.negativeLogLikelihood(z, features: f!).scalars }
            .joined().map(Double.init)
        let mlpMSEPerDim = Double(t.mlp.evaluate(testPairs))
        let bits = try c.clock.timed("bits") {
            try BitsKept.measure(cinn: t.cinn, unconditionalFlow: c.unconditional, conditional: condPerScene,
                                 unconditional: c.unconditionalPerScene, selectionCodes: c.pairs.selection.codes, testCodes: test.codes,
                                 mixture: ConditionMixture(features: try c.pairs.train.features(name), limit: o.marginalConditions,
                                                           seed: o.translatorSeed &+ 83))
        }
        let translator = "\(c.translatorFolder)/\(FileNameComponent.safe(name))-cinn.safetensors"
        try TranslatorStore.save(TranslatorCheckpoint(t.cinn, step: t.cinnBestStep), to: staging.appendingPathComponent(translator))
        try TranslatorStore.save(TranslatorCheckpoint(t.mlp, step: o.mlpSteps),
                                 to: staging.appendingPathComponent("\(c.translatorFolder)/\(FileNameComponent.safe(name))-mlp.safetensors"))
        let sampled = try c.clock.timed("evaluation") { () -> SampleEvaluation in
            try SampleEvaluation.run(cinn: t.cinn, mlp: t.mlp, test: test, layer: name, readout: c.readouts.readout,
                                    dataPredictions: c.readouts.dataPredictions, scoredInputs: o.scoredInputs,
                                    scoredSamples: o.scoredSamples, scaler: c.pairs.scaler, autoencoder: c.inputs.autoencoder,
                                    classifier: c.inputs.classifier, references: c.references, rng: &rng)
        }
        var (validity, warnings) = documentedInvariances(layer, sampled.invariance, c.readouts)
        let pictures = c.drawsSheets ? try sheet(layer, t, in: c, rng: &rng) : nil
        let variationMap = "variation-\(FileNameComponent.safe(name)).png"
        if c.drawsSheets {
            try SheetRendering.variationFigure(layer: name, alias: c.inputs.probe.alias(of: name), sampled.variation)
                .write(to: staging, named: variationMap)
        }
        let result = LayerResult(
            name: name, alias: o.layers.first { c.inputs.probe.aliases[$0] == name }, shape: layer.shape,
            nllConditionalNatsPerDim: SampleStatistics.mean(condPerScene), bitsKept: bits.kept.mean,
            bitsKeptStandardError: bits.kept.standardError, bitsBaseline: bits.baseline,
            bitsOverUnconditional: bits.overUnconditional, bitsOverMarginal: bits.overMarginal,
            invariance: sampled.invariance, frechetCinn: sampled.frechetCinn, frechetMlp: sampled.frechetMLP,
            diversityCinn: sampled.diversityCinn, diversityMlp: 0,
            calibration: SampleStatistics.calibration(sampleSquaredError: sampled.sampleSquaredError,
                                                      predictorSquaredError: mlpMSEPerDim * Double(d)),
            selfCalibration: SampleStatistics.selfCalibration(sampleSquaredError: sampled.sampleSquaredError,
                                                              sampleMeanSquaredError: sampled.sampleMeanSquaredError,
                                                              samples: o.scoredSamples),
            mlpHeldOutMse: mlpMSEPerDim, trainingSteps: o.flowSteps, bestStep: t.cinnBestStep,
            expectedKeeps: layer.keeps, expectedIgnores: layer.ignores, validity: validity,
            contactSheet: "sheet-\(FileNameComponent.safe(name)).png", translator: translator,
            variation: sampled.variation.result(map: variationMap), sprite: pictures?.sprite)
        warnings += ReportFacts.layerNotes(result)
        return LayerEvaluation(result: result, sheetRows: pictures?.rows ?? [], warnings: warnings)
    }

    /// For a layer whose probe documents what it keeps and ignores (the oracle's): whether each
    /// measured score agrees, and a warning for each that does not.
    static func documentedInvariances(_ layer: ProbeLayer, _ invariance: [String: Double], _ readouts: Readouts)
        -> (validity: [String: Bool]?, warnings: [String]) {
        guard let keeps = layer.keeps, let ignores = layer.ignores else { return (nil, []) }
        var validity: [String: Bool] = [:], warnings: [String] = []
        for f in Set(keeps + ignores).sorted() {
            let keep = keeps.contains(f), score = invariance[f] ?? .nan
            let (agrees, bound) = LayerJudgement.agreement(score: score, documentedKept: keep, ceiling: readouts.ceiling[f],
                                                          floor: readouts.floors[f])
            validity[f] = agrees
            if !agrees {
                warnings.append(String(format: "%@: documented to %@ %@, measured invariance %.2f (%@ %.2f)", layer.name,
                                       keep ? "keep" : "ignore", f, score, keep ? "needs at most" : "needs at least", bound))
            }
        }
        return (validity, warnings)
    }

    /// The sheet inputs' pools of samples and the MLP's output, decoded; the layer's contact sheet
    /// and explorer sprite. The pool is drawn after every scored sample, so neither its size nor
    /// the selection moves a score.
    static func sheet(_ layer: ProbeLayer, _ t: LayerTranslators, in c: Context, rng: inout Xoshiro256)
        throws -> (rows: [SheetRow], sprite: LayerSprite) {
        let o = c.inputs.options, k = o.samples, pool = o.samplePool, d = c.inputs.autoencoder.latentDim, n = c.sheetInputs.count
        let features = try c.pairs.test.features(layer.name).gather(axis: 0, indices: c.sheetInputs)
        let samples = try t.cinn.sample(features: features, count: pool, rng: &rng).reshaped([n * pool, d])
        let mlpCodes = Autograd.withoutGradients { t.mlp.predict(features) }
        let decodedSamples = decode(c.pairs.scaler.denormalize(samples), c.inputs.autoencoder)
        let decodedMLP = decode(c.pairs.scaler.denormalize(mlpCodes), c.inputs.autoencoder)
        let rows = (0..<n).map { i in
            SheetRow(pool: (0..<pool).map { decodedSamples.slice(axis: 0, (i * pool + $0)..<(i * pool + $0 + 1)) },
                     shown: SheetRow.select(k, of: samples.slice(axis: 0, (i * pool)..<((i + 1) * pool)), by: o.sheetSelection),
                     mlp: decodedMLP.slice(axis: 0, i..<(i + 1)))
        }
        let file = FileNameComponent.safe(layer.name), spriteFile = "\(SheetRendering.explorerFolder)/\(file).png"
        try SheetRendering.layerSheet(layer: layer.name, alias: c.inputs.probe.alias(of: layer.name), inputs: c.sheetInputs,
                                      real: c.references.real, reconstructions: c.references.reconstructions, rows: rows, samples: k)
            .write(to: c.inputs.folder.staging, named: "sheet-\(file).png")
        try ReportWriter.writePNG(try SheetRendering.explorerSprite(rows), to: c.inputs.folder.staging, named: spriteFile)
        let sprite = LayerSprite(sprite: spriteFile, pool: pool, shown: rows.map(\.shown),
                                 shownDeltaE: rows.map(\.spread).reduce(0, +) / Double(n),
                                 randomDeltaE: rows.map { $0.firstSpread(k) }.reduce(0, +) / Double(n))
        return (rows, sprite)
    }
}
