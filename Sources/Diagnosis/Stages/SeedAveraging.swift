import Metrics
import Report

/// report.json's content from the run's translator seeds: one seed's numbers as they are; for
/// `--seeds K` the mean of every number the translators change, with its standard deviation and
/// each seed's value (`SeedSpread`). Contact sheets, translator steps and paths are the first seed's.
enum SeedAveraging {
    static func result(_ repeats: [MeasuredRepeat]) -> DiagnosisResult {
        let first = repeats[0]
        let nll = repeats.map { SampleStatistics.mean($0.context.unconditionalPerScene) }
        guard repeats.count > 1 else {
            return DiagnosisPipeline.assemble(first.context, translators: first.translators, layers: first.layers, unconditionalNLL: nll[0])
        }
        let run = SeedSpread.over(zip(repeats, nll).map {
            RunSeedNumbers(unconditionalNllNatsPerDim: $1, invarianceCeiling: $0.context.readouts.ceiling)
        })
        var context = first.context
        context.readouts.ceiling = run.mean.invarianceCeiling ?? [:]
        let layers = first.context.inputs.layers.indices.map { layer($0, of: repeats, readouts: context.readouts) }
        var result = DiagnosisPipeline.assemble(context, translators: first.translators, layers: layers,
                                                unconditionalNLL: run.mean.unconditionalNllNatsPerDim)
        result.seeds = repeats.count
        result.translatorSeeds = repeats.map { $0.context.inputs.options.translatorSeed }
        result.overSeeds = run.spread
        return result
    }

    /// Layer `i` over the seeds; its documented-invariance check and calibration note are made
    /// again from the means (against the mean ceiling), not once per seed.
    static func layer(_ i: Int, of repeats: [MeasuredRepeat], readouts: Readouts) -> LayerEvaluation {
        let results = repeats.map { $0.layers[i].result }
        let (mean, spread) = SeedSpread.over(results.map(LayerSeedNumbers.init))
        var l = results[0]
        l.bitsKept = mean.bitsKept; l.bitsKeptStandardError = mean.bitsKeptStandardError
        l.nllConditionalNatsPerDim = mean.nllConditionalNatsPerDim; l.invariance = mean.invariance
        l.frechetCinn = mean.frechetCinn; l.frechetMlp = mean.frechetMlp; l.diversityCinn = mean.diversityCinn
        l.calibration = mean.calibration; l.selfCalibration = mean.selfCalibration; l.mlpHeldOutMse = mean.mlpHeldOutMse
        l.bitsOverUnconditional = meanEstimate(results.map(\.bitsOverUnconditional))
        l.bitsOverMarginal = meanEstimate(results.map(\.bitsOverMarginal))
        l.variation = meanVariation(results.map(\.variation))
        l.overSeeds = spread
        let baselines = Set(results.map(\.bitsBaseline))
        l.bitsBaseline = baselines.count == 1 ? results[0].bitsBaseline : nil
        let probeLayer = repeats[0].context.inputs.layers[i]
        var (validity, warnings) = LayerEvaluation.documentedInvariances(probeLayer, mean.invariance, readouts)
        l.validity = validity
        if baselines.count > 1 {
            let choices = results.map { $0.bitsBaseline?.rawValue ?? "none" }.joined(separator: ", ")
            warnings.append("\(l.name): the baseline of bits kept differs between seeds (\(choices)); its mean bits kept mixes both estimates")
        }
        warnings += ReportFacts.layerNotes(l)
        return LayerEvaluation(result: l, sheetRows: repeats[0].layers[i].sheetRows, warnings: warnings)
    }

    /// The seeds' variation numbers averaged as `meanEstimate` does; the map is the first seed's.
    static func meanVariation(_ variations: [VariationResult?]) -> VariationResult? {
        let present = variations.compactMap { $0 }
        guard present.count == variations.count, var v = present.first else { return nil }
        v.meanDeltaE = meanEstimate(present.map(\.meanDeltaE))!
        v.objectToBackground = meanEstimate(present.map(\.objectToBackground))
        v.objectDeltaE = meanEstimate(present.map(\.objectDeltaE))
        v.backgroundDeltaE = meanEstimate(present.map(\.backgroundDeltaE))
        v.outlineDeltaE = meanEstimate(present.map(\.outlineDeltaE))
        return v
    }

    /// The mean of per-seed estimates and of their standard errors over the test scenes; nil
    /// unless every seed has one.
    static func meanEstimate(_ estimates: [MeanWithError?]) -> MeanWithError? {
        let present = estimates.compactMap { $0 }
        guard present.count == estimates.count else { return nil }
        return MeanWithError(mean: SampleStatistics.mean(present.map(\.mean)),
                             standardError: SampleStatistics.mean(present.map(\.standardError)))
    }
}
