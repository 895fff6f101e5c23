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

        var samples = [UInt8](repeating: 0, count: pixels * format.channels)
        // Stop at the first warning: a truncated file is only a warning to libjpeg, and decoding
        // the rest would be wasted. LIMITSCANS refuses progressive files with absurd scan counts,
        // which otherwise take minutes (libjpeg-turbo's advice for untrusted input).
        let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let status = bytes.withUnsafeBufferPointer { input in
            samples.withUnsafeMutableBufferPointer { output in
                tjDecompress2(handle, input.baseAddress, UInt(input.count), output.baseAddress,
                              width, width * Int32(format.channels), height, Int32(pixelFormat.rawValue), flags)
            }
        }
        guard status == 0 else {
            throw ImagingError.jpegDecodeFailed(source: source, reason: message(of: handle))
        }
        let bitmap = try Bitmap(width: Int(width), height: Int(height), format: format, samples: samples)
        return bitmap.oriented(ExifOrientation(jpeg: bytes))
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
