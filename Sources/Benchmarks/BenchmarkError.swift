/// Errors from selecting or running workloads.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
    case unknownWorkload(String, available: [String])
    case setupFailed(workload: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownWorkload(name, available):
            return "no workload named or starting with '\(name)'; available: \(available.joined(separator: ", ")). Check the --only list."
        case let .setupFailed(workload, reason):
            return "workload \(workload) could not be set up: \(reason)"
        }
    }
}
