import Foundation

/// A short identity of a weights file: FNV-1a 64 of its bytes, in hex. Caches keyed by it are
/// invalidated when the weights change.
public enum WeightsHash {
    public static func of(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url)
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        data.withUnsafeBytes { raw in
            for b in raw.bindMemory(to: UInt8.self) { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        }
        return String(h, radix: 16)
    }
}
