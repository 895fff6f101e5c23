import Foundation

/// Seconds spent per stage of a run (report.json `timings_seconds`); a stage may be timed in
/// several pieces, which add up.
final class StageClock {
    private(set) var seconds: [String: Double] = [:]
    private let started = Date()
    /// Seconds spent before this clock was made, in other processes (the tasks of a plan).
    private var earlier: Double = 0

    func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let t0 = Date()
        defer { seconds[stage, default: 0] += Date().timeIntervalSince(t0) }
        return try body()
    }

    /// Adds the stage times of another process (a plan's task) and its total to this clock's.
    func add(_ other: [String: Double]) {
        for (stage, s) in other where stage != "total" { seconds[stage, default: 0] += s }
        earlier += other["total"] ?? 0
    }

    /// The stages and the total since the clock was made (plus what `add` brought in).
    var withTotal: [String: Double] {
        seconds.merging(["total": earlier + Date().timeIntervalSince(started)]) { _, total in total }
    }
}
