/// What one training step did.
public enum StepOutcome: Equatable {
    /// Parameters updated; the batch loss before the update.
    case updated(loss: Float)
    /// The batch itself held NaN or ±∞: nothing changed (the learning rate is kept).
    case skippedBadBatch
    /// Loss or gradients were non-finite: nothing changed, the learning rate was halved.
    case skippedNonFinite
}
