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
        // Names hold layer names, which an imported network makes long: the column fits the longest.
        let nameWidth = (plan.tasks.map(\.name.count).max() ?? 0) + 2
        func column(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count + 1), withPad: " ", startingAt: 0) }
        for task in plan.tasks {
            let (state, detail) = progress.state(task)
            counts[state, default: 0] += 1
            print(String(format: "%3d  ", task.index) + column(task.stage.rawValue, 12) + column(task.name, nameWidth)
                  + column(state.rawValue, 9) + detail)
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
