import ArgumentParser
import Diagnosis
import Foundation

/// `diagnose task RUN --index N`: one task of a plan (what each Slurm array element runs).
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Do one task of a plan; a task already done is skipped.",
        discussion: "Tasks and their indices: `diagnose status RUN`. A task refuses to start before the tasks it reads from are done.")

    @Argument(help: "The run folder (holding plan.json).") var runFolder: String
    @Option(help: "The task's index in the plan.") var index: Int

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder).standardizedFileURL
        let start = Date()
        let outcome = try PlanTaskRunner.run(folder, index: index)
        let name = try RunPlan.load(folder).task(index, in: folder).name
        switch outcome {
        case .skipped: print("task \(index) (\(name)): already done, skipped")
        case .done: print(String(format: "task %d (%@): done in %.1f s", index, name, Date().timeIntervalSince(start)))
        }
    }
}
