import CTurboJPEG
import FileSupport

/// JPEG decoding through libjpeg-turbo's TurboJPEG API, which catches libjpeg's longjmp-based
/// errors inside C and reports them as a return code and `tjGetErrorStr2`, so no longjmp ever
/// crosses Swift frames. Grey JPEGs decode to `.gray`, colour ones (YCbCr, RGB) to `.rgb`; CMYK
/// and YCCK are refused by name. The EXIF orientation is applied, so the bitmap is upright as a
/// viewer (and Pillow's `ImageOps.exif_transpose`) shows it.
public enum JPEG {
    /// The most pixels decoded: Pillow's `DecompressionBombError` threshold (twice its
    /// `MAX_IMAGE_PIXELS`), so any image Pillow opens without that error is read here too. It is
    /// checked from the header, before the pixel buffer is allocated.
    public static let maximumPixels = 178_956_970

    /// Decodes JPEG bytes into an upright bitmap. A truncated or corrupt stream is an error even
    /// where libjpeg only warns (it would pad the missing part with grey, a silent wrong image).
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> Bitmap {
        try decode(bytes, source: source) { _, _ in 1 }.bitmap
    }

    /// The reductions libjpeg's DCT scaling offers that Pillow's `draft` uses: 1/8, 1/4, 1/2 of
    /// each side, largest first.
    public static let reductions = [8, 4, 2]

    /// Decodes JPEG bytes at 1/`reduction` of each side, the reduction chosen by `reduction` from
    /// the upright image's full width and height (1, 2, 4 or 8; anything else counts as 1).
    ///
    /// This is libjpeg-turbo's DCT scaling, as in Pillow's `image.draft(mode, size)`: each 8×8
    /// block's low-frequency coefficients are inverse-transformed straight to 8/r × 8/r pixels
    /// (4:2:0 chroma to twice that, so it needs no upsampling), which skips most of the work after
    /// the entropy decoding. Sides are rounded up (⌈w / r⌉, as `TJSCALED` and Pillow size them),
    /// so the last row and column may hold less than a whole pixel of the image:
    /// `ReducedJPEG.content` says which part of the bitmap the image covers. The pixels equal
    /// Pillow's decode after `draft` (the same libjpeg-turbo routines, accurate DCT, fancy
    /// upsampling), turned upright by the EXIF orientation.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>",
                              reduction: (_ uprightWidth: Int, _ uprightHeight: Int) -> Int) throws -> ReducedJPEG {
        guard !bytes.isEmpty else { throw ImagingError.jpegDecodeFailed(source: source, reason: "empty data") }
        guard let handle = tjInitDecompress() else {
            throw ImagingError.jpegDecodeFailed(source: source, reason: "TurboJPEG could not start a decompressor: \(message(of: nil))")
        }
        defer { tjDestroy(handle) }

        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourSpace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { buffer in
            tjDecompressHeader3(handle, buffer.baseAddress, UInt(buffer.count), &width, &height, &subsampling, &colourSpace)
        }
        guard headerStatus == 0 else {
            throw ImagingError.jpegDecodeFailed(source: source, reason: message(of: handle))
        }
        let format: PixelFormat
        let pixelFormat: TJPF
        switch TJCS(rawValue: UInt32(bitPattern: colourSpace)) {
        case TJCS_GRAY: (format, pixelFormat) = (.gray, TJPF_GRAY)
        case TJCS_YCbCr, TJCS_RGB: (format, pixelFormat) = (.rgb, TJPF_RGB)
        case TJCS_CMYK: throw ImagingError.unsupportedColourSpace(source: source, colourSpace: "CMYK")
        case TJCS_YCCK: throw ImagingError.unsupportedColourSpace(source: source, colourSpace: "YCCK (Adobe CMYK)")
        default: throw ImagingError.unsupportedColourSpace(source: source, colourSpace: "colour space \(colourSpace)")
        }
        // A stream cut before its frame header reads as "tables only": no error, but no size.
        guard width > 0, height > 0 else {
            throw ImagingError.jpegDecodeFailed(source: source, reason: "no frame header: the data ends before the image's size")
        }
        let pixels = Int(width) * Int(height)
        guard pixels <= maximumPixels else {
            throw ImagingError.imageTooLarge(source: source, width: Int(width), height: Int(height), limit: maximumPixels)
        }
        let orientation = ExifOrientation(jpeg: bytes)
        let turned = orientation.swapsSides
        let asked = turned ? reduction(Int(height), Int(width)) : reduction(Int(width), Int(height))
        let r = [1, 2, 4, 8].contains(asked) ? asked : 1
        // ⌈side / r⌉: TJSCALED with the factor 1/r.
        let (outWidth, outHeight) = ((Int(width) + r - 1) / r, (Int(height) + r - 1) / r)

        var samples = [UInt8](repeating: 0, count: outWidth * outHeight * format.channels)
        // Stop at the first warning: a truncated file is only a warning to libjpeg, and decoding
        // the rest would be wasted. LIMITSCANS refuses progressive files with absurd scan counts,
        // which otherwise take minutes (libjpeg-turbo's advice for untrusted input).
        let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let status = bytes.withUnsafeBufferPointer { input in
            samples.withUnsafeMutableBufferPointer { output in
                // TurboJPEG picks the scaling factor whose scaled size equals the given one.
                tjDecompress2(handle, input.baseAddress, UInt(input.count), output.baseAddress,
                              Int32(outWidth), Int32(outWidth * format.channels), Int32(outHeight), Int32(pixelFormat.rawValue), flags)
            }
        }
        guard status == 0 else {
            throw ImagingError.jpegDecodeFailed(source: source, reason: message(of: handle))
        }
        let stored = try Bitmap(width: outWidth, height: outHeight, format: format, samples: samples)
        return ReducedJPEG(bitmap: stored.oriented(orientation), reduction: r,
                           width: turned ? Int(height) : Int(width), height: turned ? Int(width) : Int(height),
                           orientation: orientation)
    }

    /// Reads and decodes a JPEG file.
    public static func read(path: String) throws -> Bitmap {
        try decode(AtomicFile.read(path), source: path)
    }

    /// TurboJPEG keeps the last message per handle (a global one for a failed `tjInitDecompress`).
    private static func message(of handle: tjhandle?) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        let message = String(cString: text)
        return message.isEmpty ? "unknown TurboJPEG error" : message
    }
}

/// A JPEG decoded at a reduced size (`JPEG.decode(_:source:reduction:)`), upright.
public struct ReducedJPEG: Sendable {
    /// ⌈width / reduction⌉ × ⌈height / reduction⌉ pixels, upright.
    public let bitmap: Bitmap
    /// 1, 2, 4 or 8.
    public let reduction: Int
    /// The full upright image's size.
    public let width: Int
    public let height: Int
    let orientation: ExifOrientation

    /// The part of `bitmap` the image covers, in its pixels (left, top, right, bottom): width /
    /// reduction by height / reduction. Rounding the sides up leaves the uncovered fraction of a
    /// pixel at the stored image's right and bottom edges, which the EXIF turn moves to the
    /// edges they end up at.
    public var content: (left: Double, top: Double, right: Double, bottom: Double) {
        let (w, h) = (Double(bitmap.width), Double(bitmap.height))
        let (cw, ch) = (Double(width) / Double(reduction), Double(height) / Double(reduction))
        // Upright margins on each side: the stored right/bottom margins where the turn puts them.
        let (mx, my) = (w - cw, h - ch)
        switch orientation {
        case .up: return (0, 0, cw, ch)
        case .upMirrored: return (mx, 0, w, ch)
        case .down: return (mx, my, w, h)
        case .downMirrored: return (0, my, cw, h)
        // A turned image: the stored rows are the upright columns, so the stored bottom margin
        // is an upright side margin.
        case .leftMirrored: return (0, 0, cw, ch)
        case .right: return (mx, 0, w, ch)
        case .rightMirrored: return (mx, my, w, h)
        case .left: return (0, my, cw, h)
        }
    }
}
