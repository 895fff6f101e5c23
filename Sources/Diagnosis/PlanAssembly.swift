import Foundation
import Metrics
import Report

/// `diagnose assemble RUN --out REPORT`: the report of a plan whose tasks are all done, built as
/// `DiagnosisPipeline.run` builds it from the tasks' evaluations, and published the same way.
/// Its report.json is the single-process run's, bit for bit, but for `timings_seconds`: there each
/// stage is the sum over the tasks (and this process), and "total" the sum of their totals.
public enum PlanAssembly {
    public static func assemble(_ run: URL, out: URL?, force: Bool) throws -> (result: DiagnosisResult, folder: URL) {
        let plan = try RunPlan.load(run)
        let progress = PlanProgress(plan, run: run)
        let missing = plan.tasks.filter { !progress.isDone($0) }
        guard missing.isEmpty else {
            let list = missing.prefix(8).map { t -> String in
                let (state, detail) = progress.state(t)
                return "\(t.index) \(t.name) (\(state.rawValue)\(detail.isEmpty ? "" : ": \(detail)"))"
            }.joined(separator: "; ")
            throw DiagnosisError("\(missing.count) of \(plan.tasks.count) tasks are not done: \(list)\(missing.count > 8 ? "; …" : ""). "
                                 + "Run them (`diagnose task \(run.path) --index N`, or `diagnose submit \(run.path)` again), then assemble")
        }
        var o = plan.options
        if let out { o.output = out }
        o.force = force
        let clock = StageClock()
        for task in plan.tasks { clock.add(TaskRecord.read(task.name, .done, in: run)?.seconds ?? [:]) }
        let inputs = try PlanTaskRunner.inputs(o, of: plan, folder: try ReportFolder(o.output, force: o.force))
        try inputs.folder.prepareStaging(subfolders: ["translators"])
        var succeeded = false
        defer { if !succeeded { inputs.folder.discardStaging() } }

        let pairs = try clock.timed("features") { try ScenePairs.load(inputs, shardScenes: plan.shardScenes) }
        let translators = try TrainedTranslators.train(inputs, pairs, clock: clock)
        let context = try DiagnosisPipeline.evaluationContext(inputs, pairs, translators, clock: clock)
        try DiagnosisPipeline.saveUnconditional(translators, in: inputs.folder)
        var layers: [LayerReport] = []
        var sampler = LayerSampling.fingerprint(LayerSampling.generator(o))
        for layer in inputs.layers {
            let folder = run.appendingPathComponent(EvaluatedLayer.folder(layer.name))
            let (report, evaluated) = try EvaluatedLayer.read(from: folder, sheetInputs: context.sheetInputs.count, samples: o.samples)
            // Each layer must have started where the one before it stopped, as in one process.
            guard evaluated.samplerBefore == sampler else {
                throw DiagnosisError("\(folder.path) was sampled from another generator state than the run's: delete it and run "
                                     + "its evaluation task again")
            }
            sampler = evaluated.samplerAfter
            for file in try EvaluatedLayer.reportFiles(in: folder) {
                try FileManager.default.copyItem(at: folder.appendingPathComponent(file), to: inputs.folder.staging.appendingPathComponent(file))
            }
            layers.append(report)
        }
        try clock.timed("figures") { try DiagnosisPipeline.writeFigures(context, translators: translators, layers: layers) }
        let result = DiagnosisPipeline.assemble(context, translators: translators, layers: layers,
                                                unconditionalNLL: SampleStatistics.mean(context.unconditionalPerScene))
        try clock.timed("report") { try ReportWriter.write(result, to: inputs.folder.staging) }
        try inputs.folder.publish()
        succeeded = true
        return (result, inputs.folder.url)
    }
}
