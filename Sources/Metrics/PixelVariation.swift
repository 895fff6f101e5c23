import Imaging

/// What a layer ignores, located in the image: per pixel, how far the decoded samples of one
/// input spread in colour. A sample's pixel is taken to CIELAB (`CIELab`, D65); the variation at a
/// pixel is the root mean squared ΔE*ab of the k samples' colours to their mean colour there,
/// √((1/k) Σᵣ ‖Labᵣ − mean Lab‖²), in ΔE units (divisor k: the spread of these samples, not an
/// estimate for more). It is 0 where every sample has the same colour.
public enum PixelVariation {
    /// The variation map (`plane` values, row-major) of `k` CHW images of 3 × `plane` values in
    /// 0...1 lying one after the other in `samples`. `lab` is scratch for k × 3 × `plane` floats.
    public static func map(samples: UnsafeBufferPointer<Float>, count k: Int, plane: Int,
                           lab: UnsafeMutableBufferPointer<Float>, into map: UnsafeMutableBufferPointer<Float>) {
        precondition(k > 0 && samples.count >= k * 3 * plane && lab.count >= k * 3 * plane && map.count >= plane,
                     "PixelVariation.map: buffers too small for \(k) images of \(plane) pixels")
        for r in 0..<k {
            let offset = r * 3 * plane
            CIELab.convert(chw: UnsafeBufferPointer(rebasing: samples[offset..<(offset + 3 * plane)]), plane: plane,
                           into: UnsafeMutableBufferPointer(rebasing: lab[offset..<(offset + 3 * plane)]))
        }
        for p in 0..<plane {
            // Two passes in Double: the mean colour, then the squared distances to it, so that
            // identical samples give exactly 0 and a small spread is not lost beside L* near 100.
            var squared = 0.0
            for c in 0..<3 {
                var sum = 0.0
                for r in 0..<k { sum += Double(lab[(r * 3 + c) * plane + p]) }
                let mean = sum / Double(k)
                for r in 0..<k {
                    let e = Double(lab[(r * 3 + c) * plane + p]) - mean
                    squared += e * e
                }
            }
            map[p] = Float((squared / Double(k)).squareRoot())
        }
    }

    /// As `map(samples:count:plane:lab:into:)`, for arrays.
    public static func map(samples: [Float], count k: Int, plane: Int) -> [Float] {
        var lab = [Float](repeating: 0, count: k * 3 * plane), out = [Float](repeating: 0, count: plane)
        samples.withUnsafeBufferPointer { s in
            lab.withUnsafeMutableBufferPointer { l in
                out.withUnsafeMutableBufferPointer { map(samples: s, count: k, plane: plane, lab: l, into: $0) }
            }
        }
        return out
    }
}
