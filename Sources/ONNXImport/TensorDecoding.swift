import Foundation
import Tensors

/// Initializers and Constant tensors as values: float32 as is, float16 and float64 converted to
/// float32, the integer and boolean types to int64. Data comes from `raw_data` (little-endian)
/// or from the typed fields; external data is refused by the model reader before this.
enum TensorDecoding {
    struct Failure: Error { let reason: String }

    static func value(_ proto: Onnx_TensorProto) throws -> Value {
        let shape = proto.dims.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw Failure(reason: "negative dimension in \(shape)") }
        // The dims come from the file: their product may not even fit an Int.
        let count = try shape.reduce(1) { product, d in
            let (next, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else { throw Failure(reason: "the shape \(shape) has more values than can be counted") }
            return next
        }
        let raw = proto.hasRawData ? proto.rawData : nil
        func check(_ n: Int) throws {
            guard n == count else { throw Failure(reason: "\(n) values for shape \(shape)") }
        }
        typealias T = Onnx_TensorProto.DataType
        let type = T(rawValue: Int(proto.dataType))
        switch type {
        case .float?:
            let values: [Float] = try raw.map { try littleEndian($0, count: count) } ?? proto.floatData
            try check(values.count)
            return .float(Tensor(shape: shape, scalars: values))
        case .double?:
            let values: [Double] = try raw.map { try littleEndian($0, count: count) } ?? proto.doubleData
            try check(values.count)
            return .float(Tensor(shape: shape, scalars: values.map { Float($0) }))
        case .float16?:
            // Typed float16 data sits in int32_data, one half per element.
            let bits: [UInt16] = try raw.map { try littleEndian($0, count: count) } ?? proto.int32Data.map { UInt16(truncatingIfNeeded: $0) }
            try check(bits.count)
            return .float(Tensor(shape: shape, scalars: bits.map(halfToFloat)))
        case .int64?:
            let values: [Int64] = try raw.map { try littleEndian($0, count: count) } ?? proto.int64Data
            try check(values.count)
            return .integer(IntegerTensor(shape: shape, values: values))
        case .int32?:
            let values: [Int64] = try raw.map { (try littleEndian($0, count: count) as [Int32]).map(Int64.init) } ?? proto.int32Data.map(Int64.init)
            try check(values.count)
            return .integer(IntegerTensor(shape: shape, values: values))
        case .int8?, .uint8?, .bool?:
            let signed = type == .int8
            let values: [Int64] = raw.map { data in data.map { signed ? Int64(Int8(bitPattern: $0)) : Int64($0) } }
                ?? proto.int32Data.map(Int64.init)
            try check(values.count)
            return .integer(IntegerTensor(shape: shape, values: values))
        default:
            let name = type.map { "\($0)" } ?? "type \(proto.dataType)"
            throw Failure(reason: "element type \(name) is not supported (float32, float16, float64 and integers are)")
        }
    }

    /// `count` values of a fixed-width type from little-endian bytes.
    static func littleEndian<T>(_ data: Data, count: Int) throws -> [T] {
        let (needed, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        guard !overflow, data.count == needed else {
            throw Failure(reason: "raw_data holds \(data.count) bytes, the shape needs \(count) values of \(MemoryLayout<T>.size) bytes")
        }
        return data.withUnsafeBytes { bytes in
            (0..<count).map { bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
        }
    }

    /// IEEE 754 half to single precision, subnormals, infinities and NaN included.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31, exponent = UInt32(h >> 10) & 0x1f, mantissa = UInt32(h) & 0x3ff
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        let bits = exponent == 0x1f ? sign | 0x7f80_0000 | (mantissa << 13) : sign | ((exponent + 112) << 23) | (mantissa << 13)
        return Float(bitPattern: bits)
    }
}
