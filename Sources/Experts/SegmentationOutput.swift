/// A segmenter's per-pixel class scores, as its probe declares them (`"segmentation": {"layer":
/// "output", "background": [10]}`): the layer whose [C, h, w] output gives every pixel C class
/// scores, and the classes that are background. On images without label maps (`--images`), the
/// object of an image is where the segmenter's most likely class is not a background class; the
/// variation's object and background regions come from there (docs/report.md, "Variation maps").
public struct SegmentationOutput: Codable, Equatable, Sendable {
    public let layer: String
    public let background: [Int]

    public init(layer: String, background: [Int]) {
        (self.layer, self.background) = (layer, background)
    }

    /// Why this declaration cannot be used with `layers`, or nil.
    func problem(layers: [ProbeLayer]) -> String? {
        guard let tap = layers.first(where: { $0.name == layer }) else {
            return "segmentation.layer '\(layer)' is not a listed layer"
        }
        guard tap.shape.count == 3, tap.shape[0] >= 2 else {
            return "segmentation.layer '\(layer)' has shape \(tap.shape); it must be class scores [C, H, W] with C ≥ 2"
        }
        let classes = tap.shape[0]
        if background.isEmpty { return "segmentation.background is empty; list the background classes (0…\(classes - 1))" }
        if let bad = background.first(where: { !(0..<classes).contains($0) }) {
            return "segmentation.background class \(bad) is outside 0…\(classes - 1) of layer '\(layer)'"
        }
        if Set(background).count == classes { return "segmentation.background lists every class of '\(layer)'; no pixel could be an object" }
        return nil
    }
}
