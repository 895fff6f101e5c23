/// The length, guards and rhythm of a `GuardedTrainingLoop`; what is trained, on which batches
/// and with which optimiser and schedule is the caller's.
public struct TrainingLoopSettings: Equatable, Sendable {
    /// Steps of the whole run (a resumed loop counts from its start step up to this).
    public var steps: Int
    /// Joint L2 norm the gradients are clipped to.
    public var clipNorm: Float
    /// Non-finite steps in a row before the loop stops with `TrainingDiverged`.
    public var maxConsecutiveFailures: Int
    /// Every this many steps and after the last: held-out evaluation, best-weights selection, the
    /// last-good snapshot and the caller's checkpoint hook.
    public var checkpointEvery: Int
    /// Progress callback every this many steps (and after every held-out evaluation).
    public var reportEvery: Int

    public init(steps: Int, clipNorm: Float, checkpointEvery: Int, reportEvery: Int = 10, maxConsecutiveFailures: Int = 10) {
        precondition(checkpointEvery > 0 && reportEvery > 0 && maxConsecutiveFailures > 0,
                     "TrainingLoopSettings: checkpointEvery \(checkpointEvery), reportEvery \(reportEvery), "
                         + "maxConsecutiveFailures \(maxConsecutiveFailures) must be positive")
        (self.steps, self.clipNorm, self.checkpointEvery, self.reportEvery, self.maxConsecutiveFailures) =
            (steps, clipNorm, checkpointEvery, reportEvery, maxConsecutiveFailures)
    }
}
