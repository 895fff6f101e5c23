import Tensors

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

    /// Per image of `input`, 1 where the segmenter's most likely class is not background and 0
    /// where it is, at `height` × `width` (the class map resized by nearest neighbour: the
    /// segmenter's input and these images are centre crops of the same square), image after image
    /// in row order. Runs the expert in batches of `batch` images.
    public func objectMasks(_ expert: Expert, _ input: ExpertInput, height: Int, width: Int, batch: Int = 50) throws -> [UInt8] {
        let n = input.images.shape[0]
        var masks = [UInt8](repeating: 0, count: n * height * width)
        for start in stride(from: 0, to: n, by: batch) {
            let end = min(n, start + batch)
            guard let scores = try expert.features(input.slice(start..<end), layers: [layer])[layer], scores.rank == 4 else {
                throw ExpertError.corruptProbe(path: "probe of \(expert.name)", reason: "segmentation.layer '\(layer)' gave no [N, C, H, W] output")
            }
            let (c, h, w) = (scores.shape[1], scores.shape[2], scores.shape[3]), plane = h * w
            var isBackground = [Bool](repeating: false, count: c)
            for k in background where k < c { isBackground[k] = true }
            scores.withUnsafeBufferPointer { s in
                masks.withUnsafeMutableBufferPointer { out in
                    for i in 0..<(end - start) {
                        let base = i * c * plane, target = (start + i) * height * width
                        for y in 0..<height {
                            let sy = min(h - 1, (2 * y + 1) * h / (2 * height))
                            for x in 0..<width {
                                let p = sy * w + min(w - 1, (2 * x + 1) * w / (2 * width))
                                var best = 0, bestScore = s[base + p]
                                for k in 1..<c where s[base + k * plane + p] > bestScore { (best, bestScore) = (k, s[base + k * plane + p]) }
                                out[target + y * width + x] = isBackground[best] ? 0 : 1
                            }
                        }
                    }
                }
            }
        }
        return masks
    }
}
