import Foundation

/// One tensor of a safetensors file: element type, shape (C order) and its little-endian bytes.
///
/// The initialiser checks that the byte count matches shape × element size, so an entry that
/// exists is always consistent.
public struct TensorEntry: Equatable, Sendable {
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Raw little-endian element bytes, exactly `elementCount * dtype.byteSize` of them.
    public let data: Data

    public init(dtype: SafeTensorsDType, shape: [Int], data: Data) throws {
        guard let count = TensorEntry.elementCount(of: shape) else {
            throw SafeTensorsError.invalidTensor(
                key: nil, detail: "shape \(shape) has a negative dimension or more elements than fit in memory")
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes == data.count else {
            throw SafeTensorsError.invalidTensor(
                key: nil,
                detail: "shape \(shape) of \(dtype.rawValue) needs \(overflow ? "too many" : String(bytes)) bytes, got \(data.count)")
        }
        self.dtype = dtype
        self.shape = shape
        // A slice of a larger Data keeps non-zero indices; rebase so `data` always starts at 0.
        self.data = data.startIndex == 0 ? data : Data(data)
    }

    /// Number of elements (1 for a scalar of shape []).
    public var elementCount: Int { data.count / dtype.byteSize }

    /// Product of the dimensions, or nil if one is negative or the product overflows `Int`.
    static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}
