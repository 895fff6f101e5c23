import Foundation

/// Everything that can go wrong reading, querying or writing a safetensors file.
///
/// `file` is the path (or "<memory>" for in-memory data); `key` is the tensor name involved.
/// `description` is a complete sentence for the user: what is wrong, where, and what to do.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// No file at the path.
    case fileMissing(file: String)
    /// The file exists but could not be read (permissions, a directory, I/O error).
    case unreadable(file: String, reason: String)
    /// Shorter than the 8-byte length prefix, or the header length points past the end.
    case truncated(file: String, detail: String)
    /// The header is not UTF-8 JSON, not an object, or an entry lacks a field or has a wrong type.
    /// `key` is nil when the problem is with the header as a whole.
    case corruptHeader(file: String, key: String?, detail: String)
    /// A dtype this reader does not know (e.g. 8-bit floats).
    case unknownDType(file: String, key: String, dtype: String)
    /// shape × element size differs from the byte range given by data_offsets.
    case sizeMismatch(file: String, key: String, detail: String)
    /// data_offsets reach past the end of the data buffer.
    case offsetsOutOfBounds(file: String, key: String, begin: Int, end: Int, bufferSize: Int)
    /// Byte ranges overlap, leave gaps, or do not cover the data buffer exactly.
    case offsetsNotContiguous(file: String, key: String?, detail: String)
    /// A caller asked for a tensor that is not there.
    case missingKey(file: String, key: String, available: [String])
    /// A caller asked for a tensor as a type it cannot be read as without loss.
    case wrongDType(file: String, key: String, actual: SafeTensorsDType, requested: String, hint: String)
    /// A tensor handed to a builder is inconsistent (count ≠ shape product, reserved name, ...).
    case invalidTensor(key: String?, detail: String)
    /// Writing failed; no partial file is left at the destination.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .fileMissing(file):
            return "\(file): no such file. Check the path, or create it first (e.g. with the training command that writes it)."
        case let .unreadable(file, reason):
            return "\(file): cannot be read (\(reason)). Check that it is a regular file you may read."
        case let .truncated(file, detail):
            return "\(file): truncated safetensors file: \(detail). The file was probably cut short while copying or writing; write or download it again."
        case let .corruptHeader(file, key, detail):
            let at = key.map { " at key '\($0)'" } ?? ""
            return "\(file): corrupt safetensors header\(at): \(detail). The file is damaged or not a safetensors file; write it again."
        case let .unknownDType(file, key, dtype):
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): tensor '\(key)' has dtype '\(dtype)', which this reader does not support (supported: \(known)). Convert it before saving, e.g. tensor.float() in PyTorch."
        case let .sizeMismatch(file, key, detail):
            return "\(file): tensor '\(key)': \(detail). The header and the data disagree; the file is damaged, write it again."
        case let .offsetsOutOfBounds(file, key, begin, end, bufferSize):
            return "\(file): tensor '\(key)' has data_offsets [\(begin), \(end)] but the data buffer holds only \(bufferSize) bytes. The file is probably truncated; write or download it again."
        case let .offsetsNotContiguous(file, key, detail):
            let at = key.map { " at tensor '\($0)'" } ?? ""
            return "\(file): tensor data ranges\(at) \(detail). Safetensors requires the ranges to tile the data buffer without gaps or overlaps; the file is damaged, write it again."
        case let .missingKey(file, key, available):
            let shown = available.sorted().prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            let more = available.count > 5 ? ", ... (\(available.count) in all)" : ""
            let list = available.isEmpty ? "the file holds no tensors" : "available: \(shown)\(more)"
            return "\(file): no tensor named '\(key)' (\(list)). Check the name, or that the file was written by the same model version."
        case let .wrongDType(file, key, actual, requested, hint):
            return "\(file): tensor '\(key)' is \(actual.rawValue), not readable as \(requested). \(hint)"
        case let .invalidTensor(key, detail):
            let at = key.map { "tensor '\($0)': " } ?? ""
            return "invalid tensor: \(at)\(detail). Fix the values or shape passed in."
        case let .writeFailed(file, reason):
            return "\(file): could not write safetensors file (\(reason)). Nothing was written there; check that the directory exists and is writable, and the free space."
        }
    }

    public var errorDescription: String? { description }
}
