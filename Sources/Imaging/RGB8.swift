/// An 8-bit sRGB colour, the pixel type of `Image`.
public struct RGB8: Equatable, Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Quantises a colour with components in 0...1 (values outside are clamped; NaN maps to 0).
    public init(unit r: Float, _ g: Float, _ b: Float) {
        self.init(RGB8.quantize(r), RGB8.quantize(g), RGB8.quantize(b))
    }

    /// Rounds a 0...1 value to 0...255; written out so that every platform gives the same byte.
    @inline(__always)
    public static func quantize(_ x: Float) -> UInt8 {
        // `!(x > 0)` also catches NaN, which would trap in the integer conversion.
        if !(x > 0) { return 0 }
        if x >= 1 { return 255 }
        return UInt8(x * 255 + 0.5)
    }

    public static let black = RGB8(0, 0, 0)
    public static let white = RGB8(255, 255, 255)
    public static let gray = RGB8(128, 128, 128)
    public static let lightGray = RGB8(200, 200, 200)
    public static let darkGray = RGB8(48, 48, 48)
}
