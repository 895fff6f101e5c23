import Foundation
import XCTest
@testable import Flows
import NN
import Tensors

/// Sampling, exemplar transfer, checkpoints, resuming and the stability guards, on tiny models
/// with a spatial embedder (8×8 maps).
final class TranslatorAPITests: XCTestCase {
    static let configuration = FlowConfiguration(codeDimension: 6, blocks: 2, couplingWidth: 16, couplingHiddenLayers: 2,
                                                 embeddingDimension: 8, scaleClamp: 2, seed: 3)
    static let embedder = EmbedderConfiguration.automatic(featureShape: [3, 8, 8], outputDimension: 8)

    private func pairs(_ n: Int, seed: UInt64) throws -> TranslationPairs {
        var rng = Xoshiro256(seed: seed)
        let f = Tensor.normal([n, 3, 8, 8], mean: 2, std: 3, rng: &rng)
        let z = f.mean(axes: [2, 3]).slice(axis: 1, 0..<3).reshaped([n, 3])
        return try TranslationPairs(codes: Tensor.concat([z, z * 0.5 + Tensor.normal([n, 3], rng: &rng)], axis: 1), features: f)
    }

    private func trainedModel() throws -> ConditionalFlow {
        let model = try ConditionalFlow(configuration: Self.configuration, embedder: Self.embedder)
        var t = TrainingConfiguration()
        t.steps = 20; t.batchSize = 16; t.evaluateEvery = 10; t.warmupSteps = 2
        _ = try TranslatorTrainer(model: model, configuration: t).train(training: try pairs(64, seed: 1), heldOut: try pairs(32, seed: 2))
        perturbParameters(model, scale: 0.05)  // so couplings are far from the identity
        return model
    }

    func testAutomaticEmbedderFollowsDesign() {
        XCTAssertEqual(EmbedderConfiguration.automatic(featureShape: [32, 16, 16]).convolutions.map(\.outChannels), [64, 128])
        XCTAssertEqual(EmbedderConfiguration.automatic(featureShape: [32, 8, 8]).convolutions.map(\.stride), [2])
        XCTAssertEqual(EmbedderConfiguration.automatic(featureShape: [32, 8, 8]).convolvedShape, [64, 4, 4])
        XCTAssertTrue(EmbedderConfiguration.automatic(featureShape: [10]).convolutions.isEmpty)
    }

    func testWholeModelRoundTripSamplingAndTransfer() throws {
        let model = try trainedModel()
        model.eval()
        let data = try pairs(5, seed: 9)
        let f = data.features!
        let (v, ld) = model.encode(data.codes, features: f)
        XCTAssertGreaterThan(ld.scalars.map(Swift.abs).max()!, 0.01)
        XCTAssertLessThan(maxAbsDifference(model.decode(v, features: f), data.codes), 1e-4)

        var rng = Xoshiro256(seed: 1)
        let samples = try model.sample(features: f, count: 4, rng: &rng)
        XCTAssertEqual(samples.shape, [5, 4, 6])
        XCTAssertTrue(samples.scalars.allSatisfy(\.isFinite))
        // Samples of one input differ from each other.
        let s = samples.scalars
        XCTAssertNotEqual(Array(s[0..<6]), Array(s[6..<12]))

        // Transfer onto the same features gives the code back; onto others, something else.
        XCTAssertLessThan(maxAbsDifference(try model.translate(data.codes, fromFeatures: f, toFeatures: f), data.codes), 1e-4)
        let other = f.gather(axis: 0, indices: [1, 2, 3, 4, 0])
        let moved = try model.translate(data.codes, fromFeatures: f, toFeatures: other)
        XCTAssertGreaterThan(maxAbsDifference(moved, data.codes), 1e-3)
        XCTAssertThrowsError(try model.sample(features: Tensor.zeros([2, 3, 4, 4]), count: 1, rng: &rng)) { e in
            XCTAssertTrue("\(e)".contains("[3, 8, 8]"), "\(e)")
        }
    }

    func testCheckpointRoundTripGivesIdenticalOutputs() throws {
        let model = try trainedModel()
        model.eval()
        let checkpoint = TranslatorCheckpoint(model, step: 20)
        XCTAssertTrue(checkpoint.tensors.contains { $0.key == "flow.blocks.0.initialized" && $0.isInteger })
        XCTAssertTrue(checkpoint.tensors.contains { $0.key == "flow.blocks.2.indices" && $0.isInteger })
        XCTAssertTrue(checkpoint.tensors.contains { $0.key == "embedder.standardizer.mean" })
        XCTAssertEqual(checkpoint.step, 20)

        // Through plain dictionaries, as a safetensors file would carry them.
        let loaded = try TranslatorCheckpoint.load(tensors: checkpoint.tensorDictionary, metadata: checkpoint.metadata)
        guard let copy = loaded as? ConditionalFlow else { return XCTFail("loaded \(type(of: loaded))") }
        let data = try pairs(7, seed: 4)
        XCTAssertEqual(copy.negativeLogLikelihood(data.codes, features: data.features!).scalars,
                       model.negativeLogLikelihood(data.codes, features: data.features!).scalars)
        var r1 = Xoshiro256(seed: 8), r2 = Xoshiro256(seed: 8)
        XCTAssertEqual(try copy.sample(features: data.features!, count: 3, rng: &r1).scalars,
                       try model.sample(features: data.features!, count: 3, rng: &r2).scalars)
        // The loaded ActNorms are initialised: training mode must not re-initialise them.
        copy.train()
        XCTAssertEqual(copy.encode(data.codes, features: data.features!).residual.scalars,
                       model.encode(data.codes, features: data.features!).residual.scalars)

        var wrong = checkpoint.metadata
        wrong["flows.kind"] = "something"
        XCTAssertThrowsError(try TranslatorCheckpoint.load(tensors: checkpoint.tensorDictionary, metadata: wrong))
    }

    func testUnconditionalAndBaselineCheckpoints() throws {
        let flow = try UnconditionalFlow(configuration: Self.configuration)
        perturbParameters(flow)
        let mlp = try MLPBaseline(configuration: Self.configuration, embedder: Self.embedder)
        mlp.embedder.standardizer.fit(try pairs(16, seed: 3).features!)
        let data = try pairs(4, seed: 5)
        flow.eval(); mlp.eval()  // in training mode the first call would initialise the ActNorms
        let f2 = try TranslatorCheckpoint(flow, step: 0).load() as! UnconditionalFlow
        XCTAssertEqual(f2.negativeLogLikelihood(data.codes).scalars, flow.negativeLogLikelihood(data.codes).scalars)
        let m2 = try TranslatorCheckpoint(mlp, step: 0).load() as! MLPBaseline
        XCTAssertEqual(m2.predict(data.features!).scalars, mlp.predict(data.features!).scalars)
        var rng = Xoshiro256(seed: 2)
        XCTAssertEqual(flow.sample(count: 3, rng: &rng).shape, [3, 6])
    }

    func testNonFiniteBatchesNeverTouchTheWeights() throws {
        let model = try ConditionalFlow(configuration: Self.configuration, embedder: Self.embedder)
        var t = TrainingConfiguration()
        t.maxConsecutiveFailures = 3
        let trainer = TranslatorTrainer(model: model, configuration: t)
        let good = try pairs(16, seed: 6)
        model.prepare(training: good)
        guard case .updated(let loss) = try trainer.step(codes: good.codes, features: good.features), loss.isFinite else {
            return XCTFail("a good batch should update")
        }
        let before = parameterSnapshot(model)

        // NaN in the batch: skipped, nothing changes, not counted as divergence.
        var codes = good.codes.scalars
        codes[5] = .nan
        let nanCodes = Tensor(shape: good.codes.shape, scalars: codes)
        XCTAssertEqual(try trainer.step(codes: nanCodes, features: good.features), .skippedBadBatch)
        XCTAssertEqual(parameterSnapshot(model), before)
        XCTAssertEqual(trainer.learningRateFactor, 1)

        // Finite batch, non-finite loss (overflowing code): skipped, learning rate halved.
        codes[5] = 1e30
        let huge = Tensor(shape: good.codes.shape, scalars: codes)
        XCTAssertEqual(try trainer.step(codes: huge, features: good.features), .skippedNonFinite)
        XCTAssertEqual(parameterSnapshot(model), before)
        XCTAssertEqual(trainer.learningRateFactor, 0.5)
        XCTAssertEqual(try trainer.step(codes: huge, features: good.features), .skippedNonFinite)
        XCTAssertThrowsError(try trainer.step(codes: huge, features: good.features)) { e in
            XCTAssertTrue("\(e)".contains("diverged"), "\(e)")
        }
        XCTAssertEqual(parameterSnapshot(model), before)
        XCTAssertTrue(before.values.allSatisfy { $0.allSatisfy(\.isFinite) })

        // Whole data sets with NaN are refused up front, naming the rows.
        let bad = try TranslationPairs(codes: nanCodes, features: good.features)
        XCTAssertThrowsError(try TranslatorTrainer(model: model).train(training: bad, heldOut: good)) { e in
            XCTAssertTrue("\(e)".contains("training pairs") && "\(e)".contains("(0)"), "\(e)")
        }
    }

    func testResumeContinuesTheSchedule() throws {
        let model = try ConditionalFlow(configuration: Self.configuration, embedder: Self.embedder)
        var t = TrainingConfiguration()
        t.steps = 10; t.batchSize = 16; t.evaluateEvery = 5; t.warmupSteps = 2
        let first = try TranslatorTrainer(model: model, configuration: t).train(training: try pairs(64, seed: 1), heldOut: try pairs(32, seed: 2))
        XCTAssertEqual(first.last.step, 10)
        XCTAssertEqual(first.history.map(\.step), [5, 10])

        let resumed = try first.last.load() as! ConditionalFlow
        t.steps = 16
        var steps: [Int] = []
        let trainer = TranslatorTrainer(model: resumed, configuration: t, startStep: first.last.step)
        XCTAssertEqual(trainer.currentLearningRate, t.schedule.rate(at: 10))
        let second = try trainer.train(training: try pairs(64, seed: 1), heldOut: try pairs(32, seed: 2)) { steps.append($0.step) }
        XCTAssertEqual(second.last.step, 16)
        XCTAssertEqual(steps.last, 16)
        XCTAssertEqual(steps.first, 15)
        XCTAssertTrue(resumed.flow.blocks.compactMap { $0 as? ActNormBlock }.allSatisfy(\.isInitialized))
    }
}

/// A checkpoint whose configuration is damaged is an error before anything is allocated (issue 16).
final class CheckpointValidationTests: XCTestCase {
    func testOutOfRangeSizesInACheckpointAreRefused() throws {
        let model = try UnconditionalFlow(configuration: FlowConfiguration(codeDimension: 4, blocks: 2, couplingWidth: 8))
        let good = TranslatorCheckpoint(model, step: 1)
        XCTAssertNoThrow(try good.load())
        for (key, value) in [("blocks", "1000000000"), ("couplingWidth", "-8"), ("codeDimension", "5"), ("embeddingDimension", "0")] {
            var damaged = good
            let json = damaged.metadata["flows.flow_configuration"]!
            damaged.metadata["flows.flow_configuration"] = json.replacingOccurrences(
                of: "\"\(key)\":\(key == "blocks" ? 2 : key == "couplingWidth" ? 8 : key == "codeDimension" ? 4 : 128)", with: "\"\(key)\":\(value)")
            XCTAssertNotEqual(damaged.metadata["flows.flow_configuration"], json, "the test must change \(key)")
            XCTAssertThrowsError(try damaged.load(), key) { XCTAssertTrue("\($0)".contains("\(key)") || "\($0)".contains("invalid"), "\($0)") }
        }
    }
}
