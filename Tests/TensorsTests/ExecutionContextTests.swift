import Foundation
import XCTest
@testable import Tensors

/// A context is bound for a scope, on one thread, and handed to the workers of `Parallel` with
/// one worker each.
final class ExecutionContextTests: XCTestCase {
    private struct Failed: Error {}

    /// Throws from inside `context`.
    private func failing(_ context: ExecutionContext) throws {
        try context.run { throw Failed() }
    }

    /// What another thread read.
    private final class Reading: @unchecked Sendable { var value = 0 }

    /// `run` binds its context for the body only: nested scopes see the innermost, and the outer
    /// one is bound again when the body returns or throws.
    func testRunBindsForItsScopeAndRestoresOnThrow() {
        let standard = ExecutionContext.current
        XCTAssertEqual(standard.groupColumns, ExecutionContext.standard.groupColumns)
        standard.with(\.groupColumns, 7).run {
            XCTAssertEqual(ExecutionContext.current.groupColumns, 7)
            ExecutionContext.current.with(\.keptColumnLimit, 0).run {
                XCTAssertEqual(ExecutionContext.current.groupColumns, 7)
                XCTAssertEqual(ExecutionContext.current.keptColumnLimit, 0)
            }
            XCTAssertEqual(ExecutionContext.current.keptColumnLimit, standard.keptColumnLimit)
            XCTAssertNil(try? failing(ExecutionContext.current.with(\.groupColumns, 9)))
            XCTAssertEqual(ExecutionContext.current.groupColumns, 7)
        }
        XCTAssertEqual(ExecutionContext.current.groupColumns, standard.groupColumns)
    }

    /// Jobs and chunks run with the caller's context and one worker; the caller's is unchanged.
    func testWorkersInheritTheCallersContextWithOneWorker() {
        let lock = NSLock()
        var seen: [(workers: Int, groupColumns: Int)] = []
        ExecutionContext.current.with(\.workers, 3).with(\.groupColumns, 5).run {
            Parallel.jobs(4) { _ in
                let context = ExecutionContext.current
                lock.withLock { seen.append((context.workers, context.groupColumns)) }
            }
            Parallel.chunks(3) { _, _ in
                let context = ExecutionContext.current
                lock.withLock { seen.append((context.workers, context.groupColumns)) }
            }
            XCTAssertEqual(Parallel.workers, 3)
        }
        XCTAssertEqual(seen.count, 7)
        XCTAssertTrue(seen.allSatisfy { $0 == (1, 5) }, "\(seen)")
    }

    /// A context bound on one thread is not seen on another that does not inherit it.
    func testABindingIsPerThread() {
        let done = DispatchSemaphore(value: 0), other = Reading()
        ExecutionContext.current.with(\.groupColumns, 11).run {
            Thread.detachNewThread {
                other.value = ExecutionContext.current.groupColumns
                done.signal()
            }
            done.wait()
        }
        XCTAssertEqual(other.value, ExecutionContext.standard.groupColumns)
    }
}
