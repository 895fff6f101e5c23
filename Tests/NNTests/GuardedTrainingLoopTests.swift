import XCTest
@testable import NN
import Tensors

/// The failure rules of the one training loop (see `GuardedTrainingLoop`), on a 2 → 1 linear
/// regression where every outcome can be forced.
final class GuardedTrainingLoopTests: XCTestCase {
    private var x = Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 1, 2, -1])
    private var y = Tensor(shape: [4, 1], scalars: [1, -1, 0, 3])

    private func make(steps: Int = 10, maxFailures: Int = 3, checkpointEvery: Int = 5,
                      learningRate: Float = 0.05) -> (Linear, GuardedTrainingLoop) {
        var rng = Xoshiro256(seed: 1)
        let model = Linear(2, 1, rng: &rng)
        let settings = TrainingLoopSettings(steps: steps, clipNorm: 1e30, checkpointEvery: checkpointEvery, reportEvery: 1,
                                            maxConsecutiveFailures: maxFailures)
        let loop = GuardedTrainingLoop(model: model, optimizer: SGD(model.trainableParameters, learningRate: learningRate),
                                       schedule: .constant(learningRate), settings: settings)
        return (model, loop)
    }

    private func goodLoss(_ model: Linear) -> Tensor { Tensor.mse(model(x), y) }
    private func nanLoss(_ model: Linear) -> Tensor { (model(x) * Float.nan).sum() }
    private func weights(_ model: Module) -> [Float] { model.stateDict().flatMap(\.value.scalars) }

    func testANonFiniteLossSkipsTheStepAndHalvesTheRate() throws {
        let (model, loop) = make()
        let before = weights(model)
        XCTAssertEqual(try loop.step { nanLoss(model) }, .skippedNonFinite)
        XCTAssertEqual(weights(model), before, "a NaN loss must not touch the weights")
        XCTAssertNil(model.weight.grad, "nor leave gradients behind")
        XCTAssertEqual(loop.learningRateFactor, 0.5)
        XCTAssertEqual(loop.currentLearningRate, 0.025)
        XCTAssertEqual(loop.step, 1, "a skipped step still takes its place in the schedule")
        XCTAssertEqual(loop.consecutiveFailures, 1)

        guard case .updated(let loss) = try loop.step({ goodLoss(model) }), loss.isFinite else { return XCTFail("should update") }
        XCTAssertNotEqual(weights(model), before)
        XCTAssertEqual(loop.consecutiveFailures, 0, "an update resets the count")
        XCTAssertEqual(loop.learningRateFactor, 0.5, "but the rate stays halved")
        XCTAssertEqual(loop.skippedSteps, 1)
    }

    func testAnUnusableBatchIsSkippedWithoutPenalty() throws {
        let (model, loop) = make()
        let before = weights(model)
        XCTAssertEqual(try loop.step { nil }, .skippedBadBatch)
        XCTAssertEqual(weights(model), before)
        XCTAssertEqual(loop.learningRateFactor, 1)
        XCTAssertEqual(loop.consecutiveFailures, 0)
        XCTAssertEqual(loop.skippedSteps, 1)
    }

    func testFailuresInARowStopTheRunWithTheLastFiniteWeights() throws {
        let (model, loop) = make(maxFailures: 3)
        try loop.step { goodLoss(model) }
        let before = weights(model)
        var steps = 0
        XCTAssertThrowsError(try loop.run(batchLoss: { _ in steps += 1; return nanLoss(model) })) { error in
            guard let diverged = error as? TrainingDiverged else { return XCTFail("\(error)") }
            XCTAssertEqual(diverged.failures, 3)
            XCTAssertEqual(diverged.step, 3)
            XCTAssertEqual(diverged.learningRate, 0.05 / 8)
            XCTAssertTrue("\(error)".contains("diverged"), "\(error)")
        }
        XCTAssertEqual(steps, 3)
        XCTAssertEqual(weights(model), before)
    }

    func testAnUpdateThatOverflowsIsUndoneFromTheLastGoodSnapshot() throws {
        // Finite loss and gradient, but a rate so large that the update leaves −∞ in the weights.
        let (model, loop) = make(learningRate: 3e38)
        let before = weights(model)
        XCTAssertEqual(try loop.step { (model(x) * 10).sum() }, .skippedNonFinite)
        XCTAssertEqual(weights(model), before)
        XCTAssertTrue(weights(model).allSatisfy(\.isFinite))
        XCTAssertEqual(loop.learningRateFactor, 0.5)
    }

    func testTheRunEndsHoldingTheBestHeldOutWeights() throws {
        let (model, loop) = make(steps: 15, checkpointEvery: 5)
        // Held-out losses scripted per checkpoint: the second (after step 10) is the best.
        var heldOut: [Float] = [3, 1, 2], atCheckpoint: [Int: [Float]] = [:]
        var reports: [TrainingProgress] = []
        let result = try loop.run(batchLoss: { _ in goodLoss(model) }, heldOutLoss: { heldOut.removeFirst() },
                                  progress: { reports.append($0) },
                                  onCheckpoint: { atCheckpoint[$0] = self.weights(model) })
        XCTAssertEqual(result.bestStep, 10)
        XCTAssertEqual(result.bestHeldOutLoss, 1)
        XCTAssertEqual(result.history.map(\.step), [5, 10, 15])
        XCTAssertEqual(result.history.map(\.heldOutLoss), [3, 1, 2])
        XCTAssertEqual(result.lastStep, 15)
        XCTAssertEqual(weights(model), atCheckpoint[10], "the model is left with the best weights")
        XCTAssertEqual(result.last.flatMap(\.value.scalars), atCheckpoint[15])
        XCTAssertNotEqual(atCheckpoint[10], atCheckpoint[15])
        XCTAssertEqual(result.best.flatMap(\.value.scalars), atCheckpoint[10])

        XCTAssertEqual(reports.map(\.step), Array(1...15))
        XCTAssertEqual(reports.filter(\.evaluated).map(\.step), [5, 10, 15])
        XCTAssertTrue(reports.allSatisfy { $0.trainLoss.isFinite && $0.stepsPerSecond > 0 && $0.totalSteps == 15 })
        XCTAssertEqual(reports.last?.bestStep, 10)
    }

    func testWithoutHeldOutDataTheLastWeightsAreKept() throws {
        let (model, loop) = make(steps: 4, checkpointEvery: 2)
        var checkpoints: [Int] = []
        let result = try loop.run(batchLoss: { _ in goodLoss(model) }, onCheckpoint: { checkpoints.append($0) })
        XCTAssertEqual(checkpoints, [2, 4])
        XCTAssertNil(result.bestHeldOutLoss)
        XCTAssertEqual(result.bestStep, 4)
        XCTAssertEqual(result.best.flatMap(\.value.scalars), weights(model))
    }

    func testAResumedLoopContinuesTheScheduleAndTheBatchIndex() throws {
        var rng = Xoshiro256(seed: 1)
        let model = Linear(2, 1, rng: &rng)
        let schedule = LearningRateSchedule.warmupCosine(peak: 0.1, warmup: 2, total: 8)
        let loop = GuardedTrainingLoop(model: model, optimizer: SGD(model.trainableParameters, learningRate: 0),
                                       schedule: schedule, settings: TrainingLoopSettings(steps: 8, clipNorm: 1, checkpointEvery: 4),
                                       startStep: 5, learningRateFactor: 0.5)
        XCTAssertEqual(loop.currentLearningRate, schedule.rate(at: 5) * 0.5)
        var indices: [Int] = []
        _ = try loop.run(batchLoss: { indices.append($0); return self.goodLoss(model) })
        XCTAssertEqual(indices, [5, 6, 7])
    }
}
