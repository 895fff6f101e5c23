import NN

/// The outcome of `TranslatorTrainer.train`. The model itself is left holding the best weights.
public struct TrainingResult {
    /// The best checkpoint by held-out loss (weights + metadata, `step` = the step it was taken).
    public var best: TranslatorCheckpoint
    public var bestHeldOutLoss: Float
    public var bestStep: Int
    /// The weights after the last step (for resuming; `step` = steps done).
    public var last: TranslatorCheckpoint
    /// (step, train loss since previous evaluation, held-out loss) at every evaluation.
    public var history: [(step: Int, trainLoss: Float, heldOutLoss: Float)]
    public var skippedSteps: Int
    public var seconds: Double
}
