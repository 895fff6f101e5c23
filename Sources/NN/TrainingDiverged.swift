/// A `GuardedTrainingLoop` met `maxConsecutiveFailures` non-finite steps in a row. The model
/// holds the last finite weights.
public struct TrainingDiverged: Error, CustomStringConvertible {
    /// The step (0-based) of the last failure.
    public let step: Int
    public let failures: Int
    /// The rate after the last halving.
    public let learningRate: Float

    public var description: String {
        "training diverged at step \(step): \(failures) non-finite losses or gradients in a row "
            + "(learning rate already halved to \(learningRate)); lower the learning rate or clip harder. "
            + "The weights are the last finite ones."
    }
}
