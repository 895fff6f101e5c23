import Foundation

/// The contents of a safetensors file: named tensors and a string-to-string metadata map.
///
/// Independent of any tensor type: entries hold raw little-endian bytes, and typed accessors and
/// builders convert to and from Swift arrays. Reading validates the whole file (see
/// `SafeTensorsFile+Reading.swift`); writing is deterministic and atomic
/// (`SafeTensorsFile+Writing.swift`).
public struct SafeTensorsFile: Sendable {
    /// The name under which the format stores metadata; no tensor may use it.
    public static let metadataKey = "__metadata__"

    /// Read-only outside the module so every name goes through `set(_:_:)`'s checks.
    public internal(set) var tensors: [String: TensorEntry]
    public var metadata: [String: String]
    /// Where the contents came from (a path, or "<memory>"), used to name the file in errors.
    public var source: String

    public init(metadata: [String: String] = [:], source: String = "<memory>") {
        self.tensors = [:]
        self.metadata = metadata
        self.source = source
    }

    /// Tensor names in byte order of their UTF-8 spelling.
    public var names: [String] { tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    // MARK: - Reading values

    /// The entry for `name`, or `missingKey` listing some available names.
    public func entry(_ name: String) throws -> TensorEntry {
        guard let entry = tensors[name] else {
            throw SafeTensorsError.missingKey(file: source, key: name, available: Array(tensors.keys))
        }
        return entry
    }

    /// Values as `Float`: F32 as is, F16 and BF16 widened exactly.
    public func floats(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let entry = try entry(name)
        switch entry.dtype {
        case .f32: return (entry.shape, LittleEndianBytes.decodeFloats(entry.data))
        case .f16: return (entry.shape, LittleEndianBytes.decode(entry.data, as: UInt16.self).map(HalfPrecision.float(fromF16:)))
        case .bf16: return (entry.shape, LittleEndianBytes.decode(entry.data, as: UInt16.self).map(HalfPrecision.float(fromBF16:)))
        default:
            throw wrongDType(name, entry, "Float",
                             entry.dtype == .f64 ? "Use doubles(_:) for F64 (Float would round)." : "Use int64s(_:) for integer tensors.")
        }
    }

    /// `floats(name)` written straight into `buffer`, which must hold exactly the tensor's
    /// elements: large tensors (cached features) are then held once, not also as an array.
    public func copyFloats(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let entry = try entry(name)
        guard buffer.count == entry.shape.reduce(1, *) else {
            throw SafeTensorsError.invalidTensor(key: name, detail: "\(buffer.count) elements requested, the file holds shape \(entry.shape)")
        }
        #if _endian(little)
        if entry.dtype == .f32 { _ = entry.data.copyBytes(to: buffer); return }
        #endif
        _ = buffer.update(from: try floats(name).values)
    }

    /// Values as `Double`: F64 as is, F32, F16 and BF16 widened exactly.
    public func doubles(_ name: String) throws -> (shape: [Int], values: [Double]) {
        let entry = try entry(name)
        switch entry.dtype {
        case .f64: return (entry.shape, LittleEndianBytes.decodeDoubles(entry.data))
        case .f32, .f16, .bf16: return (entry.shape, try floats(name).values.map(Double.init))
        default: throw wrongDType(name, entry, "Double", "Use int64s(_:) for integer tensors.")
        }
    }

    /// Values as `Int64`: any integer dtype that fits without loss (I64, I32, I16, I8, U32, U16, U8).
    public func int64s(_ name: String) throws -> (shape: [Int], values: [Int64]) {
        let entry = try entry(name)
        let data = entry.data
        switch entry.dtype {
        case .i64: return (entry.shape, LittleEndianBytes.decode(data, as: Int64.self))
        case .i32: return (entry.shape, LittleEndianBytes.decode(data, as: Int32.self).map(Int64.init))
        case .i16: return (entry.shape, LittleEndianBytes.decode(data, as: Int16.self).map(Int64.init))
        case .i8: return (entry.shape, LittleEndianBytes.decode(data, as: Int8.self).map(Int64.init))
        case .u32: return (entry.shape, LittleEndianBytes.decode(data, as: UInt32.self).map(Int64.init))
        case .u16: return (entry.shape, LittleEndianBytes.decode(data, as: UInt16.self).map(Int64.init))
        case .u8: return (entry.shape, LittleEndianBytes.decode(data, as: UInt8.self).map(Int64.init))
        case .u64, .bool:
            throw wrongDType(name, entry, "Int64", "Read its raw bytes with entry(_:).data instead.")
        case .f16, .bf16, .f32, .f64:
            throw wrongDType(name, entry, "Int64", "Use floats(_:) or doubles(_:) for floating-point tensors.")
        }
    }

    private func wrongDType(_ name: String, _ entry: TensorEntry, _ requested: String, _ hint: String) -> SafeTensorsError {
        .wrongDType(file: source, key: name, actual: entry.dtype, requested: requested, hint: hint)
    }

    // MARK: - Building

    /// Adds or replaces a tensor. Throws for the reserved name "__metadata__" or an empty name.
    public mutating func set(_ name: String, _ entry: TensorEntry) throws {
        guard !name.isEmpty, name != Self.metadataKey else {
            throw SafeTensorsError.invalidTensor(
                key: name, detail: name.isEmpty ? "the name is empty" : "the name '\(Self.metadataKey)' is reserved for metadata")
        }
        tensors[name] = entry
    }

    public mutating func setFloats(_ name: String, shape: [Int], values: [Float]) throws {
        try values.withUnsafeBufferPointer { try setFloats(name, shape: shape, buffer: $0) }
    }

    /// `setFloats` from a buffer, so a tensor's storage is encoded without an intermediate array.
    public mutating func setFloats(_ name: String, shape: [Int], buffer: UnsafeBufferPointer<Float>) throws {
        try set(name, dtype: .f32, shape: shape, count: buffer.count, data: LittleEndianBytes.encodeFloats(buffer))
    }

    public mutating func setDoubles(_ name: String, shape: [Int], values: [Double]) throws {
        try set(name, dtype: .f64, shape: shape, count: values.count, data: LittleEndianBytes.encodeDoubles(values))
    }

    public mutating func setInt64s(_ name: String, shape: [Int], values: [Int64]) throws {
        try set(name, dtype: .i64, shape: shape, count: values.count, data: LittleEndianBytes.encode(values))
    }

    public mutating func setInt32s(_ name: String, shape: [Int], values: [Int32]) throws {
        try set(name, dtype: .i32, shape: shape, count: values.count, data: LittleEndianBytes.encode(values))
    }

    public mutating func setBytes(_ name: String, shape: [Int], values: [UInt8]) throws {
        try set(name, dtype: .u8, shape: shape, count: values.count, data: Data(values))
    }

    @discardableResult
    public mutating func removeTensor(_ name: String) -> TensorEntry? {
        tensors.removeValue(forKey: name)
    }

    private mutating func set(_ name: String, dtype: SafeTensorsDType, shape: [Int], count: Int, data: Data) throws {
        // Check the count first so the message talks about values, not bytes.
        guard let expected = TensorEntry.elementCount(of: shape), expected == count else {
            throw SafeTensorsError.invalidTensor(
                key: name, detail: "shape \(shape) needs \(TensorEntry.elementCount(of: shape).map(String.init) ?? "an impossible number of") values, got \(count)")
        }
        do {
            try set(name, TensorEntry(dtype: dtype, shape: shape, data: data))
        } catch SafeTensorsError.invalidTensor(nil, let detail) {
            throw SafeTensorsError.invalidTensor(key: name, detail: detail)
        }
    }
}
