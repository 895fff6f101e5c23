import Foundation
import Tensors

/// The one training loop of the tool: the translators (`Flows.TranslatorTrainer`) and the models
/// of `diagnose train` (`Training.ModelTrainer`) run their steps through it, so both follow the
/// same rules:
///
/// - Step s (0-based) trains at `schedule.rate(at: s) · learningRateFactor` with the gradients
///   clipped to the joint L2 norm `settings.clipNorm`.
/// - Every step takes its place in the schedule and the data stream whether or not it updates the
///   weights, so a run always takes `settings.steps` steps and a resumed run sees the batches an
///   uninterrupted one would.
/// - A batch the caller finds unusable (NaN or ±∞ inputs: the loss closure returns nil) is skipped
///   without penalty.
/// - A non-finite loss or gradient norm skips the update and halves `learningRateFactor` for the
///   rest of the run. An update that leaves a non-finite weight is undone from the last good
///   snapshot and counts the same. So the weights never hold NaN.
/// - `settings.maxConsecutiveFailures` such failures in a row stop the run with `TrainingDiverged`;
///   an update resets the count.
/// - Every `settings.checkpointEvery` steps and after the last: the held-out loss is measured (if
///   the caller has a held-out set) and the weights with the lowest one so far are kept, the
///   last-good snapshot is refreshed, and the caller's checkpoint hook runs. The run ends with the
///   model holding the best held-out weights (the last ones without a held-out set).
/// - Progress every `settings.reportEvery` steps and after each held-out evaluation, with the rate
///   for an ETA.
///
/// Snapshots are state dicts, whose tensors share storage with the weights until the next update
/// (copy-on-write), so keeping one costs one copy of the weights per checkpoint interval.
public final class GuardedTrainingLoop {
    public let model: Module
    public let optimizer: any Optimizer
    public let schedule: LearningRateSchedule
    public let settings: TrainingLoopSettings
    /// Steps done: the schedule position and the index of the next batch.
    public private(set) var step: Int
    /// Multiplier on the schedule, halved at every non-finite step.
    public private(set) var learningRateFactor: Float
    public private(set) var consecutiveFailures = 0
    public private(set) var skippedSteps = 0
    private var lastGood: [String: Tensor]

    /// `startStep` and `learningRateFactor` continue an interrupted run.
    public init(model: Module, optimizer: any Optimizer, schedule: LearningRateSchedule, settings: TrainingLoopSettings,
                startStep: Int = 0, learningRateFactor: Float = 1) {
        (self.model, self.optimizer, self.schedule, self.settings) = (model, optimizer, schedule, settings)
        step = startStep
        self.learningRateFactor = learningRateFactor
        lastGood = Self.dictionary(model.stateDict())
    }

    public var currentLearningRate: Float { schedule.rate(at: step) * learningRateFactor }

    /// One step on the batch whose loss `batchLoss` builds (a differentiable scalar; nil for an
    /// unusable batch). Throws `TrainingDiverged` at the `maxConsecutiveFailures`-th failure in a row.
    @discardableResult
    public func step(_ batchLoss: () -> Tensor?) throws -> StepOutcome {
        defer { step += 1 }
        if !model.isTraining { model.train() }
        optimizer.learningRate = currentLearningRate
        guard let value = Self.lossAndGradients(batchLoss) else {
            skippedSteps += 1
            return .skippedBadBatch
        }
        guard value.isFinite else { return try fail() }
        // The norm is non-finite exactly when some gradient is (and then nothing was scaled).
        guard GradientClipping.clipNorm(optimizer.parameters, maxNorm: settings.clipNorm).isFinite else { return try fail() }
        let updatedFinite = optimizer.step()
        optimizer.zeroGrad()
        // Parameters without a gradient did not change since the last step's check.
        guard updatedFinite else {
            try model.load(stateDict: lastGood, source: "last finite weights")
            return try fail()
        }
        consecutiveFailures = 0
        return .updated(loss: value)
    }

    /// Forward and (if the loss is finite) backward, in a function of its own so the graph dies
    /// on return: its backward closures hold views of every weight, and while they live the
    /// optimiser's in-place update must copy all weights first (copy-on-write).
    private static func lossAndGradients(_ batchLoss: () -> Tensor?) -> Float? {
        guard let loss = batchLoss() else { return nil }
        let value = loss.item
        if value.isFinite { loss.backward() }
        return value
    }

    private func fail() throws -> StepOutcome {
        optimizer.zeroGrad()
        skippedSteps += 1
        consecutiveFailures += 1
        learningRateFactor *= 0.5
        if consecutiveFailures >= settings.maxConsecutiveFailures {
            throw TrainingDiverged(step: step, failures: consecutiveFailures, learningRate: currentLearningRate)
        }
        return .skippedNonFinite
    }

    /// Steps until `settings.steps` are done. `batchLoss(s)` builds the loss of step s's batch;
    /// `heldOutLoss` measures the model on held-out data (it must leave the model's mode as it
    /// found it, e.g. through `Module.inferring`); `onCheckpoint(stepsDone)` runs at every
    /// checkpoint, the last one included.
    public func run(batchLoss: (_ step: Int) -> Tensor?, heldOutLoss: (() -> Float)? = nil,
                    progress: ((TrainingProgress) -> Void)? = nil,
                    onCheckpoint: ((_ stepsDone: Int) throws -> Void)? = nil) throws -> TrainingLoopResult {
        let started = Date()
        // The caller may have prepared the model since `init` (fitted statistics): a restore must
        // not undo that.
        lastGood = Self.dictionary(model.stateDict())
        var history: [(step: Int, trainLoss: Float, heldOutLoss: Float)] = []
        var best: (loss: Float, step: Int, state: [StateEntry])?
        var latestHeldOut: Float?
        var sinceReport = LossMean(), sinceEvaluation = LossMean()
        var windowStart = Date(), windowSteps = 0

        while step < settings.steps {
            let index = step
            if case .updated(let loss) = try step({ batchLoss(index) }) {
                sinceReport.add(loss)
                sinceEvaluation.add(loss)
            }
            windowSteps += 1
            let checkpoint = step % settings.checkpointEvery == 0 || step == settings.steps
            guard checkpoint || step % settings.reportEvery == 0 else { continue }
            let rate = Double(windowSteps) / max(Date().timeIntervalSince(windowStart), 1e-9)
            var evaluated = false
            if checkpoint {
                if let heldOutLoss {
                    let loss = heldOutLoss()
                    latestHeldOut = loss
                    evaluated = true
                    history.append((step, sinceEvaluation.value, loss))
                    sinceEvaluation = LossMean()
                    if loss.isFinite, best.map({ loss < $0.loss }) ?? true {
                        best = (loss, step, model.stateDict())
                    }
                }
                lastGood = Self.dictionary(model.stateDict())
                try onCheckpoint?(step)
            }
            progress?(TrainingProgress(
                step: step, totalSteps: settings.steps, trainLoss: sinceReport.value, heldOutLoss: latestHeldOut,
                bestHeldOutLoss: best?.loss, bestStep: best?.step, stepsPerSecond: rate, learningRate: currentLearningRate,
                skippedSteps: skippedSteps, evaluated: evaluated))
            sinceReport = LossMean()
            windowSteps = 0
            windowStart = Date()
        }

        let last = model.stateDict()
        if let heldOutLoss, best == nil {  // nothing trained (resumed at the end): measure what there is
            best = (heldOutLoss(), step, last)
        }
        if let best { try model.load(stateDict: Self.dictionary(best.state), source: "best checkpoint") }
        return TrainingLoopResult(best: best?.state ?? last, bestStep: best?.step ?? step, bestHeldOutLoss: best?.loss,
                                  last: last, lastStep: step, history: history, skippedSteps: skippedSteps,
                                  seconds: Date().timeIntervalSince(started))
    }

    private static func dictionary(_ entries: [StateEntry]) -> [String: Tensor] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}

/// A running mean of step losses, accumulated in Double.
private struct LossMean {
    private var sum: Double = 0, count = 0
    mutating func add(_ loss: Float) { sum += Double(loss); count += 1 }
    /// NaN when nothing was added.
    var value: Float { count > 0 ? Float(sum / Double(count)) : .nan }
}
