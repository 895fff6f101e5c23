import Foundation
import XCTest
@testable import Benchmarks
import Tensors

final class BenchmarksTests: XCTestCase {
    /// Names and units the reference script prints; ours must use the same strings.
    func testCatalogNamesAndUnitsMatchTheReference() throws {
        let sgemm = try XCTUnwrap(WorkloadCatalog.all.first { $0.name == "sgemm_512" })
        XCTAssertEqual(sgemm.unit, "GFLOP/s")
        XCTAssertEqual(sgemm.workPerStep, 2 * 512 * 512 * 512 / 1e9, accuracy: 1e-12)
        XCTAssertEqual(Set(WorkloadCatalog.all.map(\.name)).count, WorkloadCatalog.all.count, "names are unique")
    }

    func testSelectionUsesNamesAndPrefixes() throws {
        let table = ["conv_a_forward", "conv_a_forward_backward", "conv_b_forward", "sgemm_512"].map {
            Workload(name: $0, unit: "GFLOP/s", workPerStep: 1) { {} }
        }
        XCTAssertEqual(try WorkloadCatalog.select([], from: table).count, 4)
        XCTAssertEqual(try WorkloadCatalog.select(["conv_a"], from: table).map(\.name), ["conv_a_forward", "conv_a_forward_backward"])
        XCTAssertEqual(try WorkloadCatalog.select(["sgemm_512", "conv_b"], from: table).map(\.name), ["conv_b_forward", "sgemm_512"])
        XCTAssertThrowsError(try WorkloadCatalog.select(["sgem_512"], from: table)) { error in
            XCTAssertEqual(error as? BenchmarkError, .unknownWorkload("sgem_512", available: table.map(\.name)))
            XCTAssertTrue("\(error)".contains("sgemm_512"), "lists the available names")
        }
    }

    func testTimerWarmsUpThenRunsForTheGivenTime() {
        var calls = 0
        let (rate, steps) = BenchmarkTimer.stepsPerSecond(seconds: 0.05, warmup: 3) {
            calls += 1
            usleep(1000)
        }
        XCTAssertEqual(calls, steps + 3)
        XCTAssertGreaterThan(steps, 5)
        XCTAssertLessThan(rate, 1001, "each step sleeps 1 ms")
        XCTAssertGreaterThan(rate, 50)
    }

    func testSgemmComputesTheProduct() throws {
        // The timed operation must compute A·B (row-major), not just take time.
        let n = 7
        let (ta, tb) = Workload.sgemmInputs(size: n)
        let c = Workload.sgemmMultiply(ta, tb).scalars, a = ta.scalars, b = tb.scalars
        for i in 0..<n {
            for j in 0..<n {
                let expected = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * b[$1 * n + j] }
                XCTAssertEqual(c[i * n + j], expected, accuracy: 1e-4, "C[\(i),\(j)]")
            }
        }
        XCTAssertEqual(Workload.sgemm(size: 4).name, "sgemm_4")
    }

    func testRunnerReportsValueTimesWorkWithTheReferenceShape() throws {
        var workers: Set<Int> = []
        let fixed = Workload(name: "sleepy", unit: "steps/s (batch 1)", workPerStep: 10) { { workers.insert(Parallel.workers); usleep(2000) } }
        let report = try BenchmarkRunner.run([fixed], seconds: 0.05, threads: 1)
        XCTAssertEqual(workers, [1], "the workloads run with the runner's thread count")
        XCTAssertEqual(Parallel.workers, ExecutionContext.standard.workers, "only the workloads run with it")
        XCTAssertEqual(report.threads, 1)
        XCTAssertFalse(report.corename.isEmpty)
        let result = try XCTUnwrap(report.workloads["sleepy"])
        XCTAssertEqual(result.unit, "steps/s (batch 1)")
        XCTAssertLessThan(result.value, 10 * 500 + 1, "at most 500 steps/s × 10")
        XCTAssertGreaterThan(result.value, 10 * 50)

        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        let workloads = json?["workloads"] as? [String: [String: Any]]
        XCTAssertEqual(workloads?["sleepy"]?["unit"] as? String, "steps/s (batch 1)")
        XCTAssertEqual(workloads?["sleepy"]?["value"] as? Double, result.value)
        XCTAssertEqual(json?["threads"] as? Int, 1)
    }

    func testSetupFailureNamesTheWorkload() {
        struct Boom: Error {}
        let broken = Workload(name: "broken", unit: "GFLOP/s", workPerStep: 1) { throw Boom() }
        XCTAssertThrowsError(try BenchmarkRunner.run([broken], seconds: 0.01, threads: 1)) { error in
            guard case .setupFailed("broken", _)? = error as? BenchmarkError else { return XCTFail("\(error)") }
        }
    }

    func testValuesAreRoundedToThreeDecimals() {
        var report = BenchmarkReport(threads: 2, corename: "x")
        report.record("a", value: 1.23456, unit: "u")
        XCTAssertEqual(report.workloads["a"]?.value, 1.235)
    }
}

final class ConvolutionWorkloadTests: XCTestCase {
    /// GFLOP per step exactly as torch_reference.py counts them (2·N·Cout·Ho²·Cin·k², ×3 for f+b).
    func testWorkCountsMatchTheReferenceFormula() throws {
        let expected: [String: Double] = [
            "conv_32x32_c32_k3": 2 * 64 * 32 * 32 * 32 * 32 * 9,
            "conv_16x16_c32to64_k3_s2": 2 * 64 * 64 * 8 * 8 * 32 * 9,
            "conv_8x8_c64_k3_d2": 2 * 64 * 64 * 8 * 8 * 64 * 9,
            "conv_8x8_c128to64_k3": 2 * 64 * 64 * 8 * 8 * 128 * 9,
        ]
        for (name, flops) in expected {
            let forward = try XCTUnwrap(WorkloadCatalog.all.first { $0.name == name + "_forward" }, name)
            let both = try XCTUnwrap(WorkloadCatalog.all.first { $0.name == name + "_forward_backward" }, name)
            XCTAssertEqual(forward.workPerStep, flops / 1e9, accuracy: 1e-12, name)
            XCTAssertEqual(both.workPerStep, 3 * flops / 1e9, accuracy: 1e-12, name)
            XCTAssertEqual(forward.unit, "GFLOP/s")
            XCTAssertEqual(both.unit, "GFLOP/s")
        }
    }

    func testStepsRunAtASmallSize() throws {
        for workload in Workload.convolution("tiny", batch: 2, inChannels: 3, size: 6, outChannels: 4, kernel: 3, stride: 2, dilation: 1) {
            let step = try workload.setup()
            step()
            step()  // a second step must work too (gradients reset between steps)
        }
        XCTAssertEqual(Workload.convolution("tiny", batch: 2, inChannels: 3, size: 6, outChannels: 4, kernel: 3).map(\.name),
                       ["tiny_forward", "tiny_forward_backward"])
    }
}
