import Foundation
import SafeTensors

/// Reads only the metadata of a weights file (architecture sizes, recipe, metrics).
enum SafeTensorsMetadata {
    static func read(_ url: URL) throws -> [String: String] { try SafeTensorsFile.read(contentsOf: url).metadata }
}
