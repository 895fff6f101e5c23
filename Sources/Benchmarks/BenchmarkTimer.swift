import Foundation

/// Times a step the way the reference's `timed()` does: `warmup` untimed calls, then as many
/// calls as start within `seconds`, rate = calls / elapsed (the last call is counted in full).
public enum BenchmarkTimer {
    public static func stepsPerSecond(seconds: Double, warmup: Int = 3, _ step: () -> Void) -> (rate: Double, steps: Int) {
        for _ in 0..<warmup { step() }
        var steps = 0
        let start = now()
        while now() - start < seconds {
            step()
            steps += 1
        }
        return (Double(steps) / (now() - start), steps)
    }

    /// Monotonic seconds.
    static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
    }
}
