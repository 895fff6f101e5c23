import Foundation
import XCTest
@testable import Flows
import Tensors

/// Not a timed test: prints the `cinn_train_step` rate when FLOWS_MEASURE_SPEED=1 is set, to
/// compare with shared/bench/torch_reference.py in the same minute. Run in release:
///   FLOWS_MEASURE_SPEED=1 swift test -c release -Xswiftc -enable-testing --scratch-path .build-flows \
///     --filter FlowsTests.SpeedMeasurement
final class SpeedMeasurement: XCTestCase {
    func testCINNTrainStepRate() throws {
        guard ProcessInfo.processInfo.environment["FLOWS_MEASURE_SPEED"] == "1" else {
            throw XCTSkip("set FLOWS_MEASURE_SPEED=1 to measure")
        }
        let step = cinnTrainStepWorkload(seed: 0)
        for _ in 0..<3 { step() }
        let seconds = Double(ProcessInfo.processInfo.environment["FLOWS_MEASURE_SECONDS"] ?? "4") ?? 4
        var n = 0
        let start = Date()
        while Date().timeIntervalSince(start) < seconds { step(); n += 1 }
        let rate = Double(n) / Date().timeIntervalSince(start)
        print(String(format: "cinn_train_step: %.3f steps/s (batch 128)", rate))
        XCTAssertGreaterThan(n, 0)
    }
}
