extension Bitmap {
    /// The bitmap as RGB, as Pillow's `convert("RGB")` makes it from L and RGBA: grey repeated
    /// into the three channels, alpha dropped (not composited), RGB unchanged.
    public func convertedToRGB() -> Bitmap {
        switch format {
        case .rgb: return self
        case .gray, .rgba:
            var result = Bitmap(width: width, height: height, format: .rgb)
            let pixels = width * height
            let channels = format.channels
            samples.withUnsafeBufferPointer { source in
                result.samples.withUnsafeMutableBufferPointer { target in
                    guard pixels > 0 else { return }
                    let src = source.baseAddress!, dst = target.baseAddress!
                    if channels == 1 {
                        for p in 0..<pixels {
                            let v = src[p]
                            dst[3 * p] = v; dst[3 * p + 1] = v; dst[3 * p + 2] = v
                        }
                    } else {
                        for p in 0..<pixels {
                            dst[3 * p] = src[4 * p]; dst[3 * p + 1] = src[4 * p + 1]; dst[3 * p + 2] = src[4 * p + 2]
                        }
                    }
                }
            }
            return result
        }
    }
}
