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
        let result = try RunExecution(plan, inputs: inputs, clock: clock, evaluations: .runFolder(run)).assemble()
        return (result, inputs.folder.url)
    }
}
