import Foundation

/// Bulk conversion between arrays of fixed-width values and little-endian bytes.
///
/// On little-endian hosts (every platform Swift ships on today) both directions are a single
/// memcpy, which keeps loading megabytes of weights in the millisecond range.
enum LittleEndianBytes {
    static func decode<T: FixedWidthInteger>(_ data: Data, as type: T.Type) -> [T] {
        let count = data.count / MemoryLayout<T>.size
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
        #if _endian(big)
        return values.map { T(littleEndian: $0) }
        #else
        return values
        #endif
    }

    static func encode<T: FixedWidthInteger>(_ values: [T]) -> Data {
        #if _endian(big)
        return values.map { $0.littleEndian }.withUnsafeBytes { Data($0) }
        #else
        return values.withUnsafeBytes { Data($0) }
        #endif
    }

    static func decodeFloats(_ data: Data) -> [Float] {
        #if _endian(big)
        return decode(data, as: UInt32.self).map { Float(bitPattern: $0) }
        #else
        let count = data.count / MemoryLayout<Float>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
        #endif
    }

    static func decodeDoubles(_ data: Data) -> [Double] {
        #if _endian(big)
        return decode(data, as: UInt64.self).map { Double(bitPattern: $0) }
        #else
        let count = data.count / MemoryLayout<Double>.size
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
        #endif
    }

    static func encodeFloats(_ values: [Float]) -> Data {
        values.withUnsafeBufferPointer(encodeFloats)
    }

    static func encodeFloats(_ values: UnsafeBufferPointer<Float>) -> Data {
        #if _endian(big)
        return encode(values.map(\.bitPattern))
        #else
        return Data(buffer: values)
        #endif
    }

    static func encodeDoubles(_ values: [Double]) -> Data {
        #if _endian(big)
        return encode(values.map(\.bitPattern))
        #else
        return values.withUnsafeBytes { Data($0) }
        #endif
    }
}
