import Tensors

/// Runs `body` on one contiguous part of 0..<count per worker: the planes of an image batch, the
/// rows of a padded tensor. Parts are independent, so the result does not depend on the split.
func forEachWorkerRange(_ count: Int, _ body: (Range<Int>) -> Void) {
    let workers = max(1, min(Parallel.workers, count))
    Parallel.jobs(workers) { worker in body((count * worker / workers)..<(count * (worker + 1) / workers)) }
}
