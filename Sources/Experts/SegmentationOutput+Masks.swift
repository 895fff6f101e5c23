import Tensors

extension SegmentationOutput {
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
            // The source pixel of each target row and column (nearest neighbour, pixel centres).
            let rows = (0..<height).map { min(h - 1, (2 * $0 + 1) * h / (2 * height)) * w }
            let columns = (0..<width).map { min(w - 1, (2 * $0 + 1) * w / (2 * width)) }
            var object = [UInt8](repeating: 0, count: plane)
            scores.withUnsafeBufferPointer { s in
                for i in 0..<(end - start) {
                    // Each class-map pixel's most likely class once, then the map resampled.
                    let base = i * c * plane
                    for p in 0..<plane {
                        var best = 0, bestScore = s[base + p]
                        for k in 1..<c where s[base + k * plane + p] > bestScore { (best, bestScore) = (k, s[base + k * plane + p]) }
                        object[p] = isBackground[best] ? 0 : 1
                    }
                    let target = (start + i) * height * width
                    for y in 0..<height {
                        for x in 0..<width { masks[target + y * width + x] = object[rows[y] + columns[x]] }
                    }
                }
            }
        }
        return masks
    }
}
