/// An RGB8 canvas (row-major, top row first): what the renderers draw into and PNGs are made of.
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height` pixels, row-major.
    public var pixels: [RGB8]

    /// A canvas filled with one colour.
    public init(width: Int, height: Int, fill: RGB8 = .black) {
        precondition(width >= 0 && height >= 0, "Image size must be non-negative")
        self.width = width
        self.height = height
        self.pixels = [RGB8](repeating: fill, count: width * height)
    }

    /// An image from planar float data in 0...1 (values outside are clamped): `channels` is 3 for
    /// RGB (CHW, as tensors store it) or 1 for gray.
    public init(chw values: [Float], width: Int, height: Int, channels: Int = 3) throws {
        guard channels == 1 || channels == 3 else {
            throw ImagingError.badTensorSize(expected: 3 * width * height, actual: values.count,
                                             what: "CHW image with \(channels) channels (need 1 or 3)")
        }
        try self.init(chw: values[...], width: width, height: height, channels: channels)
    }

    /// As `init(chw:width:height:channels:)`, from a slice such as one item of an NCHW batch.
    public init(chw values: ArraySlice<Float>, width: Int, height: Int, channels: Int = 3) throws {
        let plane = width * height
        guard (channels == 1 || channels == 3), values.count == channels * plane else {
            throw ImagingError.badTensorSize(expected: channels * plane, actual: values.count,
                                             what: "CHW image \(channels)x\(height)x\(width)")
        }
        self.init(width: width, height: height)
        values.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                let gOff = channels == 3 ? plane : 0
                let bOff = channels == 3 ? 2 * plane : 0
                for i in 0..<plane {
                    dst[i] = RGB8(RGB8.quantize(src[i]), RGB8.quantize(src[gOff + i]), RGB8.quantize(src[bOff + i]))
                }
            }
        }
    }

    /// Converts a bitmap: gray is replicated, alpha is composited over `matte`.
    public init(bitmap: Bitmap, matte: RGB8 = .black) {
        self.init(width: bitmap.width, height: bitmap.height)
        let n = width * height
        bitmap.samples.withUnsafeBufferPointer { s in
            pixels.withUnsafeMutableBufferPointer { dst in
                switch bitmap.format {
                case .gray:
                    for i in 0..<n { dst[i] = RGB8(s[i], s[i], s[i]) }
                case .rgb:
                    for i in 0..<n { dst[i] = RGB8(s[3 * i], s[3 * i + 1], s[3 * i + 2]) }
                case .rgba:
                    for i in 0..<n {
                        let a = UInt32(s[4 * i + 3])
                        @inline(__always) func mix(_ c: UInt8, _ m: UInt8) -> UInt8 {
                            UInt8((UInt32(c) * a + UInt32(m) * (255 - a) + 127) / 255)
                        }
                        dst[i] = RGB8(mix(s[4 * i], matte.r), mix(s[4 * i + 1], matte.g), mix(s[4 * i + 2], matte.b))
                    }
                }
            }
        }
    }

    /// The pixels as an RGB bitmap for PNG output.
    public var bitmap: Bitmap {
        var samples = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeBufferPointer { src in
            samples.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count {
                    dst[3 * i] = src[i].r
                    dst[3 * i + 1] = src[i].g
                    dst[3 * i + 2] = src[i].b
                }
            }
        }
        // The count matches by construction, so this cannot fail.
        return (try? Bitmap(width: width, height: height, format: .rgb, samples: samples))
            ?? Bitmap(width: width, height: height, format: .rgb)
    }

    /// Writes the image as an RGB PNG, atomically.
    public func writePNG(to path: String) throws {
        try PNG.write(bitmap, to: path)
    }

    public subscript(x: Int, y: Int) -> RGB8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Fills a rectangle, clipped to the canvas.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: RGB8) {
        let x0 = max(x, 0), y0 = max(y, 0)
        let x1 = min(x + w, width), y1 = min(y + h, height)
        guard x0 < x1, y0 < y1 else { return }
        let stride = width
        pixels.withUnsafeMutableBufferPointer { p in
            for yy in y0..<y1 {
                let row = yy * stride
                for xx in x0..<x1 { p[row + xx] = color }
            }
        }
    }

    /// Draws a one-pixel-wide rectangle outline, clipped.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, color: RGB8, thickness: Int = 1) {
        fillRect(x: x, y: y, width: w, height: thickness, color: color)
        fillRect(x: x, y: y + h - thickness, width: w, height: thickness, color: color)
        fillRect(x: x, y: y, width: thickness, height: h, color: color)
        fillRect(x: x + w - thickness, y: y, width: thickness, height: h, color: color)
    }

    /// Copies `image` with its top-left corner at (x, y), clipped to the canvas.
    public mutating func draw(_ image: Image, x: Int, y: Int) {
        let x0 = max(x, 0), y0 = max(y, 0)
        let x1 = min(x + image.width, width), y1 = min(y + image.height, height)
        guard x0 < x1, y0 < y1 else { return }
        let dstStride = width
        image.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for yy in y0..<y1 {
                    let s = (yy - y) * image.width - x
                    let d = yy * dstStride
                    for xx in x0..<x1 { dst[d + xx] = src[s + xx] }
                }
            }
        }
    }

    /// Nearest-neighbour enlargement by an integer factor (pixels stay crisp for inspection).
    public func upscaled(by factor: Int) -> Image {
        guard factor > 1 else { return self }
        return resizedNearest(width: width * factor, height: height * factor)
    }

    /// Nearest-neighbour resize to any size.
    public func resizedNearest(width newWidth: Int, height newHeight: Int) -> Image {
        var out = Image(width: newWidth, height: newHeight)
        guard width > 0, height > 0 else { return out }
        // Source column per destination column, computed once.
        let xs = (0..<newWidth).map { $0 * width / newWidth }
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<newHeight {
                    let s = (y * height / newHeight) * width
                    let d = y * newWidth
                    for x in 0..<newWidth { dst[d + x] = src[s + xs[x]] }
                }
            }
        }
        return out
    }

    /// Images side by side, top-aligned, `spacing` pixels apart.
    public static func hstack(_ images: [Image], spacing: Int = 0, background: RGB8 = .black) -> Image {
        let w = images.reduce(0) { $0 + $1.width } + spacing * max(images.count - 1, 0)
        let h = images.map(\.height).max() ?? 0
        var out = Image(width: w, height: h, fill: background)
        var x = 0
        for image in images {
            out.draw(image, x: x, y: 0)
            x += image.width + spacing
        }
        return out
    }

    /// Images one above the other, left-aligned, `spacing` pixels apart.
    public static func vstack(_ images: [Image], spacing: Int = 0, background: RGB8 = .black) -> Image {
        let w = images.map(\.width).max() ?? 0
        let h = images.reduce(0) { $0 + $1.height } + spacing * max(images.count - 1, 0)
        var out = Image(width: w, height: h, fill: background)
        var y = 0
        for image in images {
            out.draw(image, x: 0, y: y)
            y += image.height + spacing
        }
        return out
    }

    /// A copy with `amount` pixels of `color` added on every side.
    public func padded(_ amount: Int, color: RGB8) -> Image {
        var out = Image(width: width + 2 * amount, height: height + 2 * amount, fill: color)
        out.draw(self, x: amount, y: amount)
        return out
    }
}
