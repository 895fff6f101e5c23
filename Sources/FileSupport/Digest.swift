import Foundation

/// What a cached thing was made from, as a short hex digest (FNV-1a 64 of its bytes). A cache file
/// is named by the digest of everything that builds it, so a change of any input finds no file and
/// computes anew: digests are computed from values (`of(_:)`) or file contents (`of(file:)`), never
/// assembled by hand. Encoded as its hex string.
public struct Digest: Hashable, Codable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public var description: String { hex }

    /// The digest of bytes.
    public static func of(bytes: UnsafeRawBufferPointer) -> Digest {
        var hash = ContentHash()
        hash.add(bytes)
        return Digest(hex: hash.hex)
    }

    /// The digest of a file's bytes.
    public static func of(file url: URL) throws -> Digest {
        try AtomicFile.read(url.path).withUnsafeBytes { of(bytes: $0) }
    }

    /// The digest of a value's JSON with sorted keys: two values digest alike exactly when they
    /// encode alike, so every stored property of a Codable type takes part.
    public static func of<T: Encodable>(_ value: T) -> Digest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a plain struct of numbers, strings and arrays does not fail; a NaN would, and is
        // then still told apart from every finite value by its description.
        let data = (try? encoder.encode(value)) ?? Data(String(describing: value).utf8)
        return data.withUnsafeBytes { of(bytes: $0) }
    }

    public init(from decoder: Decoder) throws {
        hex = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
