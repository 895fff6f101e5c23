import ArgumentParser
import Diagnosis
import Foundation

/// `diagnose status RUN`: each task of a plan done, running, failed or pending.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show which tasks of a plan are done, running, failed or pending.",
        discussion: """
            Read from the tasks' outputs and records in RUN/tasks. A task that started and whose process is gone \
            without finishing (killed, cancelled, out of time) is failed; squeue is asked about tasks on other hosts.
            """)

    @Argument(help: "The run folder (holding plan.json).") var runFolder: String

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder).standardizedFileURL
        let plan = try RunPlan.load(folder)
        let progress = PlanProgress(plan, run: folder)
        var counts: [PlanProgress.State: Int] = [:]
        for task in plan.tasks {
            let (state, detail) = progress.state(task)
            counts[state, default: 0] += 1
            let name = task.name.padding(toLength: 24, withPad: " ", startingAt: 0)
            let stage = task.stage.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
            print(String(format: "%3d  ", task.index) + "\(stage)\(name)\(state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))\(detail)")
        }
        print(PlanProgress.State.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
              + " of \(plan.tasks.count) tasks")
        if counts[.failed, default: 0] > 0 {
            print("rerun the failed ones: `diagnose submit \(folder.path)` (only what is not done is submitted) or `diagnose task \(folder.path) --index N`")
        } else if counts[.done] == plan.tasks.count {
            print("every task is done: `diagnose assemble \(folder.path)`")
        }
    }
}
