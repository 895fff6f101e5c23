import Foundation

/// The JSON `diagnose bench` prints: the same shape as torch_reference.py's output
/// (`{"workloads": {name: {"value": v, "unit": u}}}`) plus what explains our numbers.
public struct BenchmarkReport: Codable, Equatable {
    public struct Result: Codable, Equatable {
        public var value: Double
        public var unit: String
    }

    public var threads: Int
    /// OpenBLAS's kernel family, e.g. "SkylakeX".
    public var corename: String
    public var workloads: [String: Result] = [:]

    public init(threads: Int, corename: String) {
        self.threads = threads
        self.corename = corename
    }

    /// Records a value rounded to 3 decimals, as the reference does.
    public mutating func record(_ name: String, value: Double, unit: String) {
        workloads[name] = Result(value: (value * 1000).rounded() / 1000, unit: unit)
    }

    /// Pretty-printed JSON with sorted keys, so two runs diff cleanly.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
