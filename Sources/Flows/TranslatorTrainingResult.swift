import NN

/// The outcome of `TranslatorTrainer.train`: the loop's result with its snapshots as translator
/// checkpoints. The model itself is left holding the best weights.
public struct TranslatorTrainingResult {
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

    init(_ model: any Translator, _ run: TrainingLoopResult) {
        best = TranslatorCheckpoint(model, tensors: run.best, step: run.bestStep)
        last = TranslatorCheckpoint(model, tensors: run.last, step: run.lastStep)
        // The trainer always hands the loop its held-out set, so the loss was measured.
        bestHeldOutLoss = run.bestHeldOutLoss ?? .nan
        bestStep = run.bestStep
        history = run.history
        skippedSteps = run.skippedSteps
        seconds = run.seconds
    }
}
