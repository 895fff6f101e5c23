import XCTest
import Foundation
@testable import Training
@testable import SafeTensors
import Experts
import NN

/// Trains `kind` with `options` on the fixture data in a temporary output directory, hands the
/// result and the options used to `check`, and removes the directory.
func trainOnFixtures(_ kind: TrainableModel, _ options: TrainingOptions,
                     check: (ModelTrainingResult, TrainingOptions) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(kind.rawValue)-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    var o = options
    o.outputDirectory = dir
    o.dataDir = fixtureData
    try check(try ModelTrainer.train(kind, options: o, command: "diagnose train \(kind.rawValue) --test"), o)
}

/// `diagnose train`: the scene order per epoch, and a two-step run on the fixture data whose
/// weights record the recipe.
final class TrainingTests: XCTestCase {
    func testFreshScenesGiveEachEpochItsOwnScenes() {
        var o = TrainingOptions(epochs: 3, trainScenes: 100, batchSize: 10, learningRate: 1e-3)
        let repeated = (0..<3).map { ModelTrainer.sceneOrder(epoch: $0, options: o) }
        for order in repeated { XCTAssertEqual(order.sorted(), Array(0..<100)) }
        XCTAssertNotEqual(repeated[0], repeated[1], "each epoch is shuffled anew")
        o.freshScenes = true
        for epoch in 0..<3 {
            let order = ModelTrainer.sceneOrder(epoch: epoch, options: o)
            XCTAssertEqual(order.sorted(), Array((epoch * 100)..<((epoch + 1) * 100)))
            // The same shuffle as without fresh scenes, moved to the epoch's own range.
            XCTAssertEqual(order, repeated[epoch].map { $0 + epoch * 100 })
        }
        XCTAssertTrue(TrainableModel.resnet.defaults.freshScenes, "the shipped classifier's recipe")
    }

    func testTwoStepRunWritesWeightsWithTheRecipe() throws {
        var o = TrainingOptions(epochs: 2, trainScenes: 16, batchSize: 16, learningRate: 1e-3)
        o.freshScenes = true
        o.testScenes = 32
        try trainOnFixtures(.resnet, o) { result, o in
            let meta = try SafeTensorsFile.read(contentsOf: result.weights).metadata
            XCTAssertEqual(meta["steps"], "2")
            XCTAssertEqual(meta["fresh_scenes_every_epoch"], "true")
            XCTAssertEqual(meta["training_command"], "diagnose train resnet --test")
            let accuracy = try XCTUnwrap(Double(meta["test_accuracy"] ?? ""))
            XCTAssertTrue((0...1).contains(accuracy))
            XCTAssertEqual(result.metrics["test_accuracy"] ?? -1, accuracy, accuracy: 1e-4)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: o.outputDirectory.path)
                .filter { $0.contains("checkpoint") || $0.contains("optimizer") }
            XCTAssertEqual(leftovers, [], "checkpoints are removed once the weights are written")
        }
    }

    /// A checkpoint whose step is unreadable is an error naming it, not a silent restart at step 0.
    func testResumeRefusesACheckpointWithAnUnreadableStep() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ResNetClassifier().save(to: dir.appendingPathComponent("resnet-checkpoint.safetensors"), metadata: ["step": "abc"])
        var o = TrainingOptions(epochs: 1, trainScenes: 16, batchSize: 16, learningRate: 1e-3)
        o.outputDirectory = dir
        o.dataDir = fixtureData
        o.resume = true
        XCTAssertThrowsError(try ModelTrainer.train(.resnet, options: o, command: "test")) { error in
            XCTAssertTrue("\(error)".contains("metadata 'step' is 'abc'"), "\(error)")
        }
    }
}

