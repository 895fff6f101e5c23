import ArgumentParser
import Diagnosis
import Foundation

/// `diagnose plan [run options] --run DIR`: the run as tasks on a shared folder (docs/scale.md).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write a run as a plan of tasks (RUN/plan.json) for `diagnose task`, `submit` and `assemble`.",
        discussion: """
            Takes the options of `diagnose run`. Features and translators are cached in RUN/cache unless \
            --cache-dir says otherwise; the report goes to --out (default RUN/report). Planning the same run \
            again changes nothing; a plan of other settings is replaced only with --force.
            """)

    @OptionGroup var arguments: RunArguments
    @Option(name: .customLong("run"), help: "The run folder, on a file system every node sees.") var runFolder: String
    @Option(help: "Report folder (default: RUN/report).") var out: String?
    @Option(name: .customLong("shard-scenes"), help: "Scenes per features task (rounded down to whole extraction batches).")
    var shardScenes = RunPlan.defaultShardScenes
    @Flag(help: "Replace a plan of other settings in RUN (its records and evaluations; caches stay).") var force = false

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder).standardizedFileURL
        let o = try arguments.options(out: out.map { URL(fileURLWithPath: $0) } ?? folder.appendingPathComponent("report"), force: false,
                                      defaultCache: folder.appendingPathComponent("cache"))
        let (plan, unchanged) = try RunPlan.create(o, run: folder, shardScenes: shardScenes, force: force)
        print(unchanged ? "\(folder.path)/plan.json is already this plan" : "wrote \(folder.path)/plan.json")
        for stage in PlanTask.Stage.allCases {
            let tasks = plan.tasks(of: stage)
            print("  \(stage.rawValue): tasks \(tasks.map { String($0.index) }.joined(separator: ",")) (\(tasks.map(\.name).joined(separator: ", ")))")
        }
        print("next: `diagnose submit \(folder.path)` on a Slurm cluster, or `diagnose task \(folder.path) --index N` for each task, "
              + "then `diagnose assemble \(folder.path)`")
    }
}
