import Experts
import FileSupport
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
        return FlowConfiguration(codeDimension: inputs.autoencoder.latentDim, blocks: o.flowBlocks, couplingWidth: o.couplingWidth,
                                 embeddingDimension: 128, seed: o.translatorSeed)
    }

    /// How a translator of `steps` steps is trained. Plain Adam, not net2net's (0.5, 0.9) amsgrad:
    /// at our scale it reaches a lower held-out loss in the same steps for flows and MLPs alike
    /// (docs/diagnosis.md).
    static func trainingConfiguration(_ o: DiagnosisOptions, steps: Int) -> TrainingConfiguration {
        var config = TrainingConfiguration()
        config.steps = steps; config.batchSize = o.batchSize; config.learningRate = o.learningRate
        config.evaluateEvery = max(50, steps / 6); config.seed = o.translatorSeed
        config.warmupSteps = min(100, steps / 5)
        config.beta1 = 0.9; config.beta2 = 0.999; config.amsgrad = false
        return config
    }

    /// The specs of the unconditional flow and of each of `layers`' cINN and MLP, in that order.
    /// `scenes` is the training scenes' `ImageSource.dataIdentity`.
    static func specs(_ inputs: RunInputs, scenes: Digest, layers: [ProbeLayer]) -> [TranslatorSpec] {
        let o = inputs.options, flow = flowConfiguration(inputs)
        func pairs(expert: Digest?) -> TranslatorSpec.Pairs {
            TranslatorSpec.Pairs(autoencoder: inputs.autoencoderID, scenes: scenes, sceneSeed: o.seed, trainPairs: o.trainPairs,
                                 selectionPairs: o.selectionPairs, expert: expert)
        }
        var specs = [TranslatorSpec(role: .unconditional, flow: flow, embedder: nil,
                                    training: trainingConfiguration(o, steps: o.unconditionalSteps ?? o.flowSteps), pairs: pairs(expert: nil))]
        for layer in layers {
            let working = WorkingSize.shape(for: layer.shape)
            specs.append(TranslatorSpec(
                role: .cinn(layer: layer.name), flow: flow,
                embedder: .automatic(featureShape: working, outputDimension: flow.embeddingDimension, baseChannels: o.embedderChannels),
                training: trainingConfiguration(o, steps: o.flowSteps), pairs: pairs(expert: inputs.expert.identity)))
            specs.append(TranslatorSpec(
                role: .mlp(layer: layer.name), flow: flow,
                embedder: .automatic(featureShape: working, outputDimension: flow.embeddingDimension, baseChannels: o.mlpEmbedderChannels),
                training: trainingConfiguration(o, steps: o.mlpSteps), pairs: pairs(expert: inputs.expert.identity)))
        }
        return specs
    }

    /// The job of each spec: the unconditional flow learns the codes alone, a layer's translators
    /// the codes given its features.
    static func jobs(_ specs: [TranslatorSpec], _ pairs: ScenePairs) throws -> [TranslatorJob] {
        try specs.map { spec in
            let features = try spec.role.layer.map { layer in (train: try pairs.train.features(layer), selection: try pairs.selection.features(layer)) }
            return TranslatorJob(spec: spec, training: try TranslationPairs(codes: pairs.train.codes, features: features?.train),
                                 heldOut: try TranslationPairs(codes: pairs.selection.codes, features: features?.selection))
        }
    }

    /// The unconditional flow and the translators of `layers` (default: all of the run's), trained
    /// side by side where the cache does not have them.
    static func train(_ inputs: RunInputs, _ pairs: ScenePairs, clock: StageClock, layers: [ProbeLayer]? = nil) throws -> TrainedTranslators {
        let cache = TranslatorCache(directory: inputs.options.cacheDirectory)
        let jobs = try Self.jobs(specs(inputs, scenes: pairs.trainSource.dataIdentity, layers: layers ?? inputs.layers), pairs)
        let trained = try clock.timed("translators") { try TranslatorJobs.run(jobs, train: cache.trained) }
        return try TrainedTranslators(flowConfiguration: flowConfiguration(inputs), trained)
    }

    /// The run's translators from the trained jobs, by role.
    init(flowConfiguration: FlowConfiguration, _ trained: [TrainedTranslator]) throws {
        var unconditional: (UnconditionalFlow, Int)?
        var cinns: [String: (ConditionalFlow, Int)] = [:], mlps: [String: MLPBaseline] = [:]
        for t in trained {
            switch (t.spec.role, t.model) {
            case (.unconditional, let flow as UnconditionalFlow): unconditional = (flow, t.bestStep)
            case (.cinn(let layer), let flow as ConditionalFlow): cinns[layer] = (flow, t.bestStep)
            case (.mlp(let layer), let mlp as MLPBaseline): mlps[layer] = mlp
            default: throw DiagnosisError("translator \(t.spec.role) is a \(type(of: t.model)): this is a bug, please report it")
            }
        }
        guard let unconditional else { throw DiagnosisError("the run trained no unconditional flow: this is a bug, please report it") }
        var layers: [String: LayerTranslators] = [:]
        for (layer, cinn) in cinns {
            guard let mlp = mlps[layer] else { throw DiagnosisError("layer \(layer) has a cINN but no MLP baseline: this is a bug, please report it") }
            layers[layer] = LayerTranslators(cinn: cinn.0, cinnBestStep: cinn.1, mlp: mlp)
        }
        (self.flowConfiguration, self.unconditional, self.unconditionalBestStep, self.layers) =
            (flowConfiguration, unconditional.0, unconditional.1, layers)
    }

    func layer(_ name: String) throws -> LayerTranslators {
        guard let t = layers[name] else { throw DiagnosisError("no translators for layer '\(name)'") }
        return t
    }
}
