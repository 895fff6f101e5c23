import Foundation

/// FNV-1a 64 over bytes added in pieces: the hash behind `Digest`, for data that arrives in parts.
public struct ContentHash {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    /// Adds bytes; several calls hash their concatenation.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes { state = (state ^ UInt64(b)) &* 0x100_0000_01B3 }
    }

    /// The hash so far, as a number (a seed derived from names, say).
    public var value: UInt64 { state }

    public var hex: String { String(state, radix: 16) }

    public var digest: Digest { Digest(hex: hex) }
}
