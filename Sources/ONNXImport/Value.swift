import Tensors

/// A value flowing through an imported graph: float data on the tensor engine, or the small
/// integer tensors of shape arithmetic (Shape → Gather → Concat → Reshape …), which are folded into
/// constants when a graph is planned. Booleans are integers 0/1.
public enum Value {
    case float(Tensor)
    case integer(IntegerTensor)

    public var shape: [Int] {
        switch self {
        case let .float(t): return t.shape
        case let .integer(t): return t.shape
        }
    }

    var elementCount: Int { shape.reduce(1, *) }

    /// The values as doubles, for small constants read as attributes (scales, pads, min/max).
    var doubles: [Double] {
        switch self {
        case let .float(t): return t.scalars.map(Double.init)
        case let .integer(t): return t.values.map(Double.init)
        }
    }

    /// The values as integers (float values are truncated, as ONNX's Cast does).
    var integers: [Int] {
        switch self {
        case let .float(t): return t.scalars.map { Int(Value.truncated($0)) }
        case let .integer(t): return t.values.map(Int.init)
        }
    }

    /// The same values as float32 (Cast to float).
    var asFloat: Tensor {
        switch self {
        case let .float(t): return t
        case let .integer(t): return Tensor(shape: t.shape, scalars: t.values.map(Float.init))
        }
    }

    /// The same values as int64 (Cast to an integer type truncates towards zero).
    var asInteger: IntegerTensor {
        switch self {
        case let .float(t): return IntegerTensor(shape: t.shape, values: t.scalars.map(Value.truncated))
        case let .integer(t): return t
        }
    }

    /// A float as int64, truncated towards zero as Cast does. What no int64 holds gets a definite
    /// value instead of a trap (ONNX leaves it undefined): NaN 0, beyond the range the nearer end.
    static func truncated(_ v: Float) -> Int64 {
        if v.isNaN { return 0 }
        if v >= 0x1p63 { return .max }
        if v < -0x1p63 { return .min }
        return Int64(v)
    }

    /// A value with the same element type and the given shape and elements picked by flat index.
    func picking(_ indices: [Int], shape newShape: [Int]) -> Value {
        switch self {
        case let .float(t):
            return .float(t.withUnsafeBufferPointer { src in
                Tensor(shape: newShape) { dst in for (i, j) in indices.enumerated() { dst[i] = src[j] } }
            })
        case let .integer(t):
            return .integer(IntegerTensor(shape: newShape, values: indices.map { t.values[$0] }))
        }
    }

    func reshaped(_ newShape: [Int]) -> Value {
        switch self {
        case let .float(t): return .float(t.reshaped(newShape))
        case let .integer(t): return .integer(IntegerTensor(shape: newShape, values: t.values))
        }
    }
}

/// An int64 tensor, row-major.
public struct IntegerTensor: Equatable {
    public var shape: [Int]
    public var values: [Int64]

    public init(shape: [Int], values: [Int64]) {
        precondition(shape.reduce(1, *) == values.count, "IntegerTensor: \(values.count) values for shape \(shape)")
        (self.shape, self.values) = (shape, values)
    }
}

extension Value {
    /// Entries `indices` along `axis` (repeats allowed), the primitive behind Gather, Slice and Split.
    func take(axis: Int, indices: [Int]) -> Value {
        switch self {
        case let .float(t): return .float(t.gather(axis: axis, indices: indices))
        case let .integer(t):
            let outer = t.shape[..<axis].reduce(1, *), inner = t.shape[(axis + 1)...].reduce(1, *), n = t.shape[axis]
            var values: [Int64] = []
            values.reserveCapacity(outer * indices.count * inner)
            for o in 0..<outer {
                for j in indices { values.append(contentsOf: t.values[((o * n + j) * inner)..<((o * n + j + 1) * inner)]) }
            }
            var shape = t.shape
            shape[axis] = indices.count
            return .integer(IntegerTensor(shape: shape, values: values))
        }
    }

    func permuted(_ order: [Int]) -> Value {
        switch self {
        case let .float(t): return .float(t.permuted(order))
        case let .integer(t):
            let shape = order.map { t.shape[$0] }
            var strides = Array(repeating: 1, count: t.shape.count)
            for d in stride(from: t.shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * t.shape[d + 1] }
            let count = t.values.count
            var values = [Int64](repeating: 0, count: count), index = Array(repeating: 0, count: shape.count)
            for i in 0..<count {
                values[i] = t.values[zip(index, order).reduce(0) { $0 + $1.0 * strides[$1.1] }]
                var d = shape.count - 1
                while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
            }
            return .integer(IntegerTensor(shape: shape, values: values))
        }
    }

    /// Values joined along `axis`; nil when the parts mix float and integer data.
    static func concat(_ parts: [Value], axis: Int) -> Value? {
        let floats = parts.compactMap { if case let .float(t) = $0 { return t } else { return nil } }
        if floats.count == parts.count { return .float(Tensor.concat(floats, axis: axis)) }
        let ints = parts.compactMap { if case let .integer(t) = $0 { return t } else { return nil } }
        guard ints.count == parts.count, let first = ints.first else { return nil }
        let outer = first.shape[..<axis].reduce(1, *)
        var values: [Int64] = [], shape = first.shape
        shape[axis] = ints.map { $0.shape[axis] }.reduce(0, +)
        for o in 0..<outer {
            for p in ints {
                let block = p.shape[axis...].reduce(1, *)
                values.append(contentsOf: p.values[(o * block)..<((o + 1) * block)])
            }
        }
        return .integer(IntegerTensor(shape: shape, values: values))
    }
}
