import FileSupport
import Foundation
import Imaging

/// `diagnose submit RUN --scheduler slurm`: the plan's tasks that are not done as Slurm job arrays
/// on the shared run folder, one array per stage, each waiting for the arrays before it
/// (`afterok`), then the job that assembles the report. The array indices are the plan's task
/// indices, so `diagnose task RUN --index $SLURM_ARRAY_TASK_ID` is each element's whole work.
/// Resubmitting after a failure submits only what is not done: nothing done is recomputed.
public struct SlurmSubmission {
    public var partition: String?
    public var time: String?
    public var cpusPerTask: Int?
    public var mem: String?
    /// Further sbatch options, each written as an `#SBATCH` line (e.g. `--account=lab`).
    public var extra: [String] = []
    /// The report folder (default: the plan's --out).
    public var out: URL?
    /// The diagnose binary the jobs run: it must be visible at this path on the compute nodes.
    public var executable: URL

    public init(executable: URL) { self.executable = executable }

    /// One batch script: a stage's array, or the report job (no indices).
    public struct Script {
        public let name: String
        public let indices: [Int]
        public let text: String
    }

    static let folder = "slurm"
    static let submittedFile = "slurm/submitted.json"

    /// The scripts for what is not done yet, in submission order.
    public func scripts(_ plan: RunPlan, run: URL) -> [Script] {
        let progress = PlanProgress(plan, run: run)
        var scripts: [Script] = []
        for stage in PlanTask.Stage.allCases {
            let indices = plan.tasks(of: stage).filter { !progress.isDone($0) }.map(\.index)
            guard !indices.isEmpty else { continue }
            scripts.append(Script(name: stage.rawValue, indices: indices, text: script(
                name: stage.rawValue, array: Self.arraySpec(indices), log: "\(stage.rawValue)-%A_%a.out", run: run,
                command: [executable.path, "task", run.path, "--index"], last: "\"$SLURM_ARRAY_TASK_ID\"")))
        }
        let report = (out ?? plan.options.output).standardizedFileURL
        scripts.append(Script(name: "report", indices: [], text: script(
            name: "report", array: nil, log: "report-%j.out", run: run,
            command: [executable.path, "assemble", run.path, "--out", report.path, "--force"], last: nil)))
        return scripts
    }

    func script(name: String, array: String?, log: String, run: URL, command: [String], last: String?) -> String {
        var lines = ["#!/bin/bash",
                     "# Written by `diagnose submit` for the run in \(run.path) (docs/scale.md).",
                     "#SBATCH --job-name=diagnose-\(name)"]
        if let array { lines.append("#SBATCH --array=\(array)") }
        lines.append("#SBATCH --output=\(run.appendingPathComponent("\(Self.folder)/logs/\(log)").path)")
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        if let mem { lines.append("#SBATCH --mem=\(mem)") }
        lines += extra.map { "#SBATCH \($0)" }
        lines += ["set -eu", "exec " + (command.map(Self.quoted) + (last.map { [$0] } ?? [])).joined(separator: " "), ""]
        return lines.joined(separator: "\n")
    }

    /// `3-7,9`: the indices as Slurm's --array wants them.
    static func arraySpec(_ indices: [Int]) -> String {
        var parts: [String] = [], i = 0
        let sorted = indices.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The sbatch command of each script, each waiting for every job submitted before it.
    public static func commands(_ scripts: [Script], run: URL, ids: [String]? = nil) -> [String] {
        scripts.enumerated().map { i, s in
            let earlier = (0..<i).map { ids?[$0] ?? "$\(scripts[$0].name.uppercased())_JOB" }
            return "sbatch --parsable" + (earlier.isEmpty ? "" : " --dependency=afterok:\(earlier.joined(separator: ":"))")
                + " --kill-on-invalid-dep=yes " + quoted(run.appendingPathComponent("\(folder)/\(s.name).sbatch").path)
        }
    }

    /// Writes the scripts into RUN/slurm/ and submits them; returns the job ids in order.
    public func submit(_ plan: RunPlan, run: URL) throws -> [(script: Script, job: String)] {
        guard let sbatch = Shell.find("sbatch") else {
            throw DiagnosisError("sbatch is not on PATH: run `diagnose submit` on a Slurm login node, or see the scripts with --dry-run")
        }
        let still = Self.queuedJobs(run)
        guard still.isEmpty else {
            throw DiagnosisError("jobs \(still.joined(separator: ", ")) of an earlier submission of \(run.path) are still queued or running "
                                 + "(squeue): wait for them, or cancel them with scancel, before submitting again")
        }
        let running = plan.tasks.filter { PlanProgress(plan, run: run).state($0).state == .running }
        guard running.isEmpty else {
            throw DiagnosisError("tasks \(running.map { "\($0.index) (\($0.name))" }.joined(separator: ", ")) are running: "
                                 + "wait for them before submitting again (`diagnose status \(run.path)`)")
        }
        let scripts = scripts(plan, run: run)
        try FileManager.default.createDirectory(at: run.appendingPathComponent("\(Self.folder)/logs"), withIntermediateDirectories: true)
        for s in scripts {
            try AtomicFile.write(Array(s.text.utf8), to: run.appendingPathComponent("\(Self.folder)/\(s.name).sbatch").path)
        }
        var ids: [String] = []
        for (i, s) in scripts.enumerated() {
            var arguments = ["--parsable"]
            if i > 0 { arguments.append("--dependency=afterok:" + ids.joined(separator: ":")) }
            arguments += ["--kill-on-invalid-dep=yes", run.appendingPathComponent("\(Self.folder)/\(s.name).sbatch").path]
            let r = try Shell.run(sbatch, arguments)
            let id = r.output.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            guard r.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
                throw DiagnosisError("sbatch refused \(s.name).sbatch (exit \(r.status)): \(r.errors.trimmingCharacters(in: .whitespacesAndNewlines))"
                                     + (ids.isEmpty ? "" : "; jobs \(ids.joined(separator: ", ")) were submitted before it, cancel them with scancel"))
            }
            ids.append(id)
            try AtomicFile.write(Array(try RunPlan.encoder.encode(ids)), to: run.appendingPathComponent(Self.submittedFile).path)
        }
        return Array(zip(scripts, ids))
    }

    /// Jobs of the last submission that squeue still lists (none without squeue).
    static func queuedJobs(_ run: URL) -> [String] {
        guard let data = FileManager.default.contents(atPath: run.appendingPathComponent(submittedFile).path),
              let ids = try? JSONDecoder().decode([String].self, from: data) else { return [] }
        return ids.filter { (PlanProgress.squeueState($0) ?? "").isEmpty == false }
    }
}
