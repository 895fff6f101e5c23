import Foundation
@testable import Diagnosis
import Report
import XCTest

/// The whole diagnosis on an imported ONNX model (a small PyTorch export from Fixtures/onnx),
/// as a user runs it: aliases from the graph, preprocessing from the default probe.
final class ImportedExpertRunTests: XCTestCase {
    func testAQuickDiagnosisOfAnImportedModel() throws {
        let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/onnx/torch_mini_resnet_dynamic_batch_opset13.onnx")
        var o = DiagnosisRunTests.options("imported", layers: ["early", "last"])
        o.expert = model.path
        o.flowSteps = 150; o.mlpSteps = 80; o.readoutSteps = 150
        o.trainPairs = 1_000; o.testScenes = 200; o.scoredInputs = 40
        let (result, folder) = try DiagnosisPipeline.run(o)
        XCTAssertEqual(result.layers.count, 2)
        XCTAssertEqual(result.layers.map(\.alias), ["early", "last"])
        for layer in result.layers {
            XCTAssertTrue(layer.bitsKept.isFinite, "\(layer.name)")
            XCTAssertFalse(layer.invariance.isEmpty, "\(layer.name)")
        }
        let json = try String(contentsOf: folder.appendingPathComponent("report.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("torch_mini_resnet_dynamic_batch_opset13.onnx"))
        // A second run reuses the cached features and translators and gives the same numbers.
        o.output = o.output.deletingLastPathComponent().appendingPathComponent("again")
        let (again, _) = try DiagnosisPipeline.run(o)
        XCTAssertEqual(again.layers.map(\.bitsKept), result.layers.map(\.bitsKept))
    }
}
