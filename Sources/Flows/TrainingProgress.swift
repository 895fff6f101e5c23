/// What the trainer reports to its progress callback (enough for a bar with rate and ETA).
public struct TrainingProgress: Sendable {
    /// Steps done so far (1-based count, including those before a resume).
    public var step: Int
    public var totalSteps: Int
    /// Mean training loss since the previous report (nats/dim for flows, mse/dim for the MLP).
    public var trainLoss: Float
    /// Latest held-out loss in the same unit (nil before the first evaluation).
    public var heldOutLoss: Float?
    /// Best held-out loss so far and the step it was reached at.
    public var bestHeldOutLoss: Float?
    public var bestStep: Int?
    /// Training speed over the steps since the previous report (evaluation time excluded).
    public var stepsPerSecond: Double
    public var learningRate: Float
    /// Steps skipped so far because of non-finite values.
    public var skippedSteps: Int
    /// True when this report follows a held-out evaluation.
    public var evaluated: Bool
    public var unit: String

    /// Seconds left at the current rate.
    public var estimatedSecondsLeft: Double {
        stepsPerSecond > 0 ? Double(totalSteps - step) / stepsPerSecond : .infinity
    }
}
