import Foundation
import SafeTensors
import Tensors

/// Weights on disk: a module's state dict as a safetensors file, with string metadata (the
/// recipe, metrics, configuration). Integer buffers are written as I64, everything else as F32.
extension Module {
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Checkpoint.write(stateDict(), metadata: metadata, to: url)
    }

    /// Loads weights written by `save` (or by PyTorch's safetensors with the same keys) and
    /// returns the file's metadata. Errors name the file and every offending key.
    @discardableResult
    public func load(contentsOf url: URL, strict: Bool = true) throws -> [String: String] {
        let file = try SafeTensorsFile.read(contentsOf: url)
        let values = try Checkpoint.tensors(in: file)
        // A float weight stored as integers (or the reverse) would load as the wrong numbers, and
        // a non-finite weight poisons every output: both are errors here, not surprises later.
        for entry in stateDict() {
            guard let dtype = try? file.entry(entry.key).dtype, let value = values[entry.key] else { continue }
            let isInteger = ![.f32, .f16, .bf16, .f64].contains(dtype)
            if isInteger != entry.isInteger {
                throw CheckpointError(path: url.path, reason: "tensor '\(entry.key)' is stored as \(dtype), the model needs "
                                      + (entry.isInteger ? "an integer type" : "floating point (F32, F16, BF16 or F64)"))
            }
            if !isInteger, !value.isAllFinite {
                throw CheckpointError(path: url.path, reason: "tensor '\(entry.key)' holds NaN or infinite values")
            }
        }
        try load(stateDict: values, source: url.path, strict: strict)
        return file.metadata
    }
}

/// A weights file that parses but cannot be the model's weights.
public struct CheckpointError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "weights file \(path): \(reason); restore the file or retrain the model" }
}

public enum Checkpoint {
    /// Writes named tensors atomically: integer entries as I64, the rest as F32.
    public static func write(_ entries: [StateEntry], metadata: [String: String] = [:], to url: URL) throws {
        var file = SafeTensorsFile(metadata: metadata)
        for entry in entries {
            if entry.isInteger {
                try file.setInt64s(entry.key, shape: entry.value.shape, values: entry.value.scalars.map { Int64($0) })
            } else {
                try entry.value.withUnsafeBufferPointer { try file.setFloats(entry.key, shape: entry.value.shape, buffer: $0) }
            }
        }
        try file.write(to: url)
    }

    /// Every tensor of a file as a Float tensor (integer tensors converted exactly up to 2²⁴).
    public static func tensors(in file: SafeTensorsFile) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for name in file.names {
            let entry = try file.entry(name)
            switch entry.dtype {
            case .f32, .f16, .bf16:
                let (shape, values) = try file.floats(name)
                out[name] = Tensor(shape: shape, scalars: values)
            case .f64:
                let (shape, values) = try file.doubles(name)
                out[name] = Tensor(shape: shape, scalars: values.map(Float.init))
            default:
                let (shape, values) = try file.int64s(name)
                out[name] = Tensor(shape: shape, scalars: values.map(Float.init))
            }
        }
        return out
    }
}
