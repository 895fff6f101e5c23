/// What `GuardedTrainingLoop.run` did. The model is left holding `best`.
public struct TrainingLoopResult {
    /// The weights with the lowest held-out loss (state dict snapshot), or the last ones when the
    /// caller has no held-out set.
    public var best: [StateEntry]
    public var bestStep: Int
    /// Nil without a held-out set.
    public var bestHeldOutLoss: Float?
    /// The weights after the last step (for resuming) and the steps done.
    public var last: [StateEntry]
    public var lastStep: Int
    /// (step, mean train loss of the updated steps since the previous evaluation — NaN if none —,
    /// held-out loss) at every held-out evaluation.
    public var history: [(step: Int, trainLoss: Float, heldOutLoss: Float)]
    public var skippedSteps: Int
    public var seconds: Double
}
