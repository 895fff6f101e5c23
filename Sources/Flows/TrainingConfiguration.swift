import NN

/// How a translator is trained. Defaults follow net2net where it has a choice (Adam betas
/// (0.5, 0.9), amsgrad) and the prototype otherwise (3000 steps at batch 128, where it began to
/// overfit with 20k pairs). The schedule is a 100-step linear warm-up then cosine decay to 1% of
/// the peak, which lets the 10-block flow start at a rate that would otherwise jolt fresh ActNorms.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    public var steps: Int = 3000
    public var batchSize: Int = 128
    /// Peak learning rate. net2net uses 4.5e-6 × batch (5.8e-4 at 128) on GPU-sized flows; our
    /// small flow trains well at 5e-4.
    public var learningRate: Float = 5e-4
    public var warmupSteps: Int = 100
    public var finalLearningRateFraction: Float = 0.01
    public var beta1: Float = 0.5
    public var beta2: Float = 0.9
    public var amsgrad: Bool = true
    /// Joint L2 norm the gradients are clipped to (of the per-dimension loss).
    public var clipNorm: Float = 10
    /// Held-out evaluation (and best-checkpoint selection) every this many steps, and at the end.
    public var evaluateEvery: Int = 250
    /// Progress callback every this many steps (and after every evaluation).
    public var reportEvery: Int = 10
    /// Non-finite losses or gradients in a row before training stops with `TrainingDiverged`.
    /// Each one skips its step and halves the learning rate (`GuardedTrainingLoop`).
    public var maxConsecutiveFailures: Int = 10
    /// Batch order; model initialisation has its own seed in `FlowConfiguration`.
    public var seed: UInt64 = 0

    public init() {}

    /// What the `GuardedTrainingLoop` takes from this configuration.
    public var loopSettings: TrainingLoopSettings {
        TrainingLoopSettings(steps: steps, clipNorm: clipNorm, checkpointEvery: evaluateEvery, reportEvery: reportEvery,
                             maxConsecutiveFailures: maxConsecutiveFailures)
    }

    public var schedule: LearningRateSchedule {
        .warmupCosine(peak: learningRate, warmup: warmupSteps, total: steps,
                      final: learningRate * finalLearningRateFraction)
    }
}
