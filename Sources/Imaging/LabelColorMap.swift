/// Distinct colours for segmentation labels, with class names for legends.
public struct LabelColorMap: Sendable {
    /// One name per label value (label `i` is `names[i]`).
    public let names: [String]
    public let colors: [RGB8]
    /// Colour for label values beyond `names` (invalid labels should stand out).
    public var unknownColor = RGB8(255, 0, 255)

    /// Assigns palette colours in order; the last label gets `lastColor` if given (e.g. a dark
    /// grey for "background" so garments stand out).
    public init(names: [String], lastColor: RGB8? = nil) {
        self.names = names
        var colors = (0..<names.count).map { LabelColorMap.palette[$0 % LabelColorMap.palette.count] }
        if let lastColor, !colors.isEmpty { colors[colors.count - 1] = lastColor }
        self.colors = colors
    }

    /// Ten colours spread round the wheel at varied lightness (plus white and grey), chosen so
    /// that every pair is easy to tell apart at a glance.
    public static let palette: [RGB8] = [
        RGB8(228, 26, 28),    // red
        RGB8(55, 126, 234),   // blue
        RGB8(77, 200, 74),    // green
        RGB8(152, 78, 163),   // purple
        RGB8(255, 127, 0),    // orange
        RGB8(255, 235, 51),   // yellow
        RGB8(240, 240, 240),  // near white
        RGB8(247, 129, 191),  // pink
        RGB8(64, 224, 208),   // turquoise
        RGB8(160, 160, 160),  // grey
        RGB8(0, 90, 60),      // dark green
        RGB8(120, 0, 40),     // maroon
    ]

    public func color(_ label: Int) -> RGB8 {
        label >= 0 && label < colors.count ? colors[label] : unknownColor
    }

    /// A label map (row-major, one byte per pixel) as a colour image.
    public func image(labels: [UInt8], width: Int, height: Int) throws -> Image {
        try image(labels: labels[...], width: width, height: height)
    }

    /// As `image(labels:width:height:)`, from a slice such as one item of a batch.
    public func image(labels: ArraySlice<UInt8>, width: Int, height: Int) throws -> Image {
        guard labels.count == width * height else {
            throw ImagingError.badTensorSize(expected: width * height, actual: labels.count, what: "label map \(height)x\(width)")
        }
        var out = Image(width: width, height: height)
        // Look-up table of all 256 byte values so the loop does no bounds logic.
        let lut = (0..<256).map { color($0) }
        labels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = lut[Int(src[i])] }
            }
        }
        return out
    }

    /// A legend: one swatch and name per label, in `columns` columns.
    public func legend(columns: Int = 1, scale: Int = 1, textColor: RGB8 = .white, background: RGB8 = .black) -> Image {
        let swatch = BitmapFont.glyphHeight * scale
        let entries = names.enumerated().map { i, name -> Image in
            var box = Image(width: swatch, height: swatch, fill: colors[i])
            box.strokeRect(x: 0, y: 0, width: swatch, height: swatch, color: RGB8.gray)
            let label = Image.text("\(i) \(name)", color: textColor, background: background, scale: scale)
            return Image.hstack([box, label], spacing: 3 * scale, background: background)
        }
        let cols = max(1, min(columns, entries.count))
        let rows = (entries.count + cols - 1) / cols
        var columnImages: [Image] = []
        for c in 0..<cols {
            let slice = (0..<rows).compactMap { r -> Image? in
                let i = r * cols + c
                return i < entries.count ? entries[i] : nil
            }
            columnImages.append(Image.vstack(slice, spacing: 2 * scale, background: background))
        }
        return Image.hstack(columnImages, spacing: 8 * scale, background: background)
    }
}
