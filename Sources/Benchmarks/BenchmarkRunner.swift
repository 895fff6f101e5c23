import Foundation
import Tensors

/// Runs selected workloads one after another and collects the report.
public enum BenchmarkRunner {
    /// - Parameters:
    ///   - seconds: timed duration per workload (4 by default, 1 with --quick, as the reference).
    ///   - threads: cores for the engine and OpenBLAS (the reference pins torch to the same count).
    ///   - progress: one line per workload, for standard error.
    public static func run(_ workloads: [Workload], seconds: Double, threads: Int,
                           progress: (String) -> Void = { _ in }) throws -> BenchmarkReport {
        // Restored afterwards: the engine's thread counts are process-wide.
        let (blasBefore, workersBefore) = (OpenBLASRuntime.threads, Parallel.workers)
        defer { (OpenBLASRuntime.threads, Parallel.workers) = (blasBefore, workersBefore) }
        OpenBLASRuntime.threads = threads
        Parallel.workers = threads
        var report = BenchmarkReport(threads: threads, corename: OpenBLASRuntime.coreName)
        for workload in workloads {
            let step: () -> Void
            do {
                step = try workload.setup()
            } catch {
                throw BenchmarkError.setupFailed(workload: workload.name, reason: "\(error)")
            }
            let (rate, steps) = BenchmarkTimer.stepsPerSecond(seconds: seconds, warmup: workload.warmup, step)
            let value = rate * workload.workPerStep
            report.record(workload.name, value: value, unit: workload.unit)
            progress("\(workload.name): \(steps) steps, \(String(format: "%.3f", value)) \(workload.unit)")
        }
        return report
    }
}
