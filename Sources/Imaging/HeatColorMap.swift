/// A colour ramp for scalar maps, piecewise linear between control points.
public struct HeatColorMap: Sendable {
    /// Positions in 0...1 (ascending) and their colours.
    public let stops: [(position: Float, color: RGB8)]

    public init(stops: [(position: Float, color: RGB8)]) {
        precondition(stops.count >= 2, "a colour ramp needs at least two stops")
        self.stops = stops.sorted { $0.position < $1.position }
    }

    /// Dark violet through blue and green to yellow: perceptually ordered, readable in grey
    /// print, and without the false edges of a rainbow. Five stops picked by eye.
    public static let viridisLike = HeatColorMap(stops: [
        (0.00, RGB8(68, 1, 84)),
        (0.25, RGB8(59, 82, 139)),
        (0.50, RGB8(33, 145, 140)),
        (0.75, RGB8(94, 201, 98)),
        (1.00, RGB8(253, 231, 37)),
    ])

    /// The colour of `t` in 0...1 (clamped; NaN gives the lowest colour).
    public func color(_ t: Float) -> RGB8 {
        let x = t.isNaN ? 0 : min(max(t, 0), 1)
        var i = 0
        while i < stops.count - 2 && x > stops[i + 1].position { i += 1 }
        let a = stops[i], b = stops[i + 1]
        let span = b.position - a.position
        let f = span > 0 ? (x - a.position) / span : 0
        func lerp(_ u: UInt8, _ v: UInt8) -> UInt8 {
            RGB8.quantize((Float(u) + (Float(v) - Float(u)) * f) / 255)
        }
        return RGB8(lerp(a.color.r, b.color.r), lerp(a.color.g, b.color.g), lerp(a.color.b, b.color.b))
    }

    /// A row-major scalar map as colours, `range` mapped to the ramp (default: the data's min...max).
    public func image(values: [Float], width: Int, height: Int, range: ClosedRange<Float>? = nil) throws -> Image {
        guard values.count == width * height else {
            throw ImagingError.badTensorSize(expected: width * height, actual: values.count, what: "heat map \(height)x\(width)")
        }
        let r = range ?? HeatColorMap.dataRange(values)
        let span = r.upperBound - r.lowerBound
        var out = Image(width: width, height: height)
        // 256-entry table: quantising the input first keeps the loop cheap.
        let lut = (0..<256).map { color(Float($0) / 255) }
        values.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count {
                    let t = span > 0 ? (src[i] - r.lowerBound) / span : 0
                    dst[i] = lut[Int(RGB8.quantize(t))]
                }
            }
        }
        return out
    }

    /// A horizontal colour bar with the range's ends (and an optional title) written under it.
    public func colorBar(width: Int, height: Int, range: ClosedRange<Float>, title: String? = nil,
                         scale: Int = 1, textColor: RGB8 = .white, background: RGB8 = .black) -> Image {
        var bar = Image(width: width, height: height)
        for x in 0..<width {
            let c = color(width > 1 ? Float(x) / Float(width - 1) : 0)
            bar.fillRect(x: x, y: 0, width: 1, height: height, color: c)
        }
        let lo = Image.text(HeatColorMap.format(range.lowerBound), color: textColor, background: background, scale: scale)
        let hi = Image.text(HeatColorMap.format(range.upperBound), color: textColor, background: background, scale: scale)
        var ticks = Image(width: width, height: lo.height, fill: background)
        ticks.draw(lo, x: 0, y: 0)
        ticks.draw(hi, x: width - hi.width, y: 0)
        if let title {
            let t = Image.text(title, color: textColor, background: background, scale: scale)
            ticks.draw(t, x: (width - t.width) / 2, y: 0)
        }
        return Image.vstack([bar, ticks], spacing: 2 * scale, background: background)
    }

    static func dataRange(_ values: [Float]) -> ClosedRange<Float> {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return lo <= hi ? lo...hi : 0...1
    }

    /// Short number text for axis ends: up to 3 significant decimals, no trailing zeros.
    static func format(_ v: Float) -> String {
        let scaled = (Double(v) * 1000).rounded() / 1000
        var s = String(scaled)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
