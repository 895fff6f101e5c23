import Foundation

/// Errors of the Imaging module; each message names the file (if any), the problem and a fix.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
    /// libpng refused to decode the data (its own message is kept).
    case pngDecodeFailed(source: String, reason: String)
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
