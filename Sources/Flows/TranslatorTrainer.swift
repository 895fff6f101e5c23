import Foundation
import NN
import Tensors

/// Trains any `Translator` on in-memory pairs with the tool's `GuardedTrainingLoop` (its doc
/// comment has the rules for NaN, divergence and the best held-out checkpoint): Adam with the
/// configuration's betas, warm-up + cosine schedule, held-out evaluation every `evaluateEvery`
/// steps. What is the translator's own: checking and preparing the data, and the batch order,
/// shuffled epochs from `configuration.seed`.
public final class TranslatorTrainer {
    public let model: any Translator
    public let configuration: TrainingConfiguration
    public let optimizer: Adam
    public let loop: GuardedTrainingLoop

    public init(model: any Translator, configuration: TrainingConfiguration = TrainingConfiguration(), startStep: Int = 0) {
        self.model = model
        self.configuration = configuration
        optimizer = Adam(model.trainableParameters, learningRate: configuration.learningRate,
                         betas: (configuration.beta1, configuration.beta2), amsgrad: configuration.amsgrad)
        loop = GuardedTrainingLoop(model: model, optimizer: optimizer, schedule: configuration.schedule,
                                   settings: configuration.loopSettings, startStep: startStep)
    }

    /// Steps done (the schedule position); starts at `startStep` when resuming.
    public var step: Int { loop.step }
    public var learningRateFactor: Float { loop.learningRateFactor }
    public var currentLearningRate: Float { loop.currentLearningRate }

    /// One step on a batch (codes [B, D], features [B, …] or nil); a batch holding NaN or ±∞ is
    /// skipped untouched.
    @discardableResult
    public func step(codes: Tensor, features: Tensor?) throws -> StepOutcome {
        try loop.step {
            guard codes.isAllFinite, features?.isAllFinite ?? true else { return nil }
            return model.loss(codes: codes, features: features)
        }
    }

    /// Trains until `configuration.steps` steps are done (counting from `startStep`), evaluating
    /// on `heldOut` every `evaluateEvery` steps and at the end. Leaves the model with the best
    /// held-out weights and returns them with the last ones.
    public func train(training: TranslationPairs, heldOut: TranslationPairs,
                      progress: ((TrainingProgress) -> Void)? = nil) throws -> TranslatorTrainingResult {
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

        let result = try loop.run(batchLoss: { _ in
            let (z, f) = data.rows(nextBatch())
            return model.loss(codes: z, features: f)
        }, heldOutLoss: { self.model.evaluate(heldOut) }, progress: progress)
        return TranslatorTrainingResult(model, result)
    }
}
