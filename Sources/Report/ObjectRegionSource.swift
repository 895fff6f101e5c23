/// Where a run's object and background regions come from, for the variation's object / background
/// numbers: the label maps FashionScenes are drawn with, or, on a user's images, the pixels a
/// segmenter's own output gives a class that is not background.
public struct ObjectRegionSource: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case labelMaps = "label_maps"
        case segmenter
    }

    public let kind: Kind
    /// The segmenter's layer of class scores and its background classes (`segmenter` only).
    public let layer: String?
    public let backgroundClasses: [Int]?

    public static let labelMaps = ObjectRegionSource(kind: .labelMaps, layer: nil, backgroundClasses: nil)

    public static func segmenter(layer: String, background: [Int]) -> ObjectRegionSource {
        ObjectRegionSource(kind: .segmenter, layer: layer, backgroundClasses: background)
    }

    /// The report's phrase for the regions ("of the label map's object and background").
    public var phrase: String {
        switch kind {
        case .labelMaps: return "the label map's object and background"
        case .segmenter:
            let classes = (backgroundClasses ?? []).map(String.init).joined(separator: ", ")
            return "the object and background the expert segments (object: the pixels whose most likely class in layer "
                + "\(layer ?? "?") is not a background class, \(classes))"
        }
    }
}
