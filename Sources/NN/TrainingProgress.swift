/// What a `GuardedTrainingLoop` reports to its progress callback (enough for a bar with rate and ETA).
public struct TrainingProgress: Sendable {
    /// Steps done so far (1-based count, including those before a resume).
    public var step: Int
    public var totalSteps: Int
    /// Mean training loss of the steps that updated since the previous report; NaN if none did.
    public var trainLoss: Float
    /// Latest held-out loss (nil before the first evaluation, or without a held-out set).
    public var heldOutLoss: Float?
    /// Best held-out loss so far and the step it was reached at.
    public var bestHeldOutLoss: Float?
    public var bestStep: Int?
    /// Training speed over the steps since the previous report (evaluation time excluded).
    public var stepsPerSecond: Double
    /// The rate the next step will use.
    public var learningRate: Float
    /// Steps skipped so far (unusable batches and non-finite values).
    public var skippedSteps: Int
    /// True when this report follows a held-out evaluation.
    public var evaluated: Bool

    /// Seconds left at the current rate.
    public var estimatedSecondsLeft: Double {
        stepsPerSecond > 0 ? Double(totalSteps - step) / stepsPerSecond : .infinity
    }
}
