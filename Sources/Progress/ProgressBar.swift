import Foundation

/// A one-line progress bar on standard error with rate and ETA, redrawn at most ten times a
/// second. When standard error is not a terminal (CI logs), it prints a plain line every 10%.
public final class ProgressBar {
    private let label: String
    private let total: Int
    private let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastDecile = -1
    private let isTerminal = isatty(fileno(stderr)) != 0

    public init(_ label: String, total: Int, unit: String = "it") {
        (self.label, self.total, self.unit) = (label, max(total, 1), unit)
    }

    /// Reports that `done` of `total` are finished; `status` is shown after the bar (e.g. the loss).
    public func update(_ done: Int, status: String = "") {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let fraction = Double(min(done, total)) / Double(total)
        let text = "\(label) \(done)/\(total) \(String(format: "%.1f", rate)) \(unit)/s ETA \(Self.clock(eta)) \(status)"
        if isTerminal {
            guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
            lastDraw = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(text)".utf8))
        } else {
            let decile = Int(fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    /// A line of its own above the bar (the bar is redrawn at the next update).
    public func note(_ line: String) {
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line + "\n").utf8))
        lastDraw = .distantPast
    }

    /// Final line with the elapsed time.
    public func finish(_ status: String = "") {
        let elapsed = Date().timeIntervalSince(start)
        let line = "\(label) done in \(Self.clock(elapsed)) \(status)\n"
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line).utf8))
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
