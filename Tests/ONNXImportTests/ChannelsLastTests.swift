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
        defer { ExecutionPlan.keepsChannelsLast = true }
        for c in manifest.cases where c.kind != "bad_input" {
            guard let tapsFile = c.taps_file, let (input, expected) = try? Fixtures.taps(tapsFile) else { continue }
            let model = try ModelFile(contentsOf: Fixtures.folder.appendingPathComponent(c.model))
            ExecutionPlan.keepsChannelsLast = true
            let last = try ExecutionPlan(file: model, input: input, keep: [])
            ExecutionPlan.keepsChannelsLast = false
            let first = try ExecutionPlan(file: model, input: input, keep: [])
            guard let final = last.steps.last else { continue }
            let outputs = Set(last.nodes[final].outputs.filter { expected[$0] != nil })
            let everything = Set(last.shapes.keys).intersection(expected.keys)
            for wanted in [outputs, everything] {
                let (got, counted) = try last.runCounting(input, wanted: wanted)
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
}
