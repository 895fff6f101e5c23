import Foundation

/// Points of a run where the fault tests cut it short as a power cut or `kill -9` would: with
/// `DIAGNOSE_KILL_AT=POINT` in the environment the process sends itself SIGKILL there, and a
/// rerun must give the same report as an uninterrupted run (docs/reliability.md). Without the
/// variable nothing happens.
enum KillPoint: String, CaseIterable {
    /// Features and codes are cached; nothing trained yet.
    case features
    /// The first translator is trained and cached; the others are not.
    case translators
    /// Every layer is evaluated and its sheet written to the staging folder; no overview yet.
    case figures
    /// The staging folder is complete and about to replace the report.
    case publish

    static let variable = "DIAGNOSE_KILL_AT"

    func reached() {
        if ProcessInfo.processInfo.environment[Self.variable] == rawValue { kill(getpid(), SIGKILL) }
    }
}
