import ArgumentParser
import Diagnosis
import Foundation

/// `diagnose submit RUN --scheduler slurm`: the plan's tasks as Slurm job arrays (docs/scale.md).
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit the tasks of a plan that are not done as Slurm job arrays, then the report job.",
        discussion: """
            Writes RUN/slurm/{features,translators,evaluation,report}.sbatch and submits them with sbatch, each array \
            waiting for the ones before it (afterok); logs go to RUN/slurm/logs. Run it again after a failure: only the \
            tasks that are not done are submitted. The jobs run this diagnose binary, so it must be at the same path \
            on the compute nodes, and RUN on a file system they share.
            """)

    enum Scheduler: String, ExpressibleByArgument { case slurm }

    @Argument(help: "The run folder holding plan.json (see `diagnose plan`); or give --run and the run's options to plan and submit in one step.")
    var runFolder: String?
    @Option(name: .customLong("run"), help: "Plan the run given by the other options into this folder (as `diagnose plan` does), then submit it.")
    var planFolder: String?
    @OptionGroup var arguments: RunArguments
    @Option(help: "The scheduler (slurm).") var scheduler: Scheduler = .slurm
    @Option(help: "Slurm partition.") var partition: String?
    @Option(help: "Time limit of each job (Slurm's --time, e.g. 2:00:00).") var time: String?
    @Option(name: .customLong("cpus-per-task"), help: "Cores per task.") var cpusPerTask: Int?
    @Option(help: "Memory per task (Slurm's --mem, e.g. 8G).") var mem: String?
    @Option(name: .customLong("sbatch"), parsing: .unconditionalSingleValue, help: "A further sbatch option, e.g. --sbatch=--account=lab (repeatable).")
    var sbatch: [String] = []
    @Option(help: "Report folder (default: the plan's).") var out: String?
    @Option(name: .customLong("shard-scenes"), help: "With --run: scenes per features task (rounded down to whole extraction batches).")
    var shardScenes = RunPlan.defaultShardScenes
    @Flag(name: .customLong("dry-run"), help: "Print the scripts and sbatch commands without submitting.") var dryRun = false

    func validate() throws {
        guard (runFolder == nil) != (planFolder == nil) else {
            throw ValidationError("give either a planned run folder (`diagnose submit RUN`) or --run DIR with the run's options, not both or neither")
        }
        if let cpusPerTask, !(1...1024).contains(cpusPerTask) { throw ValidationError("--cpus-per-task \(cpusPerTask) is out of range: use 1...1024") }
        for arg in sbatch where !arg.hasPrefix("-") || arg.contains("\n") {
            throw ValidationError("--sbatch \(arg): give one sbatch option per --sbatch, starting with '-', e.g. --sbatch=--account=lab")
        }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder ?? planFolder!).standardizedFileURL
        let plan: RunPlan
        if planFolder != nil {
            // One command: plan (idempotent: the same plan again changes nothing), then submit.
            let o = try arguments.options(out: out.map { URL(fileURLWithPath: $0) } ?? folder.appendingPathComponent("report"), force: false,
                                          defaultCache: folder.appendingPathComponent("cache"))
            let (made, unchanged) = try RunPlan.create(o, run: folder, shardScenes: shardScenes, force: false)
            print(unchanged ? "\(folder.path)/plan.json is already this plan" : "wrote \(folder.path)/plan.json")
            plan = made
        } else {
            plan = try RunPlan.load(folder)
        }
        var submission = SlurmSubmission(executable: Self.executable)
        (submission.partition, submission.time, submission.cpusPerTask, submission.mem) = (partition, time, cpusPerTask, mem)
        submission.extra = sbatch
        submission.out = out.map { URL(fileURLWithPath: $0) }
        if dryRun {
            let scripts = submission.scripts(plan, run: folder)
            for s in scripts { print("# \(folder.path)/slurm/\(s.name).sbatch\n\(s.text)") }
            print("# submitted as:")
            for c in SlurmSubmission.commands(scripts, run: folder) { print(c) }
            return
        }
        for (script, job) in try submission.submit(plan, run: folder) {
            let what = script.indices.isEmpty ? "report" : "\(script.name) array of \(script.indices.count) (tasks \(script.indices.map(String.init).joined(separator: ",")))"
            print("submitted \(what): job \(job)")
        }
        print("progress: `diagnose status \(folder.path)`")
    }

    /// This binary, as the jobs must call it.
    static var executable: URL {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return URL(fileURLWithPath: path) }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}
