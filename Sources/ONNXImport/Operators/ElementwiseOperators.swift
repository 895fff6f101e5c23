import Foundation
import Tensors

/// Elementwise operators: activations on float data, and the broadcasting arithmetic that works on
/// float data and on the integer tensors of shape arithmetic alike.
enum ElementwiseOperators {
    static let kernels: [String: Kernel] = [
        // The activations of convolutional networks run on the engine's vectorised, parallel kernels.
        "Relu": { c in [.float(try c.float(0).relu())] },
        "Sigmoid": { c in [.float(try c.float(0).sigmoid())] },
        "Tanh": { c in [.float(try c.float(0).tanh())] },
        "Exp": unary { Foundation.exp($0) },
        "Sqrt": unary { $0.squareRoot() },
        "Erf": unary { Foundation.erf($0) },
        "Reciprocal": unary { 1 / $0 },
        "Floor": exactOnIntegers { Foundation.floor($0) },
        "Ceil": exactOnIntegers { Foundation.ceil($0) },
        "Neg": { c in
            switch try c.input(0) {
            case let .float(t): return [.float(map(t) { -$0 })]
            case let .integer(t): return [.integer(IntegerTensor(shape: t.shape, values: t.values.map { -$0 }))]
            }
        },
        "LeakyRelu": { c in [.float(try c.float(0).leakyRelu(c.node.float("alpha", default: 0.01)))] },
        "HardSigmoid": { c in
            let alpha = c.node.float("alpha", default: 0.2), beta = c.node.float("beta", default: 0.5)
            return [.float((try c.float(0) * alpha + beta).clamped(0, 1))]
        },
        // y = x · max(0, min(1, x/6 + 1/2)), as the operator's definition (opset 14) states.
        "HardSwish": { c in
            let x = try c.float(0)
            return [.float(x * (x * (1 / 6) + 0.5).clamped(0, 1))]
        },
        "Clip": clip,
        "PRelu": { c in
            let x = try c.float(0), slope = try c.float(1)
            _ = try c.broadcastShape(x.shape, slope.shape)
            return [.float(x.relu() + slope * (x - x.relu()))]
        },
        "Add": binary(+, +), "Sub": binary(-, -), "Mul": binary(*, *),
        "Div": binary(/, { $1 == 0 ? 0 : $0 / $1 }),  // integer division by zero gives 0, not a trap
        "Pow": { c in
            let base = try c.float(0), exponent = try c.input(1).asFloat
            if exponent.count == 1 {
                let e = exponent.scalars[0]
                return [.float(e == 2 ? base * base : map(base) { Foundation.pow($0, e) })]
            }
            _ = try c.broadcastShape(base.shape, exponent.shape)
            return [.float(broadcastFloats(base, exponent) { Foundation.pow($0, $1) })]
        },
        "Max": variadic(binary({ a, b in broadcastFloats(a, b, Swift.max) }, Swift.max)),
        "Min": variadic(binary({ a, b in broadcastFloats(a, b, Swift.min) }, Swift.min)),
    ]

    /// A unary float operator applied elementwise.
    static func unary(_ f: @escaping (Float) -> Float) -> Kernel {
        { c in [.float(map(try c.float(0), f))] }
    }

    /// Rounding operators: integers pass through unchanged.
    static func exactOnIntegers(_ f: @escaping (Float) -> Float) -> Kernel {
        { c in
            let v = try c.input(0)
            if case let .float(t) = v { return [.float(map(t, f))] }
            return [v]
        }
    }

    @inline(__always)
    static func map(_ t: Tensor, _ f: (Float) -> Float) -> Tensor {
        t.withUnsafeBufferPointer { src in
            Tensor(shape: t.shape) { dst in for i in 0..<src.count { dst[i] = f(src[i]) } }
        }
    }

    static func clip(_ c: OperatorContext) throws -> [Value] {
        var low = -Float.infinity, high = Float.infinity
        if c.opset < 11 {
            low = c.node.float("min", default: low); high = c.node.float("max", default: high)
        } else {
            if let v = c.optionalInput(1) { guard v.elementCount == 1 else { throw c.failure("min must be a scalar") }; low = Float(v.doubles[0]) }
            if let v = c.optionalInput(2) { guard v.elementCount == 1 else { throw c.failure("max must be a scalar") }; high = Float(v.doubles[0]) }
        }
        return [.float(try c.float(0).clamped(low, high))]
    }

    /// An operator of one or more inputs (Max, Min) as its binary form applied left to right.
    static func variadic(_ pair: @escaping Kernel) -> Kernel {
        { c in
            var result = try c.input(0)
            for i in 1..<max(c.inputs.count, 1) {
                result = try pair(OperatorContext(node: c.node, inputs: [result, try c.input(i)], opset: c.opset))[0]
            }
            return [result]
        }
    }

    /// A broadcasting binary operator: `onFloats` on the tensor engine, `onIntegers` on int64 data.
    static func binary(_ onFloats: @escaping (Tensor, Tensor) -> Tensor, _ onIntegers: @escaping (Int64, Int64) -> Int64) -> Kernel {
        { c in
            guard c.inputs.count == 2 else { throw c.failure("takes 2 inputs here, the node has \(c.inputs.count)") }
            switch (try c.input(0), try c.input(1)) {
            case let (.float(a), .float(b)):
                _ = try c.broadcastShape(a.shape, b.shape)
                return [.float(onFloats(a, b))]
            case let (.integer(a), .integer(b)):
                let shape = try c.broadcastShape(a.shape, b.shape)
                let ia = broadcastIndices(a.shape, to: shape), ib = broadcastIndices(b.shape, to: shape)
                return [.integer(IntegerTensor(shape: shape, values: zip(ia, ib).map { onIntegers(a.values[$0], b.values[$1]) }))]
            default:
                throw c.failure("inputs mix float and int64 data")
            }
        }
    }

    /// For each element of `target`, the flat index of the element of `shape` it reads under broadcasting.
    static func broadcastIndices(_ shape: [Int], to target: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: target.count - shape.count) + shape
        var strides = Array(repeating: 0, count: target.count), s = 1
        for i in stride(from: target.count - 1, through: 0, by: -1) {
            strides[i] = padded[i] == 1 ? 0 : s
            s *= padded[i]
        }
        let count = target.reduce(1, *)
        var out = [Int](repeating: 0, count: count), index = Array(repeating: 0, count: target.count), offset = 0
        for i in 0..<count {
            out[i] = offset
            var d = target.count - 1
            while d >= 0 {
                index[d] += 1; offset += strides[d]
                if index[d] < target[d] { break }
                offset -= strides[d] * index[d]; index[d] = 0; d -= 1
            }
        }
        return out
    }

    /// A float binary function with broadcasting, for the operators the engine has no op for.
    /// The shapes are checked by the caller (`binary`, or `broadcastShape` directly).
    static func broadcastFloats(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let n = max(a.rank, b.rank)
        let target = zip(Array(repeating: 1, count: n - a.rank) + a.shape, Array(repeating: 1, count: n - b.rank) + b.shape)
            .map { $0 == 1 ? $1 : $0 }
        let ia = broadcastIndices(a.shape, to: target), ib = broadcastIndices(b.shape, to: target)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                Tensor(shape: target) { dst in for i in 0..<dst.count { dst[i] = f(pa[ia[i]], pb[ib[i]]) } }
            }
        }
    }
}
