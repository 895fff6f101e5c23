/// What one step of a `GuardedTrainingLoop` did.
public enum StepOutcome: Equatable {
    /// Parameters updated; the batch loss before the update.
    case updated(loss: Float)
    /// The caller found the batch unusable (NaN or ±∞ inputs): nothing changed, no penalty.
    case skippedBadBatch
    /// Loss, gradients or updated weights were non-finite: the weights are as before the step and
    /// the learning rate was halved.
    case skippedNonFinite
}
