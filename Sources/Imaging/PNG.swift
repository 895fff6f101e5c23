import CPNG

/// PNG encoding and decoding through libpng's simplified API (`png_image_*`). That API catches
/// libpng's longjmp-based errors inside C and reports them in `png_image.message`, so no longjmp
/// ever crosses Swift frames.
public enum PNG {
    /// Decodes PNG bytes. Gray and RGB files keep their layout; anything with alpha (gray+alpha,
    /// RGBA, palette with transparency) becomes RGBA; palette without transparency becomes RGB;
    /// 16-bit files are reduced to 8 bits. `format` forces a layout instead.
    public static func decode(_ data: [UInt8], format requested: PixelFormat? = nil,
                              source: String = "<memory>") throws -> Bitmap {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = data.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress, raw.count > 0 else { return 0 }
            return png_image_begin_read_from_memory(&image, base, raw.count)
        }
        guard began != 0 else {
            throw ImagingError.pngDecodeFailed(source: source, reason: data.isEmpty ? "empty data" : message(of: &image))
        }
        let format: PixelFormat
        if let requested {
            format = requested
        } else if image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0 {
            format = .rgba
        } else if image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0 {
            format = .rgb
        } else {
            format = .gray
        }
        image.format = libpngFormat(format)
        let width = Int(image.width)
        let height = Int(image.height)
        // Guard against absurd headers before allocating (libpng's own limit is 1e6 per side).
        let (count, overflow) = (width * format.channels).multipliedReportingOverflow(by: height)
        guard !overflow, count <= 1 << 31 else {
            throw ImagingError.pngDecodeFailed(source: source, reason: "image \(width)x\(height) is too large")
        }
        var samples = [UInt8](repeating: 0, count: count)
        let finished = samples.withUnsafeMutableBytes { out -> Int32 in
            png_image_finish_read(&image, nil, out.baseAddress, Int32(width * format.channels), nil)
        }
        guard finished != 0 else {
            throw ImagingError.pngDecodeFailed(source: source, reason: message(of: &image))
        }
        return try Bitmap(width: width, height: height, format: format, samples: samples)
    }

    /// Encodes a bitmap as an 8-bit PNG of the same layout.
    public static func encode(_ bitmap: Bitmap) throws -> [UInt8] {
        guard bitmap.width > 0, bitmap.height > 0 else {
            throw ImagingError.pngEncodeFailed(reason: "PNG needs a non-empty image, got \(bitmap.width)x\(bitmap.height)")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(bitmap.width)
        image.height = UInt32(bitmap.height)
        image.format = libpngFormat(bitmap.format)
        defer { png_image_free(&image) }
        let stride = Int32(bitmap.width * bitmap.format.channels)
        return try bitmap.samples.withUnsafeBytes { pixels -> [UInt8] in
            // First call measures, second call writes.
            var size = 0
            guard png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, stride, nil) != 0 else {
                throw ImagingError.pngEncodeFailed(reason: message(of: &image))
            }
            var out = [UInt8](repeating: 0, count: size)
            let ok = out.withUnsafeMutableBytes { buffer in
                png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
            }
            guard ok != 0 else { throw ImagingError.pngEncodeFailed(reason: message(of: &image)) }
            out.removeSubrange(size...)
            return out
        }
    }

    /// Reads and decodes a PNG file.
    public static func read(path: String, format: PixelFormat? = nil) throws -> Bitmap {
        try decode(AtomicFile.read(path), format: format, source: path)
    }

    /// Encodes and writes a PNG file atomically (temporary file in the same directory, then rename).
    public static func write(_ bitmap: Bitmap, to path: String) throws {
        try AtomicFile.write(encode(bitmap), to: path)
    }

    private static func libpngFormat(_ format: PixelFormat) -> UInt32 {
        switch format {
        case .gray: return UInt32(PNG_FORMAT_GRAY)
        case .rgb: return UInt32(PNG_FORMAT_RGB)
        case .rgba: return UInt32(PNG_FORMAT_RGB) | UInt32(PNG_FORMAT_FLAG_ALPHA)
        }
    }

    /// libpng's message buffer is a fixed C char array inside the struct.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "unknown libpng error" : text
        }
    }
}
