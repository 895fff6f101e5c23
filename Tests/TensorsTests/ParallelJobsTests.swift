import Foundation
import XCTest
@testable import Tensors

/// `Parallel.jobs` runs every job once, side by side, and one job's `withoutGradients` does not
/// switch off recording in the other (Autograd's flag is per thread).
final class ParallelJobsTests: XCTestCase {
    func testEveryJobRunsOnceAndRecordingIsPerThread() throws {
        guard Parallel.workers > 1 else { throw XCTSkip("needs two cores") }
        let lock = NSLock()
        var started = 0
        var runs = Array(repeating: 0, count: 2)
        var unrecorded = 0, leaked = 0
        let x = Tensor(shape: [4], scalars: [1, 2, 3, 4]).requiringGrad()
        Parallel.jobs(2) { j in
            // Both jobs start before either works, so the two loops below overlap in time.
            lock.lock(); started += 1; lock.unlock()
            while true { lock.lock(); let all = started == 2; lock.unlock(); if all { break } }
            var missing = 0, recorded = 0
            let end = Date().addingTimeInterval(0.05)
            while Date() < end {
                if j == 0 {
                    Autograd.withoutGradients { if (x * 2).requiresGrad { recorded += 1 } }
                } else if !(x * 2).requiresGrad {
                    missing += 1
                }
            }
            lock.lock(); defer { lock.unlock() }
            runs[j] += 1
            unrecorded += missing
            leaked += recorded
        }
        XCTAssertEqual(runs, [1, 1])
        XCTAssertEqual(unrecorded, 0, "the training job must record while the other evaluates")
        XCTAssertEqual(leaked, 0, "the evaluating job must never record")
        XCTAssertEqual(Parallel.workers, ExecutionContext.standard.workers, "the jobs' one-worker context ends with them")
        XCTAssertTrue(Autograd.isRecording)
    }

    /// `Parallel.results` hands back the results in job order, runs every job even when some
    /// throw, and then rethrows the error of the first job in job order, whichever ended first.
    func testResultsComeInJobOrderAndTheFirstJobsErrorIsRethrown() throws {
        struct Failed: Error, Equatable { let job: Int }
        for count in [1, 2, 3] {
            XCTAssertEqual(try onWorkers(count) { try Parallel.results(7) { $0 * $0 } }, [0, 1, 4, 9, 16, 25, 36])
            let lock = NSLock()
            var ran = Set<Int>()
            XCTAssertThrowsError(try onWorkers(count) {
                try Parallel.results(6) { j -> Int in
                    lock.withLock { _ = ran.insert(j) }
                    // Job 4 fails at once; job 1 fails later, so with two workers it ends after job 4.
                    if j == 4 { throw Failed(job: 4) }
                    if j == 1 { Thread.sleep(forTimeInterval: 0.02); throw Failed(job: 1) }
                    return j
                }
            }) { XCTAssertEqual($0 as? Failed, Failed(job: 1), "\(count) workers") }
            XCTAssertEqual(ran, Set(0..<6), "\(count) workers")
        }
    }
}
