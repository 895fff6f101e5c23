import COpenBLAS
import Dispatch
import Foundation

/// Splits batch loops across the machine's cores. Inside, OpenBLAS runs single-threaded:
/// many medium products side by side beat one product split across threads at these sizes.
public enum Parallel {
    public static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body(worker, range)` for contiguous chunks of 0..<count, one chunk per worker.
    static func chunks(_ count: Int, minimumPerWorker: Int = 1, _ body: (Int, Range<Int>) -> Void) {
        let w = max(1, min(workers, count / max(minimumPerWorker, 1)))
        if w == 1 { body(0, 0..<count); return }
        let saved = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(saved) }
        DispatchQueue.concurrentPerform(iterations: w) { i in
            body(i, (count * i / w)..<(count * (i + 1) / w))
        }
    }
}
