/// One input's variation map (`PixelVariation`) averaged over the regions of its label map: the
/// whole image, the object (label map's object pixels), the background, and the object's outline,
/// the pixels with a 4-neighbour on the other side of the object/background boundary (both sides
/// of it, the image's edge not counting). Without a label map, or where a region has no pixel,
/// its mean is nil.
public struct VariationRegions: Equatable {
    public var whole: Double
    public var object: Double?
    public var background: Double?
    public var outline: Double?

    public init(whole: Double, object: Double? = nil, background: Double? = nil, outline: Double? = nil) {
        (self.whole, self.object, self.background, self.outline) = (whole, object, background, outline)
    }

    /// `objectMask`: width × height values, non-zero on the object.
    public static func of(map: UnsafeBufferPointer<Float>, width: Int, height: Int,
                          objectMask: UnsafeBufferPointer<UInt8>?) -> VariationRegions {
        let plane = width * height
        precondition(map.count >= plane && (objectMask?.count ?? plane) >= plane, "VariationRegions: map or mask smaller than \(height)x\(width)")
        var sums = (whole: 0.0, object: 0.0, background: 0.0, outline: 0.0)
        var counts = (object: 0, background: 0, outline: 0)
        for y in 0..<height {
            for x in 0..<width {
                let p = y * width + x, v = Double(map[p])
                sums.whole += v
                guard let mask = objectMask else { continue }
                let inside = mask[p] != 0
                if inside { sums.object += v; counts.object += 1 } else { sums.background += v; counts.background += 1 }
                let differs = (x > 0 && (mask[p - 1] != 0) != inside) || (x + 1 < width && (mask[p + 1] != 0) != inside)
                    || (y > 0 && (mask[p - width] != 0) != inside) || (y + 1 < height && (mask[p + width] != 0) != inside)
                if differs { sums.outline += v; counts.outline += 1 }
            }
        }
        func mean(_ sum: Double, _ n: Int) -> Double? { n > 0 ? sum / Double(n) : nil }
        return VariationRegions(whole: sums.whole / Double(max(plane, 1)), object: mean(sums.object, counts.object),
                                background: mean(sums.background, counts.background), outline: mean(sums.outline, counts.outline))
    }
}
