import Experts
import Foundation
import Tensors

/// `diagnose task RUN --index N`: one task of a plan, idempotent. A task whose record and outputs
/// exist is skipped; one whose prerequisites are not done refuses to start (it would otherwise
/// compute them silently). Every output is written atomically: cache files by temporary file and
/// rename, an evaluation as a folder swapped in whole (`ReportFolder`), the done record last.
public enum PlanTaskRunner {
    public enum Outcome: Equatable { case skipped, done }

    public static func run(_ run: URL, index: Int) throws -> Outcome {
        let plan = try RunPlan.load(run)
        let task = try plan.task(index, in: run)
        let progress = PlanProgress(plan, run: run)
        if progress.isDone(task) { return .skipped }
        let waiting = task.after.map { plan.tasks[$0] }.filter { !progress.isDone($0) }
        guard waiting.isEmpty else {
            throw DiagnosisError("task \(index) (\(task.name)) reads what tasks \(waiting.map { "\($0.index) (\($0.name))" }.joined(separator: ", ")) "
                                 + "write, and they are not done: run them first (`diagnose task \(run.path) --index N`), "
                                 + "or see `diagnose status \(run.path)`")
        }
        for kind in [TaskRecord.Kind.done, .failed] { TaskRecord.remove(task.name, kind, in: run) }
        var record = TaskRecord.now(task.name)
        try record.write(.started, in: run)
        let clock = StageClock()
        do {
            try perform(task, plan, run: run, clock: clock)
        } catch {
            record.finished = Date()
            record.error = "\(error)"
            try? record.write(.failed, in: run)
            throw error
        }
        record.finished = Date()
        record.seconds = clock.withTotal
        try record.write(.done, in: run)
        return .done
    }

    /// The run's inputs as the plan made them; the folder is where an evaluation task publishes.
    static func inputs(_ o: DiagnosisOptions, of plan: RunPlan, folder: ReportFolder) throws -> RunInputs {
        let inputs = try RunInputs.load(o, folder: folder)
        guard inputs.expert.identity == plan.expertIdentity else {
            throw DiagnosisError("the weights of \(o.expert) changed since the run was planned (identity "
                                 + "\(inputs.expert.identity), planned \(plan.expertIdentity)): restore them, or plan the run again "
                                 + "in a new folder")
        }
        return inputs
    }

    static func perform(_ task: PlanTask, _ plan: RunPlan, run: URL, clock: StageClock) throws {
        let folder = try ReportFolder(run.appendingPathComponent(EvaluatedLayer.folder(task.layer ?? task.name)), force: true,
                                      marker: EvaluatedLayer.resultFile)
        let inputs = try inputs(plan.options, of: plan, folder: folder)
        let layer = try task.layer.map { name -> ProbeLayer in
            guard let l = inputs.layers.first(where: { $0.name == name }) else {
                throw DiagnosisError("the plan names layer '\(name)', which the probe no longer resolves: plan the run again")
            }
            return l
        }
        switch task.stage {
        case .features:
            guard let part = task.part else { throw DiagnosisError("features task \(task.index) names no scene range: plan the run again") }
            let sources = try ScenePairs.sources(plan.options)
            _ = try clock.timed("features") {
                try ScenePairs.extract(part, inputs, source: part == .test ? sources.test : sources.train, scenes: task.scenes)
            }

        case .translators:
            // Only the task's own layer: an imported network's eight layers would take gigabytes.
            let pairs = try clock.timed("features") { try ScenePairs.load(inputs, layers: layer.map { [$0] } ?? [], shardScenes: plan.shardScenes) }
            guard let job = try TrainedTranslators.jobs(inputs, pairs, layers: layer.map { [$0] } ?? []).first(where: { $0.name == task.job }) else {
                throw DiagnosisError("the plan's translator \(task.job ?? "?") is not one this run trains: plan the run again")
            }
            let cache = TrainedTranslators.cache(inputs, data: pairs.trainSource.dataIdentity)
            _ = try clock.timed("translators") { try TranslatorJobs.runAsInARun(job, train: cache.trained) }

        case .evaluation:
            guard let layer, let index = inputs.layers.firstIndex(where: { $0.name == layer.name }) else {
                throw DiagnosisError("evaluation task \(task.index) names no layer: plan the run again")
            }
            let pairs = try clock.timed("features") { try ScenePairs.load(inputs, layers: [layer], shardScenes: plan.shardScenes) }
            let translators = try TrainedTranslators.train(inputs, pairs, clock: clock, layers: [layer])
            let context = try DiagnosisPipeline.evaluationContext(inputs, pairs, translators, clock: clock)
            try folder.prepareStaging(subfolders: ["translators"])
            var published = false
            defer { if !published { folder.discardStaging() } }
            let o = plan.options, d = inputs.autoencoder.latentDim, sheet = context.sheetInputs.count
            var rng = LayerSampling.generator(o, layerAt: index, codeDimension: d, sheetInputs: sheet)
            let before = LayerSampling.fingerprint(rng)
            let report = try LayerReport.measure(layer, try translators.layer(layer.name), in: context, rng: &rng)
            let after = LayerSampling.fingerprint(rng)
            guard after == LayerSampling.fingerprint(LayerSampling.generator(o, layerAt: index + 1, codeDimension: d, sheetInputs: sheet)) else {
                throw DiagnosisError("layer \(layer.name) drew another number of normals than LayerSampling.normalsPerLayer counts, so "
                                     + "the next layer's task would not start where a single-process run does: this is a bug, please report it")
            }
            try EvaluatedLayer.write(report, samplerBefore: before, samplerAfter: after, to: folder.staging)
            try folder.publish()
            published = true
        }
    }
}
