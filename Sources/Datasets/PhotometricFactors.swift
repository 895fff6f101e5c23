#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging

/// Factors measured from an RGB image's pixels, for image sets without labels: brightness,
/// contrast, saturation, hue and sharpness (docs/images.md, "Factors from the pixels"). With
/// Y = 0.299 R + 0.587 G + 0.114 B (Rec.601 luma) and HSV as Python's `colorsys` defines it, over
/// the N pixels of the image:
///
/// - brightness = mean Y;
/// - contrast = standard deviation of Y (RMS contrast, population: divided by N);
/// - saturation = mean S, S = (max − min) / max (0 where max = 0);
/// - hue = arg(Σ S·e^(2πiH)) / 2π in 0..<1: the circular mean of H weighted by S, so grey pixels
///   do not vote; missing (nil) when |Σ S·e^(2πiH)| / N ≤ `greyResultant`, i.e. the image is
///   grey or its hues cancel;
/// - sharpness = variance (population) of the 4-neighbour Laplacian of Y,
///   Y[y−1,x] + Y[y+1,x] + Y[y,x−1] + Y[y,x+1] − 4·Y[y,x], over the (H−2)×(W−2) pixels whose
///   neighbours all exist; missing for images narrower or shorter than 3 pixels.
///
/// Sums run in double precision; the results are single precision like every factor value.
public struct PhotometricFactors: Equatable, Sendable {
    public var brightness: Float
    public var contrast: Float
    public var saturation: Float
    /// Nil for a grey image.
    public var hue: Float?
    /// Nil for an image smaller than 3×3.
    public var sharpness: Float?

    /// At or below this mean resultant length the hue is missing. It is exactly 0 for a grey
    /// image and about 1e-16 for hues that cancel (half red, half cyan), while one faintly
    /// coloured 8-bit pixel (S = 1/255) in an otherwise grey 1000×1000 image gives 4e-9.
    public static let greyResultant = 1e-9

    /// The factors in `values` order. Names start with `pixel_` so they never collide with a
    /// table's columns or the scenes' own `hue` and `saturation`, and read as measured, not given.
    public static let descriptors: [FactorDescriptor] = [
        FactorDescriptor(name: "pixel_brightness", kind: .continuous(0...1),
                         summary: "mean Rec.601 luma 0.299 R + 0.587 G + 0.114 B, measured from the pixels"),
        FactorDescriptor(name: "pixel_contrast", kind: .continuous(0...0.5),
                         summary: "RMS contrast: standard deviation of luma, measured from the pixels"),
        FactorDescriptor(name: "pixel_saturation", kind: .continuous(0...1),
                         summary: "mean HSV saturation, measured from the pixels"),
        FactorDescriptor(name: "pixel_hue", kind: .circular(period: 1),
                         summary: "circular mean of HSV hue weighted by saturation, measured from the pixels; missing for grey images"),
        // A Laplacian of values in 0...1 lies in −4...4, so its variance is at most 16.
        FactorDescriptor(name: "pixel_sharpness", kind: .continuous(0...16),
                         summary: "variance of the 3x3 Laplacian of luma, measured from the pixels"),
    ]

    /// The factor names in `descriptors` order.
    public static var names: [String] { descriptors.map(\.name) }

    /// Values in `descriptors` order, nil where missing.
    public var values: [Float?] { [brightness, contrast, saturation, hue, sharpness] }

    public init(brightness: Float, contrast: Float, saturation: Float, hue: Float?, sharpness: Float?) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.sharpness = sharpness
    }

    /// Measures an RGB image stored as CHW floats in 0...1 (`3 * width * height` values, as
    /// `Scene.pixels` and tensors hold them).
    public init(chw values: [Float], width: Int, height: Int) throws {
        try self.init(chw: values[...], width: width, height: height)
    }

    /// As `init(chw:width:height:)`, from a slice such as one item of an NCHW batch.
    public init(chw values: ArraySlice<Float>, width: Int, height: Int) throws {
        guard width > 0, height > 0 else {
            throw DatasetError.badPixels(problem: "the image is \(width)x\(height)", fix: "Pass an image at least 1x1")
        }
        let plane = width * height
        guard values.count == 3 * plane else {
            throw DatasetError.badPixels(problem: "\(values.count) values for a 3x\(height)x\(width) CHW image, which has \(3 * plane)",
                                         fix: "Pass three planes (R, G, B) of width x height values each")
        }
        var rgb = [Double](repeating: 0, count: 3 * plane)
        for (i, v) in values.enumerated() {
            // `!(v >= 0 && v <= 1)` also catches NaN.
            guard v >= 0, v <= 1 else {
                let channel = ["R", "G", "B"][i / plane], p = i % plane
                throw DatasetError.badPixels(problem: "\(channel) at x \(p % width), y \(p / width) is \(v), outside 0...1",
                                             fix: "Scale the image to 0...1 first (8-bit values divided by 255)")
            }
            rgb[i] = Double(v)
        }
        self = PhotometricFactors.measure(rgb, width: width, height: height)
    }

    /// Measures an 8-bit bitmap (sample / 255); grey is taken as R = G = B and alpha is ignored,
    /// as `ImageFile.read` reads files.
    public init(bitmap: Bitmap) throws {
        guard bitmap.width > 0, bitmap.height > 0 else {
            throw DatasetError.badPixels(problem: "the image is \(bitmap.width)x\(bitmap.height)", fix: "Pass an image at least 1x1")
        }
        let rgb = bitmap.convertedToRGB()
        let plane = bitmap.width * bitmap.height
        var planes = [Double](repeating: 0, count: 3 * plane)
        for p in 0..<plane {
            for c in 0..<3 { planes[c * plane + p] = Double(rgb.samples[3 * p + c]) / 255 }
        }
        self = PhotometricFactors.measure(planes, width: bitmap.width, height: bitmap.height)
    }

    /// Mean and population variance, two passes over the values less the first one: a flat
    /// image gives exactly its value and exactly 0, and large offsets cost no precision.
    static func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
        let shift = values[0], n = Double(values.count)
        var sum = 0.0
        for v in values { sum += v - shift }
        let meanOfDifferences = sum / n
        var squares = 0.0
        for v in values { squares += (v - shift - meanOfDifferences) * (v - shift - meanOfDifferences) }
        return (shift + meanOfDifferences, squares / n)
    }

    /// The formulas of the type's comment on CHW planes already checked to lie in 0...1.
    static func measure(_ rgb: [Double], width: Int, height: Int) -> PhotometricFactors {
        let plane = width * height
        let n = Double(plane)
        var luma = [Double](repeating: 0, count: plane)
        var saturationSum = 0.0, hueX = 0.0, hueY = 0.0
        for p in 0..<plane {
            let r = rgb[p], g = rgb[plane + p], b = rgb[2 * plane + p]
            let y = 0.299 * r + 0.587 * g + 0.114 * b
            luma[p] = y
            let high = max(r, g, b), low = min(r, g, b)
            guard high > low else { continue }  // grey (or black): S = 0, no hue vote
            let spread = high - low
            let s = spread / high
            // colorsys.rgb_to_hsv: the first of R, G, B that is the maximum decides the sector.
            var h: Double
            if r == high { h = (g - b) / spread } else if g == high { h = 2 + (b - r) / spread } else { h = 4 + (r - g) / spread }
            h /= 6
            h -= h.rounded(.down)
            saturationSum += s
            hueX += s * cos(2 * Double.pi * h)
            hueY += s * sin(2 * Double.pi * h)
        }
        let (meanLuma, lumaVariance) = meanAndVariance(luma)

        var hue: Float?
        if (hueX * hueX + hueY * hueY).squareRoot() / n > greyResultant {
            var turns = atan2(hueY, hueX) / (2 * Double.pi)
            turns -= turns.rounded(.down)
            // A turn just below 1 may round up to 1 in Float; the circle's 1 is its 0.
            let single = Float(turns)
            hue = single < 1 ? single : 0
        }

        var sharpness: Float?
        if width >= 3, height >= 3 {
            let inner = (width - 2) * (height - 2)
            var laplacian = [Double](repeating: 0, count: inner)
            var k = 0
            for y in 1..<(height - 1) {
                for x in 1..<(width - 1) {
                    let i = y * width + x, centre = luma[i]
                    // Differences to the centre: exactly 0 where the image is flat.
                    laplacian[k] = (luma[i - width] - centre) + (luma[i + width] - centre) + (luma[i - 1] - centre) + (luma[i + 1] - centre)
                    k += 1
                }
            }
            sharpness = Float(meanAndVariance(laplacian).variance)
        }
        return PhotometricFactors(brightness: Float(meanLuma), contrast: Float(lumaVariance.squareRoot()),
                                  saturation: Float(saturationSum / n), hue: hue, sharpness: sharpness)
    }
}
