import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// Runs that keep maps channels-last between layers (`ChannelsLastRule`) against runs that keep
/// every map channels-first, and against onnxruntime, on every fixture: fused runs (only the
/// last outputs asked for) and tap runs (every value asked for, each handed out channels-first).
final class ChannelsLastTests: XCTestCase {
    func testChannelsLastRunsMatchChannelsFirstRunsAndOnnxRuntime() throws {
        let manifest = try Fixtures.manifest()
        var failures: [String] = [], compared = 0, channelsLastNodes = 0
        for c in manifest.cases where c.kind != "bad_input" {
            guard let tapsFile = c.taps_file, let (input, expected) = try? Fixtures.taps(tapsFile) else { continue }
            let model = try ModelFile(contentsOf: Fixtures.folder.appendingPathComponent(c.model))
            let last = try ExecutionPlan(file: model, input: input, keep: [])
            let first = try ExecutionPlan(file: model, input: input, keep: [], keepsChannelsLast: false)
            guard let final = last.steps.last else { continue }
            let outputs = Set(last.nodes[final].outputs.filter { expected[$0] != nil })
            let everything = Set(last.shapes.keys).intersection(expected.keys)
            for wanted in [outputs, everything] {
                let (got, counted, _) = try last.runCounting(input, wanted: wanted)
                let reference = try first.runCounting(input, wanted: wanted)
                XCTAssertEqual(reference.channelsLastNodes, 0)
                channelsLastNodes += counted
                for name in wanted {
                    let a = got[name]!.asFloat, b = reference.values[name]!.asFloat
                    XCTAssertEqual(a.shape, b.shape, "\(c.name) \(name)")
                    let vsFirst = Fixtures.relativeError(a, b), vsOnnxRuntime = Fixtures.relativeError(a, expected[name]!)
                    if !(vsFirst <= 1e-5) { failures.append("\(c.name) \(name): \(vsFirst) from the channels-first run") }
                    if !(vsOnnxRuntime <= 1e-4) { failures.append("\(c.name) \(name): \(vsOnnxRuntime) from onnxruntime") }
                    compared += 1
                }
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertGreaterThan(compared, 300)
        XCTAssertGreaterThan(channelsLastNodes, 100)
        print("compared \(compared) values; \(channelsLastNodes) nodes ran channels-last")
    }

    /// A MobileNetV3 stem (3 → 16 channels, stride 2, hard swish) and a depthwise layer after it:
    /// the stem reads the image as it is, channels-first, and writes channels-last, so the only
    /// maps copied between layouts are those handed out. Fused (only the output asked for) and
    /// unfused, the values match a run with every map channels-first. (GeneralConvolutionTests
    /// checks the convolution itself against plain loops.)
    func testAStemReadsTheImageAsItIs() throws {
        var rng = Xoshiro256(seed: 3)
        let w1 = Tensor.normal([16, 3, 3, 3], std: 0.3, rng: &rng), b1 = Tensor.normal([16], rng: &rng)
        let w2 = Tensor.normal([16, 1, 3, 3], std: 0.3, rng: &rng), x = Tensor.normal([2, 3, 20, 20], rng: &rng)
        let url = try Fixtures.writeModel("stem", nodes: [
            .init(op: "Conv", inputs: ["image", "w1", "b1"], output: "stem", attributes: ["strides": [2, 2], "pads": [1, 1, 1, 1]]),
            .init(op: "HardSwish", inputs: ["stem"], output: "activated"),
            .init(op: "Conv", inputs: ["activated", "w2"], output: "depthwise", attributes: ["group": [16], "pads": [1, 1, 1, 1]])],
            initializers: ["w1": w1, "b1": b1, "w2": w2], input: "image", shape: x.shape)
        defer { try? FileManager.default.removeItem(at: url) }

        let file = try ModelFile(contentsOf: url)
        let reference = try ExecutionPlan(file: file, input: x, keep: [], keepsChannelsLast: false).run(x, wanted: ["stem", "depthwise"])
        let plan = try ExecutionPlan(file: file, input: x, keep: [])
        for wanted: Set<String> in [["depthwise"], ["stem", "depthwise"]] {
            let (got, channelsLast, conversions) = try plan.runCounting(x, wanted: wanted)
            // Asked for the stem's output, the hard swish runs as a node of its own.
            XCTAssertEqual(channelsLast, wanted.count == 1 ? 2 : 3, "\(wanted)")
            XCTAssertEqual(conversions, wanted.count, "\(wanted): only the maps handed out are copied, never the image")
            for name in wanted {
                XCTAssertLessThan(Fixtures.relativeError(got[name]!.asFloat, reference[name]!.asFloat), 1e-5, name)
            }
        }
    }
}
