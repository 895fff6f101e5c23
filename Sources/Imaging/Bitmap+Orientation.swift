extension Bitmap {
    /// The bitmap turned and mirrored so that a photo stored with `orientation` is upright (the
    /// same transposition as Pillow's `ImageOps.exif_transpose`). Orientations 5–8 swap width and
    /// height.
    public func oriented(_ orientation: ExifOrientation) -> Bitmap {
        if orientation == .up { return self }
        let w = width, h = height
        // Output pixel (x, y) reads source pixel origin + x * dx + y * dy (pixel indices): one
        // affine walk covers all seven turns and mirrors.
        let (outWidth, outHeight, origin, dx, dy): (Int, Int, Int, Int, Int)
        switch orientation {
        case .up: (outWidth, outHeight, origin, dx, dy) = (w, h, 0, 1, w)
        case .upMirrored: (outWidth, outHeight, origin, dx, dy) = (w, h, w - 1, -1, w)
        case .down: (outWidth, outHeight, origin, dx, dy) = (w, h, (h - 1) * w + w - 1, -1, -w)
        case .downMirrored: (outWidth, outHeight, origin, dx, dy) = (w, h, (h - 1) * w, 1, -w)
        case .leftMirrored: (outWidth, outHeight, origin, dx, dy) = (h, w, 0, w, 1)
        case .right: (outWidth, outHeight, origin, dx, dy) = (h, w, (h - 1) * w, -w, 1)
        case .rightMirrored: (outWidth, outHeight, origin, dx, dy) = (h, w, (h - 1) * w + w - 1, -w, -1)
        case .left: (outWidth, outHeight, origin, dx, dy) = (h, w, w - 1, w, -1)
        }
        var result = Bitmap(width: outWidth, height: outHeight, format: format)
        guard w > 0, h > 0 else { return result }
        let channels = format.channels
        samples.withUnsafeBufferPointer { source in
            result.samples.withUnsafeMutableBufferPointer { target in
                let src = source.baseAddress!, dst = target.baseAddress!
                var out = 0
                for y in 0..<outHeight {
                    var pixel = origin + y * dy
                    for _ in 0..<outWidth {
                        let from = pixel * channels
                        for c in 0..<channels { dst[out + c] = src[from + c] }
                        out += channels
                        pixel += dx
                    }
                }
            }
        }
        return result
    }
}
