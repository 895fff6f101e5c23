/// One benchmark workload, in the shape of `../shared/bench/torch_reference.py`.
///
/// The reported value is steps per second × `workPerStep`, so `workPerStep` is in the unit's
/// numerator: GFLOP per step for "GFLOP/s", 1 for "steps/s (batch 64)", 500 for
/// "images/s (batch 500)". Names, units and work counts must match the reference script exactly,
/// or `compare.py`'s ratios mean nothing.
public struct Workload {
    public let name: String
    public let unit: String
    public let workPerStep: Double
    /// Untimed calls of the step before timing: 3, as the reference's `timed()`, which its image
    /// workload calls with 1.
    public let warmup: Int
    /// Builds inputs and weights (untimed) and returns the step that is timed.
    public let setup: () throws -> () -> Void

    public init(name: String, unit: String, workPerStep: Double, warmup: Int = 3, setup: @escaping () throws -> () -> Void) {
        self.name = name
        self.unit = unit
        self.workPerStep = workPerStep
        self.warmup = warmup
        self.setup = setup
    }
}
