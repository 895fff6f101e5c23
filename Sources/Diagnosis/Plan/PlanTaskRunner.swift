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
            throw DiagnosisError("the weights or preprocessing of \(o.expert) changed since the run was planned (identity "
                                 + "\(inputs.expert.identity), planned \(plan.expertIdentity)): restore them, or plan the run again "
                                 + "in a new folder")
        }
        return inputs
    }

    /// The task, carried out by the run's one driver with the run folder between tasks. An
    /// evaluation task publishes into its own folder of the run (`StoredEvaluation.folder`).
    static func perform(_ task: PlanTask, _ plan: RunPlan, run: URL, clock: StageClock) throws {
        let seed = plan.options.translatorRepeat(task.translatorRepeat ?? 0).translatorSeed
        let folder = try ReportFolder(run.appendingPathComponent(StoredEvaluation.folder(task.layer ?? task.name, seed: seed)), force: true,
                                      marker: StoredEvaluation.resultFile)
        let inputs = try inputs(plan.options, of: plan, folder: folder)
        try RunExecution(plan, inputs: inputs, clock: clock, evaluations: .runFolder(run)).perform(task)
    }
}
