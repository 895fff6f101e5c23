/// The layout of a `Bitmap`'s 8-bit samples.
public enum PixelFormat: Int, Sendable, CaseIterable, CustomStringConvertible {
    case gray = 1
    case rgb = 3
    case rgba = 4

    public var channels: Int { rawValue }

    public var description: String {
        switch self {
        case .gray: return "gray"
        case .rgb: return "RGB"
        case .rgba: return "RGBA"
        }
    }
}

/// Interleaved 8-bit pixels (row-major, channels last): the unit of PNG input and output.
public struct Bitmap: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// `height * width * format.channels` samples, rows top to bottom.
    public var samples: [UInt8]

    /// A bitmap of the given size, every sample `fill`.
    public init(width: Int, height: Int, format: PixelFormat, fill: UInt8 = 0) {
        precondition(width >= 0 && height >= 0, "Bitmap size must be non-negative")
        self.width = width
        self.height = height
        self.format = format
        self.samples = [UInt8](repeating: fill, count: width * height * format.channels)
    }

    /// Wraps existing samples; fails if their count does not match the size.
    public init(width: Int, height: Int, format: PixelFormat, samples: [UInt8]) throws {
        guard width >= 0, height >= 0, samples.count == width * height * format.channels else {
            throw ImagingError.badBitmapSize(
                width: width, height: height, format: format, sampleCount: samples.count)
        }
        self.width = width
        self.height = height
        self.format = format
        self.samples = samples
    }
}
