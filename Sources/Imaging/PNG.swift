import CPNG
import FileSupport

/// PNG encoding and decoding through libpng's simplified API (`png_image_*`). That API catches
/// libpng's longjmp-based errors inside C and reports them in `png_image.message`, so no longjmp
/// ever crosses Swift frames.
public enum PNG {
    /// Decodes PNG bytes. Gray and RGB files keep their layout; anything with alpha (gray+alpha,
    /// RGBA, palette with transparency) becomes RGBA; palette without transparency becomes RGB;
    /// 16-bit files are reduced to 8 bits. `format` forces a layout instead.
    ///
    /// A 16-bit file without a gAMA or sRGB chunk is read as sRGB-encoded, as viewers and Pillow
    /// show it, so the reduction is round(v × 255 / 65535). libpng's default would take it as
    /// linear light and re-encode it to sRGB, brightening every dark tone (0x00FF came out as 19
    /// instead of 1, ImageFileTests).
    public static func decode(_ data: [UInt8], format requested: PixelFormat? = nil,
                              source: String = "<memory>") throws -> Bitmap {
        try checkChunksBeforeImageData(data, source: source)
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
        // Only settable after begin_read, which initialises the flags.
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
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

    /// libpng allocates a buffer of the size a chunk before the image data declares before it
    /// reads the chunk, so 61 bytes declaring a 1.4 GB text chunk made it reserve 1.4 GB only to
    /// fail with "read beyond end of data" (found by fuzzing, docs/fuzzing.md). Such a chunk can
    /// never be read from `data`, so it is reported here, before libpng sees it. From the first
    /// IDAT on libpng streams the data and is left to judge it; a file that does not start with
    /// the PNG signature is left to libpng's own message.
    static func checkChunksBeforeImageData(_ data: [UInt8], source: String) throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard data.count >= 8, data[0..<8].elementsEqual(signature) else { return }
        var offset = 8
        while data.count - offset >= 8 {
            let length = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = Array(data[offset + 4..<offset + 8])
            if type == Array("IDAT".utf8) || type == Array("IEND".utf8) { return }
            let remaining = data.count - offset - 8
            guard length + 4 <= remaining else {
                let letters = type.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
                let name = letters ? "'\(String(decoding: type, as: UTF8.self))'" : "of type \(type)"
                throw ImagingError.pngDecodeFailed(
                    source: source,
                    reason: "chunk \(name) at byte \(offset) declares \(length) data bytes, but the file ends \(remaining) bytes later; it is truncated or corrupt")
            }
            offset += 12 + length
        }
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
