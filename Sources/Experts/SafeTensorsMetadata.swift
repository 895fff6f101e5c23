import Foundation
import SafeTensors

/// Reads only the metadata of a weights file (architecture sizes, recipe, metrics).
enum SafeTensorsMetadata {
    static func read(_ url: URL) throws -> [String: String] { try SafeTensorsFile.read(contentsOf: url).metadata }

    /// An integer setting from a file's metadata: `fallback` when the key is absent (files written
    /// before it existed), an error naming the file, key, value and range when it is unreadable
    /// or out of range. Sizes come from here before any allocation, so they are checked first.
    static func integer(_ key: String, in metadata: [String: String], of url: URL, range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text = metadata[key] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ExpertError.corruptMetadata(path: url.path, key: key, value: text,
                                              expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}
