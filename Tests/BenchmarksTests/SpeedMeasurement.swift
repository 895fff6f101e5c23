import Foundation
import XCTest
@testable import Benchmarks
@testable import Flows
import NN
import Tensors

/// Not a timed test: prints the `cinn_train_step` rate when FLOWS_MEASURE_SPEED=1 is set, to
/// compare with shared/bench/torch_reference.py in the same minute. Run in release:
///   FLOWS_MEASURE_SPEED=1 swift test -c release -Xswiftc -enable-testing --scratch-path .build-flows \
///     --filter BenchmarksTests.SpeedMeasurement
final class SpeedMeasurement: XCTestCase {
    func testCINNTrainStepRate() throws {
        guard ProcessInfo.processInfo.environment["FLOWS_MEASURE_SPEED"] == "1" else {
            throw XCTSkip("set FLOWS_MEASURE_SPEED=1 to measure")
        }
        let step = cinnTrainStepWorkload(seed: 0)
        for _ in 0..<3 { step() }
        let seconds = Double(ProcessInfo.processInfo.environment["FLOWS_MEASURE_SECONDS"] ?? "4") ?? 4
        var n = 0
        let start = Date(), cpuStart = Self.processCPUSeconds()
        while Date().timeIntervalSince(start) < seconds { step(); n += 1 }
        let rate = Double(n) / Date().timeIntervalSince(start)
        let cpu = (Self.processCPUSeconds() - cpuStart) / Double(n)
        print(String(format: "cinn_train_step: %.3f steps/s (batch 128), %.1f ms CPU per step", rate, cpu * 1000))
        XCTAssertGreaterThan(n, 0)
    }

    /// User + system CPU time of the process (all threads): less sensitive than wall time to other
    /// work on a shared machine.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Where a step goes (FLOWS_BREAKDOWN=1): embedder forward, flow forward, backward, Adam.
    func testCINNTrainStepBreakdown() throws {
        guard ProcessInfo.processInfo.environment["FLOWS_BREAKDOWN"] == "1" else { throw XCTSkip("set FLOWS_BREAKDOWN=1") }
        let model = try ConditionalFlow(configuration: FlowConfiguration(scaleClamp: 1), embedder: .benchmarkReference)
        var rng = Xoshiro256(seed: 1)
        let z = Tensor.normal([128, 64], rng: &rng), f = Tensor.normal([128, 64, 8, 8], rng: &rng)
        model.embedder.standardizer.fit(f)
        let opt = Adam(model.trainableParameters, learningRate: 1e-4, betas: (0.5, 0.9), amsgrad: true)
        var te = 0.0, tf = 0.0, tb = 0.0, ta = 0.0
        for i in 0..<30 {
            let t0 = Date()
            let c = model.embed(f)
            let t1 = Date()
            var t2 = Date()
            do {  // the graph must be gone before the update (see TranslatorTrainer.lossAndGradients)
                let (v, ld) = model.flow.forward(z, condition: c)
                let loss = (v.squared().sum(axes: [1]) * 0.5 - ld).mean()
                t2 = Date()
                loss.backward()
            }
            let t3 = Date()
            opt.step(); opt.zeroGrad()
            let t4 = Date()
            if i >= 5 { te += t1.timeIntervalSince(t0); tf += t2.timeIntervalSince(t1); tb += t3.timeIntervalSince(t2); ta += t4.timeIntervalSince(t3) }
        }
        XCTAssertGreaterThan(ta, 0)
        print(String(format: "per step ms: embed fwd %.1f, flow fwd %.1f, backward %.1f, adam %.1f", te * 40, tf * 40, tb * 40, ta * 40))
    }
}
