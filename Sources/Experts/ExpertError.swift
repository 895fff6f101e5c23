/// Problems a user can fix: each message names the problem and the fix.
public enum ExpertError: Error, CustomStringConvertible, Equatable {
    case unknownExpert(String, valid: [String])
    case unknownLayer(String, expert: String, layers: [String], aliases: [String])
    case missingWeights(expert: String, path: String)
    case corruptProbe(path: String, reason: String)
    case missingProbe(expert: String, path: String)
    case corruptMetadata(path: String, key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .unknownExpert(name, valid):
            return "unknown expert '\(name)'; valid experts: \(valid.joined(separator: ", "))"
        case let .unknownLayer(name, expert, layers, aliases):
            return "expert '\(expert)' has no layer '\(name)'; valid layers: \(layers.joined(separator: ", ")); aliases: \(aliases.joined(separator: ", ")) (see `diagnose layers --expert \(expert)`)"
        case let .missingWeights(expert, path):
            return "no weights for '\(expert)' at \(path); train them with `diagnose train \(expert) --out runs` and copy runs/\(expert).safetensors there"
        case let .corruptProbe(path, reason):
            return "cannot read the probe file \(path): \(reason)"
        case let .missingProbe(expert, path):
            return "the probe file of the built-in expert '\(expert)' is missing at \(path); restore it (`git checkout probes/`) "
                + "or point DIAGNOSE_HOME at a checkout that has probes/"
        case let .corruptMetadata(path, key, value, expected):
            return "weights file \(path): metadata '\(key)' is '\(value)', expected \(expected); restore the shipped file or retrain it"
        }
    }
}
