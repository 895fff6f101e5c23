import Experts
import FileSupport
import Foundation
import Imaging

/// What a task writes about itself in RUN/tasks/: `NAME.started.json` when it starts, then
/// `NAME.done.json` (its last write, after every output) or `NAME.failed.json` with the error.
/// `diagnose status` reads them; a task that started, wrote neither, and whose process is gone
/// was killed.
struct TaskRecord: Codable {
    enum Kind: String { case started, done, failed }

    var task: String
    var host: String
    var pid: Int32
    /// `SLURM_JOB_ID` of the array element that ran it, if any (for squeue).
    var slurmJob: String?
    var started: Date
    var finished: Date?
    /// Stage seconds of the task (StageClock, "total" included), summed into the report's timings.
    var seconds: [String: Double]?
    var error: String?

    static func path(_ task: String, _ kind: Kind) -> String { "tasks/\(FileNameComponent.safe(task)).\(kind.rawValue).json" }

    static func now(_ task: String) -> TaskRecord {
        let env = ProcessInfo.processInfo.environment
        return TaskRecord(task: task, host: hostName, pid: getpid(), slurmJob: env["SLURM_JOB_ID"], started: Date())
    }

    static var hostName: String { ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "?" }

    func write(_ kind: Kind, in run: URL) throws {
        let url = run.appendingPathComponent(Self.path(task, kind))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Array(try RunPlan.encoder.encode(self)), to: url.path)
    }

    static func read(_ task: String, _ kind: Kind, in run: URL) -> TaskRecord? {
        guard let data = FileManager.default.contents(atPath: run.appendingPathComponent(path(task, kind)).path) else { return nil }
        return try? RunPlan.decoder.decode(TaskRecord.self, from: data)
    }

    static func remove(_ task: String, _ kind: Kind, in run: URL) {
        try? FileManager.default.removeItem(at: run.appendingPathComponent(path(task, kind)))
    }
}
