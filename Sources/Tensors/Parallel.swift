import Dispatch
import Foundation

/// Splits batch loops across the machine's cores, each worker with single-threaded OpenBLAS
/// products: many medium products side by side beat one product split across threads.
public enum Parallel {
    /// Cores the engine uses (all by default; the benchmark's --threads sets it).
    nonisolated(unsafe) public static var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// True while workers run (set and cleared on the calling thread around the dispatch).
    nonisolated(unsafe) static var isInside = false

    /// Calls `body(worker, range)` for contiguous chunks of 0..<count, one chunk per worker.
    static func chunks(_ count: Int, minimumPerWorker: Int = 1, _ body: (Int, Range<Int>) -> Void) {
        let w = max(1, min(workers, count / max(minimumPerWorker, 1)))
        if w == 1 || isInside { body(0, 0..<count); return }
        isInside = true
        defer { isInside = false }
        DispatchQueue.concurrentPerform(iterations: w) { i in
            body(i, (count * i / w)..<(count * (i + 1) / w))
        }
    }
}
