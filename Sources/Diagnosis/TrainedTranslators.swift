import Flows
import Foundation
import NN

/// A layer's two translators: the cINN and the MLP baseline.
struct LayerTranslators {
    let cinn: ConditionalFlow
    let cinnBestStep: Int
    let mlp: MLPBaseline
}

/// Stage 3: the unconditional flow (a baseline of bits kept and the source of the ceiling) and per
/// layer a cINN and an MLP baseline, trained side by side (`TranslatorJobs`) or loaded from the
/// translator cache, returned by layer name.
struct TrainedTranslators {
    let flowConfiguration: FlowConfiguration
    let unconditional: UnconditionalFlow
    let unconditionalBestStep: Int
    let layers: [String: LayerTranslators]

    static func train(_ inputs: RunInputs, _ pairs: ScenePairs, clock: StageClock) throws -> TrainedTranslators {
        let o = inputs.options
        var flowConfig = FlowConfiguration(codeDimension: inputs.autoencoder.latentDim, blocks: o.flowBlocks,
                                           couplingWidth: o.couplingWidth, seed: o.seed)
        flowConfig.embeddingDimension = 128
        let cache = TranslatorCache(
            directory: o.cacheDirectory.appendingPathComponent("translators"),
            key: TranslatorCacheKey(autoencoder: inputs.autoencoderID, data: pairs.trainSource.dataIdentity, seed: o.seed,
                                    trainPairs: o.trainPairs, selectionPairs: o.selectionPairs, batchSize: o.batchSize, steps: 0,
                                    flowBlocks: o.flowBlocks, couplingWidth: o.couplingWidth,
                                    embeddingDimension: flowConfig.embeddingDimension, embedderChannels: o.embedderChannels,
                                    mlpEmbedderChannels: o.mlpEmbedderChannels, learningRate: o.learningRate),
            options: o)
        let unconditionalJob = TranslatorJob(
            name: "unconditional", steps: o.unconditionalSteps ?? o.flowSteps, make: { try UnconditionalFlow(configuration: flowConfig) },
            training: try TranslationPairs(codes: pairs.train.codes, features: nil),
            heldOut: try TranslationPairs(codes: pairs.selection.codes, features: nil))
        var jobs = [unconditionalJob]
        var names: [String: (cinn: String, mlp: String)] = [:]
        for layer in inputs.layers {
            let training = try TranslationPairs(codes: pairs.train.codes, features: try pairs.train.features(layer.name))
            let heldOut = try TranslationPairs(codes: pairs.selection.codes, features: try pairs.selection.features(layer.name))
            let working = WorkingSize.shape(for: layer.shape)
            let embedder = EmbedderConfiguration.automatic(featureShape: working, baseChannels: o.embedderChannels)
            let mlpEmbedder = EmbedderConfiguration.automatic(featureShape: working, baseChannels: o.mlpEmbedderChannels)
            let id = "\(o.expert)-\(inputs.expert.identity)-\(layer.name)"
            names[layer.name] = ("cinn-\(id)", "mlp-\(id)-m\(o.mlpEmbedderChannels)")
            jobs.append(TranslatorJob(name: "cinn-\(id)", steps: o.flowSteps,
                                      make: { try ConditionalFlow(configuration: flowConfig, embedder: embedder) },
                                      training: training, heldOut: heldOut))
            jobs.append(TranslatorJob(name: "mlp-\(id)-m\(o.mlpEmbedderChannels)", steps: o.mlpSteps,
                                      make: { try MLPBaseline(configuration: flowConfig, embedder: mlpEmbedder) },
                                      training: training, heldOut: heldOut))
        }
        let trained = try clock.timed("translators") { try TranslatorJobs.run(jobs, train: cache.trained) }
        let byName = Dictionary(uniqueKeysWithValues: zip(jobs.map(\.name), trained))
        guard let unconditional = byName["unconditional"]?.model as? UnconditionalFlow else {
            throw DiagnosisError("the cached unconditional flow is of the wrong kind; delete \(cache.directory.path)")
        }
        var layers: [String: LayerTranslators] = [:]
        for (layer, name) in names {
            guard let cinn = byName[name.cinn], let model = cinn.model as? ConditionalFlow,
                  let mlp = byName[name.mlp]?.model as? MLPBaseline else {
                throw DiagnosisError("cached translators for \(layer) are of the wrong kind; delete \(cache.directory.path)")
            }
            layers[layer] = LayerTranslators(cinn: model, cinnBestStep: cinn.bestStep, mlp: mlp)
        }
        return TrainedTranslators(flowConfiguration: flowConfig, unconditional: unconditional,
                                  unconditionalBestStep: byName["unconditional"]!.bestStep, layers: layers)
    }

    func layer(_ name: String) throws -> LayerTranslators {
        guard let t = layers[name] else { throw DiagnosisError("no translators for layer '\(name)'") }
        return t
    }
}

/// Trained translators on disk, one file per job and `TranslatorCacheKey`: an interrupted run
/// resumes from the ones already trained.
struct TranslatorCache {
    let directory: URL
    let key: TranslatorCacheKey
    let options: DiagnosisOptions

    /// The job's translator from the cache, or trained (and then cached).
    func trained(_ job: TranslatorJob, report: @escaping (Int, String) -> Void) throws -> (model: any Translator, bestStep: Int) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var key = self.key
        key.steps = job.steps
        let file = directory.appendingPathComponent(key.fileName(job: job.name))
        if let (model, meta) = try? TranslatorStore.load(file) {
            report(job.steps, "reused \(file.lastPathComponent)")
            return (model, Int(meta["best_step"] ?? "") ?? job.steps)
        }
        let model = try job.make()
        let result = try TranslatorTrainer(model: model, configuration: configuration(steps: job.steps))
            .train(training: job.training, heldOut: job.heldOut) { p in
                let held = p.bestHeldOutLoss.map { String(format: " best held-out %.3f %@", $0, model.lossUnit) } ?? ""
                report(p.step, String(format: "loss %.3f", p.trainLoss) + held)
            }
        try TranslatorStore.save(result.best, to: file, extra: ["best_step": "\(result.bestStep)"])
        KillPoint.translators.reached()
        return (model, result.bestStep)
    }

    func configuration(steps: Int) -> TrainingConfiguration {
        var config = TrainingConfiguration()
        config.steps = steps; config.batchSize = options.batchSize; config.learningRate = options.learningRate
        config.evaluateEvery = max(50, steps / 6); config.seed = options.seed
        config.warmupSteps = min(100, steps / 5)
        // Plain Adam, not net2net's (0.5, 0.9) amsgrad: at our scale it reaches a lower held-out
        // loss in the same steps for flows and MLPs alike (docs/diagnosis.md).
        config.beta1 = 0.9; config.beta2 = 0.999; config.amsgrad = false
        return config
    }
}
