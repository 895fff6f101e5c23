import Foundation

/// Seconds spent per stage of a run (report.json `timings_seconds`); a stage may be timed in
/// several pieces, which add up.
final class StageClock {
    private(set) var seconds: [String: Double] = [:]
    private let started = Date()

    func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let t0 = Date()
        defer { seconds[stage, default: 0] += Date().timeIntervalSince(t0) }
        return try body()
    }

    /// The stages and the total since the clock was made.
    var withTotal: [String: Double] { seconds.merging(["total": Date().timeIntervalSince(started)]) { _, total in total } }
}
