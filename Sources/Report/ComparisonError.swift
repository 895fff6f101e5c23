import Foundation

/// Why `diagnose compare` cannot compare the runs it was given; each message names the run (and,
/// for incomparable runs, both runs and the field) and says what to do.
public enum ComparisonError: Error, CustomStringConvertible, LocalizedError {
    case tooFewRuns(count: Int)
    case missingFolder(path: String)
    case notAReport(path: String)
    case unreadableReport(path: String, reason: String)
    case sameRunTwice(path: String)
    /// The two runs differ in `field` (as report.json names it): `first` has `a`, `second` has `b`.
    case notComparable(first: String, second: String, field: String, a: String, b: String, why: String)
    /// A run's report.json lacks a field the check needs (written by an older version).
    case missingField(run: String, field: String)

    public var description: String {
        switch self {
        case let .tooFewRuns(count):
            return "compare needs at least two finished runs, got \(count): pass two or more report folders, "
                + "e.g. diagnose compare runs/deeplab runs/resnet --out comparison"
        case let .missingFolder(path):
            return "\(path): no such folder. Pass the --out folder of a finished `diagnose` run (it holds report.json)."
        case let .notAReport(path):
            return "\(path): not a diagnose report (no report.json in it). Pass the --out folder of a finished run, "
                + "or run `diagnose --expert E --out \(path)` first."
        case let .unreadableReport(path, reason):
            return "\(path)/report.json cannot be read as a diagnose report (\(reason)). Re-run the diagnosis into that folder "
                + "with --force to write it again."
        case let .sameRunTwice(path):
            return "\(path) is given twice: compare different runs."
        case let .notComparable(first, second, field, a, b, why):
            return "runs \(first) and \(second) are not comparable: \(field) differs (\(a) vs \(b)); \(why)"
        case let .missingField(run, field):
            return "run \(run): report.json does not record \(field), which the comparability check needs; re-run it with this version of diagnose."
        }
    }

    public var errorDescription: String? { description }
}
