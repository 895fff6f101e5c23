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
        // The engine's workers are bound for the workloads; OpenBLAS's thread count is the
        // library's own, process-wide, and restored afterwards.
        let blasBefore = OpenBLASRuntime.threads
        defer { OpenBLASRuntime.threads = blasBefore }
        OpenBLASRuntime.threads = threads
        return try ExecutionContext.current.with(\.workers, threads).run {
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
}
