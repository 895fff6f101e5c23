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
        XCTAssertFalse(Parallel.isInside)
        XCTAssertTrue(Autograd.isRecording)
    }
}
