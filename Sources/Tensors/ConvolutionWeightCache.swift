import CDNNL
import Foundation

/// Convolution weights already reordered into the layout a oneDNN primitive reads (OIhw8i8o,
/// Goihw8g, ...), for weights that never change: an imported network's initializers. Without it
/// every call reorders the same weights again (resnet18: 11 M floats per forward pass).
///
/// An entry is found by the identity of the weight tensor's storage and the primitive. It holds
/// that storage strongly: the storage cannot be freed and its address reused by another tensor
/// while the entry lives, and a tensor sharing it cannot be written in place (copy-on-write
/// copies shared storage first), so a write gives a new storage and misses the cache. Owned by
/// whoever owns the weights (an execution plan), so entries go when the network goes.
public final class ConvolutionWeightCache: @unchecked Sendable {
    private struct Key: Hashable {
        let storage: ObjectIdentifier
        let primitive: DNNLKey
    }

    private struct Entry {
        let storage: TensorStorage
        let weights: CachedWeights
    }

    /// What a primitive reads for one weight tensor.
    enum CachedWeights {
        /// The tensor's own buffer: the primitive reads our plain layout.
        case asGiven
        /// A copy in the primitive's layout.
        case reordered(DNNLBuffer)
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    public init() {}

    /// What `primitive` reads for `weight`, if known.
    func lookup(_ weight: Tensor, primitive: DNNLKey) -> CachedWeights? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[Key(storage: ObjectIdentifier(weight.storage), primitive: primitive)] else { return nil }
        precondition(entry.storage === weight.storage)
        return entry.weights
    }

    func store(_ weights: CachedWeights, for weight: Tensor, primitive: DNNLKey) {
        lock.lock()
        defer { lock.unlock() }
        entries[Key(storage: ObjectIdentifier(weight.storage), primitive: primitive)] = Entry(storage: weight.storage, weights: weights)
    }

    /// Entries held (tests).
    public var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }
}
