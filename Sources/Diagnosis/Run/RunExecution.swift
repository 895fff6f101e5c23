import Experts
import Flows
import Foundation
import Metrics
import Report
import Tensors

/// Carries out a `RunPlan`: the one driver of the stages. A run in one process performs every task
/// in order here (the translators of all seeds side by side) and keeps what stages pass on in
/// memory; `diagnose task` performs one task in a process of its own and `diagnose assemble` the
/// last step, and they pass results on through the caches and the run folder. Either way each
/// stage is the same code with the same numbers.
final class RunExecution {
    /// Where a layer's evaluation waits for the report.
    enum Evaluations {
        /// In this process: a run in one process.
        case inMemory
        /// In the run folder's `evaluations/`: a plan's tasks.
        case runFolder(URL)
    }

    let plan: RunPlan
    /// The first seed's inputs; `folder` is where this process publishes (the report, or an
    /// evaluation task's folder in the run).
    let inputs: RunInputs
    let clock: StageClock
    let evaluations: Evaluations

    // What earlier stages of this process computed.
    private var parts: [ScenePairs.Part: Pairs] = [:]
    private var loaded: (layers: Set<String>, pairs: ScenePairs)?
    private var trained: [Int: TrainedTranslators] = [:]
    private var contexts: [Int: LayerEvaluation.Context] = [:]
    private var measured: [Int: [String: LayerEvaluation]] = [:]
    private var stagingPrepared = false
    private var scenes: ScenePairs.Sources?

    /// `sources`: the run's scenes where the caller made them already.
    init(_ plan: RunPlan, inputs: RunInputs, clock: StageClock, evaluations: Evaluations,
         sources: ScenePairs.Sources? = nil) {
        (self.plan, self.inputs, self.clock, self.evaluations, scenes) = (plan, inputs, clock, evaluations, sources)
    }

    /// The run's train and test scenes, made once.
    func sources() throws -> ScenePairs.Sources {
        if let scenes { return scenes }
        scenes = try ScenePairs.sources(inputs)
        return scenes!
    }

    /// Every task in order, then the report: a run in one process.
    func runAll() throws -> DiagnosisResult {
        try prepareReportStaging()
        do {
            for task in plan.tasks(of: .features) { try perform(task) }
            KillPoint.features.reached()
            try trainTranslators(plan.tasks(of: .translators))
            for task in plan.tasks(of: .evaluation) { try perform(task) }
            return try assemble()
        } catch {
            inputs.folder.discardStaging()
            throw error
        }
    }

    /// One task: extract a shard of features, train a translator, or measure a layer with one
    /// seed's translators.
    func perform(_ task: PlanTask) throws {
        switch task.stage {
        case .features:
            guard let part = task.part else { throw DiagnosisError("features task \(task.index) names no scene range: plan the run again") }
            let sources = try sources()
            let pairs = try clock.timed("features") {
                try ScenePairs.extract(part, inputs, source: part == .test ? sources.test : sources.train, scenes: task.scenes)
            }
            if task.scenes == nil || task.scenes == part.range(plan.options) { parts[part] = pairs }
        case .translators:
            try trainTranslators([task])
        case .evaluation:
            try evaluate(task)
        }
    }

    // MARK: Stages

    /// Features and codes of `layers` (default: all): what this process extracted, or read from the cache.
    func pairs(layers: [ProbeLayer]? = nil) throws -> ScenePairs {
        let wanted = Set((layers ?? inputs.layers).map(\.name))
        if let loaded, wanted.isSubset(of: loaded.layers) { return loaded.pairs }
        let pairs: ScenePairs
        if let train = parts[.train], let selection = parts[.selection], let test = parts[.test] {
            pairs = ScenePairs(sources: try sources(), train: train, selection: selection, test: test)
            parts = [:]
        } else {
            let sources = try sources()
            pairs = try clock.timed("features") { try ScenePairs.load(inputs, sources: sources, layers: layers, shardScenes: plan.shardScenes) }
        }
        loaded = (Set(pairs.test.features.keys), pairs)
        return pairs
    }

    /// Stage 3 for `tasks`, side by side; the translators are kept for the later stages.
    func trainTranslators(_ tasks: [PlanTask]) throws {
        let names = Set(tasks.compactMap(\.layer))
        let pairs = try pairs(layers: inputs.layers.filter { names.contains($0.name) })
        let specs = try tasks.map { task -> TranslatorSpec in
            let candidates = TrainedTranslators.specs(inputs.translatorRepeat(task.translatorRepeat ?? 0), scenes: pairs.trainSource.dataIdentity,
                                                      layers: inputs.layers.filter { $0.name == task.layer })
            guard let spec = candidates.first(where: { $0.role == task.translator }) else {
                throw DiagnosisError("the plan's translator \(task.name) is not one this run trains: plan the run again")
            }
            return spec
        }
        let cache = TranslatorCache(directory: plan.options.cacheDirectory)
        let results = try clock.timed("translators") { try TranslatorJobs.run(try TrainedTranslators.jobs(specs, pairs), train: cache.trained) }
        for (r, group) in Dictionary(grouping: zip(tasks, results), by: { $0.0.translatorRepeat ?? 0 })
        where group.contains(where: { $0.1.spec.role == .unconditional }) {
            trained[r] = try TrainedTranslators(flowConfiguration: TrainedTranslators.flowConfiguration(inputs.translatorRepeat(r)),
                                                group.map(\.1))
        }
    }

    /// Seed `r`'s translators of `layers` (default: all): trained by this process, or from the cache.
    func translators(_ r: Int, layers: [ProbeLayer]? = nil) throws -> TrainedTranslators {
        if let t = trained[r], (layers ?? inputs.layers).allSatisfy({ t.layers[$0.name] != nil }) { return t }
        let t = try TrainedTranslators.train(inputs.translatorRepeat(r), try pairs(layers: layers), clock: clock, layers: layers)
        trained[r] = t
        return t
    }

    /// What seed `r`'s layers are measured against (stage 4), with `pairs` for the layers to
    /// measure. A later seed reuses the first's read-outs and reference images where this process
    /// has them, which see no translator, and measures only its own ceiling; computed afresh they
    /// are the same numbers.
    func context(_ r: Int, _ translators: TrainedTranslators, pairs: ScenePairs) throws -> LayerEvaluation.Context {
        if let c = contexts[r], Set(pairs.test.features.keys).isSubset(of: c.pairs.test.features.keys) { return c }
        let seedInputs = inputs.translatorRepeat(r), unconditional = translators.unconditional
        let unconditionalPerScene = unconditional.inChunks(try TranslationPairs(codes: pairs.test.codes, features: nil)) { z, _ in
            unconditional.negativeLogLikelihood(z).scalars
        }.joined().map(Double.init)
        let shared = contexts[0]
        let readouts = shared.map { $0.readouts.measuringCeiling(unconditional, seedInputs, pairs, clock: clock) }
            ?? Readouts.fit(seedInputs, pairs, unconditional: unconditional, clock: clock)
        let context = LayerEvaluation.Context(
            inputs: seedInputs, pairs: pairs, unconditional: unconditional, unconditionalPerScene: unconditionalPerScene,
            readouts: readouts, references: try shared?.references ?? ReferenceImages.make(seedInputs, pairs, clock: clock),
            sheetInputs: Array(0..<min(seedInputs.options.inputs, pairs.test.codes.shape[0])), clock: clock)
        contexts[r] = context
        return context
    }

    /// Stage 5 for one layer and seed: measured, then kept in memory or written to the task's folder.
    func evaluate(_ task: PlanTask) throws {
        guard let name = task.layer, let layer = inputs.layers.first(where: { $0.name == name }) else {
            throw DiagnosisError("evaluation task \(task.index) names layer '\(task.layer ?? "")', which the probe does not resolve: plan the run again")
        }
        let r = task.translatorRepeat ?? 0
        // A task's process loads only its layer's features and translators; a run in one process has them all.
        let translators = try translators(r, layers: [layer])
        let context = try context(r, translators, pairs: try pairs(layers: [layer]))
        var rng = LayerSampling.generator(context.inputs.options, layer: name)
        switch evaluations {
        case .inMemory:
            measured[r, default: [:]][name] = try LayerEvaluation.measure(layer, try translators.layer(name), in: context, rng: &rng)
        case .runFolder:
            try inputs.folder.prepareStaging(subfolders: [context.translatorFolder])
            var published = false
            defer { if !published { inputs.folder.discardStaging() } }
            let evaluation = try LayerEvaluation.measure(layer, try translators.layer(name), in: context, rng: &rng)
            try StoredEvaluation.write(evaluation, to: inputs.folder.staging)
            try inputs.folder.publish()
            published = true
        }
    }

    // MARK: The report

    /// The report's staging folder, with a translator folder for each seed.
    private func prepareReportStaging() throws {
        let o = plan.options
        try inputs.folder.prepareStaging(subfolders: ["translators"]
                                         + (1..<o.repeats).map { "translators/seed-\(inputs.translatorRepeat($0).options.translatorSeed)" })
        stagingPrepared = true
    }

    /// Stages 6 and 7: per seed the unconditional flow and the layers' numbers, the figures of the
    /// first seed, report.json and the rest, published in place of the report folder.
    func assemble() throws -> DiagnosisResult {
        let folder = inputs.folder
        if !stagingPrepared { try prepareReportStaging() }
        var succeeded = false
        defer { if !succeeded { folder.discardStaging() } }
        var repeats: [MeasuredRepeat] = []
        for r in 0..<plan.options.repeats {
            let translators = try translators(r), context = try context(r, translators, pairs: try pairs())
            try TranslatorStore.save(TranslatorCheckpoint(translators.unconditional, step: translators.unconditionalBestStep),
                                     to: folder.staging.appendingPathComponent("\(context.translatorFolder)/unconditional.safetensors"))
            let layers = try inputs.layers.map { layer in try evaluation(of: layer, r, context: context) }
            repeats.append(MeasuredRepeat(context: context, translators: translators, layers: layers))
        }
        KillPoint.figures.reached()
        let first = repeats[0]
        try clock.timed("figures") { try Self.writeFigures(first.context, translators: first.translators, layers: first.layers, to: folder.staging) }
        let result = SeedAveraging.result(repeats)
        try clock.timed("report") { try ReportWriter.write(result, to: folder.staging) }
        KillPoint.publish.reached()
        try folder.publish()
        succeeded = true
        return result
    }

    /// A layer's evaluation with seed `r`: from memory, or read from its task's folder with the
    /// files it made for the report copied into the staging folder.
    private func evaluation(of layer: ProbeLayer, _ r: Int, context: LayerEvaluation.Context) throws -> LayerEvaluation {
        switch evaluations {
        case .inMemory:
            guard let evaluation = measured[r]?[layer.name] else { throw DiagnosisError("layer \(layer.name) was not evaluated: this is a bug, please report it") }
            return evaluation
        case .runFolder(let run):
            let evaluated = run.appendingPathComponent(StoredEvaluation.folder(layer.name, seed: context.inputs.options.translatorSeed))
            let evaluation = try StoredEvaluation.read(from: evaluated, sheetInputs: context.drawsSheets ? context.sheetInputs.count : 0,
                                                 pool: plan.options.samplePool)
            for file in try StoredEvaluation.reportFiles(in: evaluated) {
                let target = inputs.folder.staging.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: evaluated.appendingPathComponent(file), to: target)
            }
            return evaluation
        }
    }

    /// The overview (every layer's sheet rows side by side) and exemplar transfer.
    static func writeFigures(_ c: LayerEvaluation.Context, translators: TrainedTranslators, layers: [LayerEvaluation], to staging: URL) throws {
        let probe = c.inputs.probe, names = c.inputs.layers.map(\.name)
        try SheetRendering.overview(layers: names.map { n in probe.alias(of: n).map { "\($0): \(n)" } ?? n },
                                    inputs: c.sheetInputs, real: c.references.real, reconstructions: c.references.reconstructions,
                                    rows: layers.map(\.sheetRows), samples: c.inputs.options.samples)
            .write(to: staging, named: "overview.png")
        try ReportWriter.writePNG(try SheetRendering.inputsSprite(inputs: c.sheetInputs, real: c.references.real,
                                                                  reconstructions: c.references.reconstructions),
                                  to: staging, named: SheetRendering.explorerImages(c).inputSprite)
        try SheetRendering.exemplarTransfer(cinns: try names.map { try translators.layer($0).cinn }, layers: names, test: c.pairs.test,
                                            scaler: c.pairs.scaler, real: c.references.real, autoencoder: c.inputs.autoencoder,
                                            count: min(5, c.pairs.test.codes.shape[0]))
            .write(to: staging, named: "transfer.png")
    }
}
