import Foundation

/// A short identity of bytes: FNV-1a 64, in hex. It names what caches were made from (weights
/// files, the Fashion-MNIST data, a translator's settings), so they are invalidated when that changes.
public struct ContentHash {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    /// Adds bytes; several calls hash their concatenation.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes { state = (state ^ UInt64(b)) &* 0x100_0000_01B3 }
    }

    public var hex: String { String(state, radix: 16) }

    /// The hash of a file's bytes.
    public static func of(file url: URL) throws -> String {
        var hash = ContentHash()
        try Data(contentsOf: url).withUnsafeBytes { hash.add($0) }
        return hash.hex
    }
}
