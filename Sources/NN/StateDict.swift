import Tensors

/// Why weights could not be loaded into a module: every problem at once, naming the source
/// (usually a file) and the keys, so the fix is clear.
public struct StateDictError: Error, CustomStringConvertible {
    public let source: String
    public let missing: [String]
    public let unexpected: [String]
    public let shapeMismatches: [(key: String, expected: [Int], found: [Int])]

    public var description: String {
        var lines = ["cannot load weights from \(source) into the model:"]
        if !missing.isEmpty { lines.append("  missing keys: \(Self.list(missing))") }
        if !unexpected.isEmpty { lines.append("  unexpected keys: \(Self.list(unexpected))") }
        for m in shapeMismatches { lines.append("  \(m.key): the model has shape \(m.expected), the file has \(m.found)") }
        lines.append("  (were these weights written for another architecture or size? retrain, or pass the matching file)")
        return lines.joined(separator: "\n")
    }

    private static func list(_ keys: [String]) -> String {
        keys.count <= 8 ? keys.joined(separator: ", ") : keys.prefix(8).joined(separator: ", ") + ", … (\(keys.count) in all)"
    }
}

/// One named tensor of a state dict.
public struct StateEntry {
    public let key: String
    public let value: Tensor
    /// Stored as I64 (PyTorch's integer buffers such as num_batches_tracked).
    public let isInteger: Bool

    public init(key: String, value: Tensor, isInteger: Bool = false) {
        (self.key, self.value, self.isInteger) = (key, value, isInteger)
    }
}

extension Module {
    /// Parameters then buffers of every sub-module, under their dotted keys.
    public func stateDict() -> [StateEntry] {
        var entries: [StateEntry] = []
        for (prefix, m) in namedModules() {
            for (name, member) in m.members() {
                let key = Module.join(prefix, name)
                if let p = member as? Parameter { entries.append(StateEntry(key: key, value: p.value.detached, isInteger: false)) }
                if let b = member as? Buffer { entries.append(StateEntry(key: key, value: b.value, isInteger: b.isInteger)) }
            }
        }
        return entries
    }

    /// Loads values by key. Nothing is assigned unless every key matches in name and shape
    /// (with `strict`, extra keys are an error too).
    public func load(stateDict values: [String: Tensor], source: String, strict: Bool = true) throws {
        let params = namedParameters(), buffers = namedBuffers()
        var known = Set<String>()
        var missing: [String] = [], mismatches: [(String, [Int], [Int])] = []
        for (key, shape) in params.map({ ($0.0, $0.1.value.shape) }) + buffers.map({ ($0.0, $0.1.value.shape) }) {
            known.insert(key)
            guard let v = values[key] else { missing.append(key); continue }
            if v.shape != shape { mismatches.append((key, shape, v.shape)) }
        }
        let unexpected = strict ? values.keys.filter { !known.contains($0) }.sorted() : []
        guard missing.isEmpty, mismatches.isEmpty, unexpected.isEmpty else {
            throw StateDictError(source: source, missing: missing, unexpected: unexpected,
                                 shapeMismatches: mismatches.map { (key: $0.0, expected: $0.1, found: $0.2) })
        }
        for (key, p) in params { p.assign(values[key]!) }
        for (key, b) in buffers { b.value = values[key]!.detached }
    }
}
