import Foundation

/// A dense Float32 tensor: row-major (NCHW for images), contiguous, copy-on-write.
///
/// A tensor that takes part in differentiation carries a `GradNode`; see `Autograd.swift`.
/// Values are immutable through the public API except via `withUnsafeMutableBufferPointer`,
/// which copies the storage first if anything else shares it.
public struct Tensor {
    public let shape: [Int]
    var storage: TensorStorage
    var node: GradNode?


    init(shape: [Int], storage: TensorStorage, node: GradNode? = nil) {
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// Internal: a tensor whose elements the caller will write before anyone reads them.

    init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: Tensor.count(of: shape)))
    }

    /// A tensor whose every element `body` writes, with no fill first: for large tensors read
    /// from files, where zeroing hundreds of MB before overwriting them is wasted work.
    public init(shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.init(uninitializedShape: shape)
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: Tensor.count(of: shape)))
    }

    public init(shape: [Int], repeating value: Float) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: Tensor.count(of: shape)))
    }

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(Tensor.count(of: shape) == scalars.count,
                     "shape \(shape) holds \(Tensor.count(of: shape)) elements, got \(scalars.count)")
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    public init(_ scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    public static func count(of shape: [Int]) -> Int { shape.reduce(1, *) }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, shape is \(shape)")
        return storage.pointer[0]
    }

    public subscript(flat index: Int) -> Float { storage.pointer[index] }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Mutates the values in place (copying first if the storage is shared). Gradient history is
    /// kept: optimisers use this to update parameters, which are leaves.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The same values without gradient history.
    public var detached: Tensor { Tensor(shape: shape, storage: storage) }

    /// Same values, new shape (shares storage). One dimension may be -1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let i = dims.firstIndex(of: -1) {
            let rest = dims.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(rest > 0 && count % rest == 0, "cannot reshape \(shape) to \(newShape)")
            dims[i] = count / rest
        }
        precondition(Tensor.count(of: dims) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        let out = Tensor(shape: dims, storage: storage)
        let inShape = shape
        return Autograd.record(out, inputs: [self]) { g in [g.reshaped(inShape)] }
    }

    public func flattened() -> Tensor { reshaped([shape.first ?? 1, -1]) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}
