@testable import Tensors

/// `body`'s result computed with `workers` cores in the calling thread's context.
func onWorkers<R>(_ workers: Int, _ body: () throws -> R) rethrows -> R {
    try ExecutionContext.current.with(\.workers, workers).run(body)
}
