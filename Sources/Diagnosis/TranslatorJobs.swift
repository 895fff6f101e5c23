import Flows
import Foundation
import Progress
import Tensors

/// One translator to train, or to load from the cache.
struct TranslatorJob {
    let name: String
    let steps: Int
    let make: () throws -> any Translator
    let training: TranslationPairs
    let heldOut: TranslationPairs
}

/// Trains the translators of a run side by side, one per core (`Parallel.results`), under one
/// progress bar over all their steps. Each job is deterministic on its own, so the results do
/// not depend on which core ran it or in which order the jobs finished.
enum TranslatorJobs {
    /// `train(job, report)` trains one job, calling `report(step, status)` as it goes, and returns
    /// the model and its best step. Results come back in the jobs' order; the first error is thrown.
    static func run(_ jobs: [TranslatorJob],
                    train: (TranslatorJob, _ report: @escaping (Int, String) -> Void) throws -> (model: any Translator, bestStep: Int))
        throws -> [(model: any Translator, bestStep: Int)] {
        let lock = NSLock()
        let bar = ProgressBar("train translators", total: jobs.reduce(0) { $0 + $1.steps }, unit: "steps")
        defer { bar.finish() }
        var done = Array(repeating: 0, count: jobs.count)
        return try Parallel.results(jobs.count) { j in
            let job = jobs[j]
            let outcome = Result { try train(job) { step, status in
                lock.lock(); defer { lock.unlock() }
                done[j] = step
                bar.update(done.reduce(0, +), status: "\(job.name): \(status)")
            } }
            lock.lock(); defer { lock.unlock() }
            done[j] = job.steps
            switch outcome {
            case .success(let r): bar.note("\(job.name): best step \(r.bestStep) of \(job.steps)")
            case .failure(let e): bar.note("\(job.name): failed: \(e)")
            }
            return try outcome.get()
        }
    }
}

extension TranslatorJobs {
    /// Trains one job as `run` trains each of a run's: on one worker with everything inside single-
    /// threaded (`Parallel.isInside`). Kernels sum in another order when they split across cores,
    /// so a translator trained alone at the top level would differ in its last bits from the run's.
    static func runAsInARun(_ job: TranslatorJob,
                            train: (TranslatorJob, _ report: @escaping (Int, String) -> Void) throws -> (model: any Translator, bestStep: Int))
        throws -> (model: any Translator, bestStep: Int) {
        let bar = ProgressBar("train \(job.name)", total: job.steps, unit: "steps")
        var outcome: Result<(model: any Translator, bestStep: Int), Error>?
        // Two jobs, the second empty, so that `Parallel.jobs` hands the first to a worker as it
        // does in a run (with one worker it runs inline, which is the same as inside).
        Parallel.jobs(2) { j in
            guard j == 0 else { return }
            outcome = Result { try train(job) { step, status in bar.update(step, status: status) } }
        }
        bar.finish()
        return try outcome!.get()
    }
}
