import Flows
import Foundation
import Progress
import Tensors

/// One translator to train, or to load from the cache: its spec and the pairs the spec names.
struct TranslatorJob {
    let spec: TranslatorSpec
    let training: TranslationPairs
    let heldOut: TranslationPairs

    var name: String { spec.role.description }
    var steps: Int { spec.training.steps }
}

/// Trains the translators of a run side by side, one per core (`Parallel.results`), under one
/// progress bar over all their steps. Each job is deterministic on its own and runs on a worker
/// with everything inside it single-threaded (a context of one worker), also when it is the only job
/// (a plan's translator task): kernels that split across cores sum in another order, so a job
/// run at the top level would differ from the run's in its last bits.
enum TranslatorJobs {
    /// `train(job, report)` trains one job, calling `report(step, status)` as it goes, and returns
    /// the model and its best step. Results come back in the jobs' order; the first error is thrown.
    static func run(_ jobs: [TranslatorJob],
                    train: (TranslatorJob, _ report: @escaping (Int, String) -> Void) throws -> TrainedTranslator)
        throws -> [TrainedTranslator] {
        let lock = NSLock()
        let bar = ProgressBar(jobs.count == 1 ? "train \(jobs[0].name)" : "train translators", total: jobs.reduce(0) { $0 + $1.steps },
                              unit: "steps")
        defer { bar.finish() }
        var done = Array(repeating: 0, count: jobs.count)
        // At least two slots, so that a single job is handed to a worker as in a run (with one
        // worker it runs inline, which is the same as inside).
        return try Parallel.results(max(2, jobs.count)) { j -> TrainedTranslator? in
            guard j < jobs.count else { return nil }
            let job = jobs[j]
            let outcome = Result { try train(job) { step, status in
                lock.lock(); defer { lock.unlock() }
                done[j] = step
                bar.update(done.reduce(0, +), status: jobs.count == 1 ? status : "\(job.name): \(status)")
            } }
            lock.lock(); defer { lock.unlock() }
            done[j] = job.steps
            switch outcome {
            case .success(let r): bar.note("\(job.name): best step \(r.bestStep) of \(job.steps)")
            case .failure(let e): bar.note("\(job.name): failed: \(e)")
            }
            return try outcome.get()
        }.compactMap { $0 }
    }
}
