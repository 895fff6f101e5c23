import Foundation

/// Where each task of a plan stands, read from its outputs and records (`TaskRecord`): done
/// (record and every output present), running, failed (an error, or a process that is gone
/// without finishing: killed, cancelled, out of time or memory) or pending (not started).
public struct PlanProgress {
    public enum State: String, CaseIterable { case done, running, failed, pending }

    public let plan: RunPlan
    public let run: URL

    public init(_ plan: RunPlan, run: URL) { (self.plan, self.run) = (plan, run) }

    public func isDone(_ task: PlanTask) -> Bool {
        guard TaskRecord.read(task.name, .done, in: run) != nil else { return false }
        return task.outputs.allSatisfy { FileManager.default.fileExists(atPath: RunPlan.url($0, in: run).path) }
    }

    /// The task's state and a few words on it (host, seconds, error).
    public func state(_ task: PlanTask) -> (state: State, detail: String) {
        if isDone(task), let done = TaskRecord.read(task.name, .done, in: run) {
            return (.done, String(format: "%.1f s on %@", done.seconds?["total"] ?? 0, done.host))
        }
        guard let started = TaskRecord.read(task.name, .started, in: run) else { return (.pending, "") }
        if let failed = TaskRecord.read(task.name, .failed, in: run), failed.started >= started.started {
            return (.failed, failed.error ?? "failed")
        }
        if TaskRecord.read(task.name, .done, in: run) != nil {
            return (.failed, "its record says done but an output is missing: run the task again")
        }
        let place = "pid \(started.pid) on \(started.host)" + (started.slurmJob.map { ", Slurm job \($0)" } ?? "")
        if started.host == TaskRecord.hostName {
            return Self.isAlive(started.pid) ? (.running, place) : (.failed, "killed: \(place) ended without finishing")
        }
        if let job = started.slurmJob, let queued = Self.squeueState(job) {
            return queued.isEmpty ? (.failed, "killed: \(place) is no longer in the queue") : (.running, "\(place) \(queued)")
        }
        return (.running, "\(place) (cannot check from here)")
    }

    /// Task counts per state.
    public var counts: [State: Int] {
        var c: [State: Int] = [:]
        for t in plan.tasks { c[state(t).state, default: 0] += 1 }
        return c
    }

    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// The job's state from squeue ("" if it is not in the queue), or nil without a reachable squeue.
    static func squeueState(_ job: String) -> String? {
        guard let squeue = Shell.find("squeue"),
              let r = try? Shell.run(squeue, ["-h", "-j", job, "-o", "%T"]), r.status == 0 else { return nil }
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
