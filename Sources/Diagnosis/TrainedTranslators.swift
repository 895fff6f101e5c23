import Experts
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

    /// The flow configuration every translator of the run shares.
    static func flowConfiguration(_ inputs: RunInputs) -> FlowConfiguration {
        let o = inputs.options
        var flowConfig = FlowConfiguration(codeDimension: inputs.autoencoder.latentDim, blocks: o.flowBlocks,
                                           couplingWidth: o.couplingWidth, seed: o.translatorSeed)
        flowConfig.embeddingDimension = 128
        return flowConfig
    }

    /// The translator cache of the run; `data` is the training scenes' `SceneSource.dataIdentity`.
    static func cache(_ inputs: RunInputs, data: String) -> TranslatorCache {
        let o = inputs.options
        return TranslatorCache(
            directory: o.cacheDirectory.appendingPathComponent("translators"),
            key: TranslatorCacheKey(autoencoder: inputs.autoencoderID, data: data, seed: o.seed,
                                    translatorSeed: o.translatorSeed == o.seed ? nil : o.translatorSeed,
                                    trainPairs: o.trainPairs, selectionPairs: o.selectionPairs, batchSize: o.batchSize, steps: 0,
                                    flowBlocks: o.flowBlocks, couplingWidth: o.couplingWidth,
                                    embeddingDimension: flowConfiguration(inputs).embeddingDimension, embedderChannels: o.embedderChannels,
                                    mlpEmbedderChannels: o.mlpEmbedderChannels, learningRate: o.learningRate),
            options: o)
    }

    /// The name and steps of every translator job of `layers`, the unconditional flow first.
    static func jobNames(_ inputs: RunInputs, layers: [ProbeLayer]) -> [(name: String, steps: Int, layer: String?, kind: String)] {
        let o = inputs.options
        var names = [(name: "unconditional", steps: o.unconditionalSteps ?? o.flowSteps, layer: String?.none, kind: "unconditional")]
        for layer in layers {
            // File-safe: an imported network's taps and its path hold '/'.
            let id = "\(FileNameComponent.safe(inputs.expert.name))-\(inputs.expert.identity)-\(FileNameComponent.safe(layer.name))"
            names.append(("cinn-\(id)", o.flowSteps, layer.name, "cinn"))
            names.append(("mlp-\(id)-m\(o.mlpEmbedderChannels)", o.mlpSteps, layer.name, "mlp"))
        }
        return names
    }

    /// The job of `kind` ("cinn" or "mlp") for `layer`, looked up by name, not by position.
    static func job(_ names: [(name: String, steps: Int, layer: String?, kind: String)], _ kind: String,
                    of layer: String) -> (name: String, steps: Int, layer: String?, kind: String) {
        names.first { $0.layer == layer && $0.kind == kind }!  // jobNames makes one of each kind per layer
    }

    /// The jobs that train the unconditional flow and each of `layers`' cINN and MLP.
    static func jobs(_ inputs: RunInputs, _ pairs: ScenePairs, layers: [ProbeLayer]) throws -> [TranslatorJob] {
        let o = inputs.options, flowConfig = flowConfiguration(inputs)
        var jobs = [TranslatorJob(
            name: "unconditional", steps: o.unconditionalSteps ?? o.flowSteps, make: { try UnconditionalFlow(configuration: flowConfig) },
            training: try TranslationPairs(codes: pairs.train.codes, features: nil),
            heldOut: try TranslationPairs(codes: pairs.selection.codes, features: nil))]
        let names = jobNames(inputs, layers: layers)
        for layer in layers {
            let training = try TranslationPairs(codes: pairs.train.codes, features: try pairs.train.features(layer.name))
            let heldOut = try TranslationPairs(codes: pairs.selection.codes, features: try pairs.selection.features(layer.name))
            let working = WorkingSize.shape(for: layer.shape)
            let embedder = EmbedderConfiguration.automatic(featureShape: working, baseChannels: o.embedderChannels)
            let mlpEmbedder = EmbedderConfiguration.automatic(featureShape: working, baseChannels: o.mlpEmbedderChannels)
            let (cinn, mlp) = (job(names, "cinn", of: layer.name), job(names, "mlp", of: layer.name))
            jobs.append(TranslatorJob(name: cinn.name, steps: cinn.steps,
                                      make: { try ConditionalFlow(configuration: flowConfig, embedder: embedder) },
                                      training: training, heldOut: heldOut))
            jobs.append(TranslatorJob(name: mlp.name, steps: mlp.steps,
                                      make: { try MLPBaseline(configuration: flowConfig, embedder: mlpEmbedder) },
                                      training: training, heldOut: heldOut))
        }
        return jobs
    }

    /// The unconditional flow and the translators of `layers` (default: all of the run's), trained
    /// side by side where the cache does not have them.
    static func train(_ inputs: RunInputs, _ pairs: ScenePairs, clock: StageClock, layers: [ProbeLayer]? = nil) throws -> TrainedTranslators {
        let flowConfig = flowConfiguration(inputs)
        let cache = Self.cache(inputs, data: pairs.trainSource.dataIdentity)
        let chosen = layers ?? inputs.layers
        let jobs = try Self.jobs(inputs, pairs, layers: chosen)
        let jobNames = Self.jobNames(inputs, layers: chosen)
        var names: [String: (cinn: String, mlp: String)] = [:]
        for layer in chosen { names[layer.name] = (job(jobNames, "cinn", of: layer.name).name, job(jobNames, "mlp", of: layer.name).name) }
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
        let file = self.file(job: job.name, steps: job.steps)
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

    /// Where the job's trained translator is kept.
    func file(job: String, steps: Int) -> URL {
        var key = self.key
        key.steps = steps
        return directory.appendingPathComponent(key.fileName(job: job))
    }

    func configuration(steps: Int) -> TrainingConfiguration {
        var config = TrainingConfiguration()
        config.steps = steps; config.batchSize = options.batchSize; config.learningRate = options.learningRate
        config.evaluateEvery = max(50, steps / 6); config.seed = options.translatorSeed
        config.warmupSteps = min(100, steps / 5)
        // Plain Adam, not net2net's (0.5, 0.9) amsgrad: at our scale it reaches a lower held-out
        // loss in the same steps for flows and MLPs alike (docs/diagnosis.md).
        config.beta1 = 0.9; config.beta2 = 0.999; config.amsgrad = false
        return config
    }
}
