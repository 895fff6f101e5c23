/// A linear-in-code (no gamma handling) RGB colour with Float components in 0...1, as scenes use.
public struct RGBColor: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var r: Float
    public var g: Float
    public var b: Float

    public init(r: Float, g: Float, b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// HSV to RGB with plain Float arithmetic (no transcendental functions), so the result is
    /// bit-identical wherever IEEE single precision is. `hue` wraps into 0..<1.
    public init(hue: Float, saturation: Float, value: Float) {
        var h = hue - hue.rounded(.down)
        if !(h >= 0 && h < 1) { h = 0 }  // NaN or rounding to 1.0
        let s = min(max(saturation, 0), 1)
        let v = min(max(value, 0), 1)
        let h6 = h * 6
        let sector = min(Int(h6), 5)
        let f = h6 - Float(sector)
        let p = v * (1 - s)
        let q = v * (1 - s * f)
        let t = v * (1 - s * (1 - f))
        switch sector {
        case 0: self.init(r: v, g: t, b: p)
        case 1: self.init(r: q, g: v, b: p)
        case 2: self.init(r: p, g: v, b: t)
        case 3: self.init(r: p, g: q, b: v)
        case 4: self.init(r: t, g: p, b: v)
        default: self.init(r: v, g: p, b: q)
        }
    }

    public var rgb8: RGB8 { RGB8(unit: r, g, b) }

    public var description: String {
        func c(_ x: Float) -> String { String(Int((x * 255).rounded())) }
        return "rgb(\(c(r)),\(c(g)),\(c(b)))"
    }
}
