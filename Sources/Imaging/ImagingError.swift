import Foundation

/// Errors of the Imaging module; each message names the file (if any), the problem and a fix.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
    /// libpng refused to decode the data (its own message is kept).
    case pngDecodeFailed(source: String, reason: String)
    /// libjpeg-turbo refused to decode the data, or warned about it (TurboJPEG's own message is kept).
    case jpegDecodeFailed(source: String, reason: String)
    /// A JPEG in a colour space the tool does not convert (CMYK, YCCK).
    case unsupportedColourSpace(source: String, colourSpace: String)
    /// The header declares more pixels than the tool decodes.
    case imageTooLarge(source: String, width: Int, height: Int, limit: Int)
    /// The bytes are neither PNG nor JPEG.
    case notAnImage(source: String, reason: String)
    /// A resize whose source or target has no pixels, or whose target is absurdly large.
    case invalidResize(reason: String)
    /// libpng refused to encode the bitmap.
    case pngEncodeFailed(reason: String)
    /// Samples and size disagree.
    case badBitmapSize(width: Int, height: Int, format: PixelFormat, sampleCount: Int)
    /// A float CHW array does not have the expected number of values.
    case badTensorSize(expected: Int, actual: Int, what: String)

    public var description: String {
        switch self {
        case let .pngDecodeFailed(source, reason):
            return "\(source): not a readable PNG (\(reason)). Check that the file is a complete, "
                + "uncorrupted PNG; re-create it if it was truncated."
        case let .jpegDecodeFailed(source, reason):
            return "\(source): not a readable JPEG (\(reason)). Check that the file is a complete, "
                + "uncorrupted JPEG; re-create or re-download it if it was truncated."
        case let .unsupportedColourSpace(source, colourSpace):
            return "\(source): a \(colourSpace) JPEG, which diagnose does not convert. Convert it to RGB, e.g. "
                + "`convert IN -colorspace sRGB OUT` (ImageMagick) or Pillow's `Image.open(IN).convert('RGB').save(OUT)`."
        case let .imageTooLarge(source, width, height, limit):
            return "\(source): \(width)x\(height) is \(width * height) pixels, more than the \(limit) diagnose decodes. "
                + "Downscale the image first (the tool resizes every image to the models' small input sizes anyway)."
        case let .notAnImage(source, reason):
            return "\(source): not an image diagnose reads (\(reason)). diagnose reads PNG and JPEG files, "
                + "recognised by their first bytes, not by their name; convert other formats to PNG."
        case let .invalidResize(reason):
            return "Cannot resize: \(reason)."
        case let .pngEncodeFailed(reason):
            return "PNG encoding failed: \(reason)"
        case let .badBitmapSize(width, height, format, count):
            return "Bitmap \(width)x\(height) \(format) needs \(width * height * format.channels) samples, got \(count)."
        case let .badTensorSize(expected, actual, what):
            return "\(what): expected \(expected) values, got \(actual)."
        }
    }
}

extension ImagingError: LocalizedError {
    public var errorDescription: String? { description }
}
