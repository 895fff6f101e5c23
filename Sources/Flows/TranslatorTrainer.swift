import Foundation
import NN
import Tensors

/// Trains any `Translator` on in-memory pairs: Adam (amsgrad, betas (0.5, 0.9)), gradient
/// clipping, warm-up + cosine schedule, periodic held-out evaluation with the best checkpoint kept
/// in memory, and guards so a bad batch or a numerical blow-up never writes NaN into the weights.
/// All randomness (batch order) comes from `configuration.seed`.
public final class TranslatorTrainer {
    public let model: any Translator
    public let configuration: TrainingConfiguration
    public let optimizer: Adam
    /// Steps done (the schedule position); starts at `startStep` when resuming.
    public private(set) var step: Int
    /// Multiplier on the schedule, halved at every non-finite loss or gradient.
    public private(set) var learningRateFactor: Float = 1
    public private(set) var consecutiveFailures = 0
    public private(set) var skippedSteps = 0
    private let parameters: [Parameter]
    /// The last weights known to be finite, for the (unlikely) case that an update with finite
    /// gradients still overflows.
    private var lastGood: [String: Tensor]

    public init(model: any Translator, configuration: TrainingConfiguration = TrainingConfiguration(), startStep: Int = 0) {
        self.model = model
        self.configuration = configuration
        self.step = startStep
        parameters = model.trainableParameters
        optimizer = Adam(parameters, learningRate: configuration.learningRate, betas: (configuration.beta1, configuration.beta2),
                         amsgrad: configuration.amsgrad)
        lastGood = Dictionary(model.stateDict().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    public var currentLearningRate: Float { configuration.schedule.rate(at: step) * learningRateFactor }

    /// One optimisation step on a batch (codes [B, D], features [B, …] or nil). Throws
    /// `FlowError.diverged` after `maxConsecutiveFailures` non-finite steps in a row.
    @discardableResult
    public func step(codes: Tensor, features: Tensor?) throws -> StepOutcome {
        guard Self.isFinite(codes), features.map(Self.isFinite) ?? true else {
            skippedSteps += 1
            return .skippedBadBatch
        }
        if !model.isTraining { model.train() }
        optimizer.learningRate = currentLearningRate
        let value = Self.lossAndGradients(model, codes, features)
        guard value.isFinite else { return try fail() }
        // The norm is non-finite exactly when some gradient is (and then nothing was scaled).
        let norm = GradientClipping.clipNorm(parameters, maxNorm: configuration.clipNorm)
        guard norm.isFinite else { return try fail() }
        optimizer.step()
        optimizer.zeroGrad()
        guard parameters.allSatisfy({ Self.isFinite($0.value) }) else {
            try? model.load(stateDict: lastGood, source: "last finite weights")
            return try fail()
        }
        consecutiveFailures = 0
        step += 1
        return .updated(loss: value)
    }

    /// Forward and (if the loss is finite) backward, in a function of its own so the graph dies
    /// on return: its backward closures hold views of every weight, and while they live the
    /// optimiser's in-place update must copy all weights first (copy-on-write).
    private static func lossAndGradients(_ model: any Translator, _ codes: Tensor, _ features: Tensor?) -> Float {
        let loss = model.loss(codes: codes, features: features)
        let value = loss.item
        if value.isFinite { loss.backward() }
        return value
    }

    private func fail() throws -> StepOutcome {
        optimizer.zeroGrad()
        skippedSteps += 1
        consecutiveFailures += 1
        learningRateFactor *= 0.5
        if consecutiveFailures >= configuration.maxConsecutiveFailures {
            throw FlowError.diverged(step: step, failures: consecutiveFailures, learningRate: currentLearningRate)
        }
        return .skippedNonFinite
    }

    private static func isFinite(_ t: Tensor) -> Bool { t.isAllFinite }

    /// Trains until `configuration.steps` steps are done (counting from `startStep`), evaluating
    /// on `heldOut` every `evaluateEvery` steps and at the end. Leaves the model with the best
    /// held-out weights and returns them with the last ones.
    public func train(training: TranslationPairs, heldOut: TranslationPairs,
                      progress: ((TrainingProgress) -> Void)? = nil) throws -> TrainingResult {
        if model.isConditional, training.features == nil || heldOut.features == nil {
            throw FlowError.inputShape("a conditional translator needs expert features for training and held-out pairs")
        }
        for (name, set) in [("training pairs", training), ("held-out pairs", heldOut)] {
            let bad = set.nonFiniteRows()
            if !bad.isEmpty { throw FlowError.nonFiniteData(what: name, rows: bad) }
        }
        guard training.count > 0, heldOut.count > 0 else {
            throw FlowError.inputShape("training (\(training.count)) and held-out (\(heldOut.count)) pairs must not be empty")
        }
        model.prepare(training: training)
        let features = model.isConditional ? training.features : nil
        let data = try TranslationPairs(codes: training.codes, features: features)

        // Batch order: shuffled epochs from the seed, offset by the start step so a resumed run
        // does not replay the batches it has already seen.
        var rng = Xoshiro256(seed: configuration.seed &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
        var order: [Int] = [], cursor = 0
        func nextBatch() -> [Int] {
            var out: [Int] = []
            while out.count < min(configuration.batchSize, data.count) {
                if cursor == order.count { order = rng.permutation(data.count); cursor = 0 }
                out.append(order[cursor]); cursor += 1
            }
            return out
        }

        let started = Date()
        var history: [(step: Int, trainLoss: Float, heldOutLoss: Float)] = []
        var best: (loss: Float, step: Int, state: TranslatorCheckpoint)?
        var latestHeldOut: Float?
        var windowLoss: Double = 0, windowCount = 0, evalLoss: Double = 0, evalCount = 0
        var windowStart = Date(), windowSteps = 0

        while step < configuration.steps {
            let (z, f) = data.rows(nextBatch())
            guard case .updated(let loss) = try self.step(codes: z, features: f) else { continue }
            windowLoss += Double(loss); windowCount += 1
            evalLoss += Double(loss); evalCount += 1
            windowSteps += 1
            let evaluate = step % configuration.evaluateEvery == 0 || step == configuration.steps
            if evaluate || step % configuration.reportEvery == 0 {
                let rate = Double(windowSteps) / max(Date().timeIntervalSince(windowStart), 1e-9)
                if evaluate {
                    let heldOutLoss = model.evaluate(heldOut)
                    latestHeldOut = heldOutLoss
                    history.append((step, Float(evalLoss / Double(max(evalCount, 1))), heldOutLoss))
                    evalLoss = 0; evalCount = 0
                    if heldOutLoss.isFinite, best == nil || heldOutLoss < best!.loss {
                        best = (heldOutLoss, step, TranslatorCheckpoint(model, step: step))
                    }
                    lastGood = Dictionary(model.stateDict().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                }
                progress?(TrainingProgress(
                    step: step, totalSteps: configuration.steps,
                    trainLoss: Float(windowLoss / Double(max(windowCount, 1))), heldOutLoss: latestHeldOut,
                    bestHeldOutLoss: best?.loss, bestStep: best?.step, stepsPerSecond: rate,
                    learningRate: currentLearningRate, skippedSteps: skippedSteps, evaluated: evaluate,
                    unit: model.lossUnit))
                windowLoss = 0; windowCount = 0; windowSteps = 0; windowStart = Date()
            }
        }

        let last = TranslatorCheckpoint(model, step: step)
        if best == nil {  // nothing to train (resumed at the end): evaluate what we have
            let loss = model.evaluate(heldOut)
            best = (loss, step, last)
        }
        try model.load(stateDict: best!.state.tensorDictionary, source: "best checkpoint")
        return TrainingResult(best: best!.state, bestHeldOutLoss: best!.loss, bestStep: best!.step, last: last,
                              history: history, skippedSteps: skippedSteps,
                              seconds: Date().timeIntervalSince(started))
    }
}
