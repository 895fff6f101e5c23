import FileSupport

/// A user's image file (PNG or JPEG, told apart by content) read as an 8-bit RGB bitmap, with
/// every layout reduced the way Pillow's `Image.open(path).convert("RGB")` reduces it:
///
/// - grey (any bit depth) is repeated into R, G and B;
/// - an alpha channel (grey+alpha, RGBA, a palette or colour key with transparency) is dropped,
///   not composited onto a background: a fully transparent pixel keeps its stored colour;
/// - a palette is looked up;
/// - 16-bit samples are reduced to 8 bits by libpng as round(v × 255 / 65535), the file's samples
///   taken as sRGB-encoded when it carries no gAMA/sRGB chunk (see `PNG.decode`). Pillow instead
///   keeps the high byte (v >> 8) for 16-bit colour, which differs by at most 1, and clips 16-bit
///   grey to 255 (every value above 255 turns white), which we do not copy;
/// - JPEGs are turned upright by their EXIF orientation (Pillow needs `ImageOps.exif_transpose`).
///
/// One documented difference remains for 8-bit PNGs: libpng corrects a file whose gAMA chunk is
/// far from sRGB's (e.g. gamma 1.0) to sRGB, where Pillow ignores gAMA. Such files are rare.
public enum ImageFile {
    /// Reads the file at `path` as RGB.
    public static func read(_ path: String) throws -> Bitmap {
        try decode(AtomicFile.read(path), source: path)
    }

    /// Decodes PNG or JPEG bytes as RGB; `source` names them in errors.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> Bitmap {
        switch ImageFormat(signature: bytes) {
        case .png?: return try PNG.decode(bytes, source: source).convertedToRGB()
        case .jpeg?: return try JPEG.decode(bytes, source: source).convertedToRGB()
        case nil: throw ImagingError.notAnImage(source: source, reason: ImageFormat.describeOther(bytes))
        }
    }

    /// The image fitted to `width` × `height`, as `decode(bytes).fitted(width:height:)`, but a JPEG
    /// whose crop shrinks 2× or more is decoded at a reduced size first: at the largest of 1/8,
    /// 1/4, 1/2 whose crop still has at least `width` × `height` pixels, the rule of Pillow's
    /// `draft` (`JPEG.decode(_:source:reduction:)`), and that crop is fitted. The result is then
    /// a filter of the image close to the full decode's but not the same (libjpeg's reduced IDCT
    /// instead of the first part of the shrink; ReducedJPEGTests measures the difference), in a
    /// fraction of the time. PNGs are decoded in full.
    public static func decodeFitted(_ bytes: [UInt8], width: Int, height: Int, source: String = "<memory>") throws -> Bitmap {
        switch ImageFormat(signature: bytes) {
        case .png?: return try PNG.decode(bytes, source: source).convertedToRGB().fitted(width: width, height: height)
        case .jpeg?:
            let reduced = try JPEG.decode(bytes, source: source) { w, h in
                reduction(width: w, height: h, fittedTo: width, height)
            }
            return try reduced.bitmap.convertedToRGB().fitted(width: width, height: height, within: reduced.content)
        case nil: throw ImagingError.notAnImage(source: source, reason: ImageFormat.describeOther(bytes))
        }
    }

    /// Reads the file at `path` fitted to `width` × `height` (`decodeFitted`).
    public static func readFitted(_ path: String, width: Int, height: Int) throws -> Bitmap {
        try decodeFitted(AtomicFile.read(path), width: width, height: height, source: path)
    }

    /// The reduction for fitting a `width` × `height` image to the target: the largest r of
    /// `JPEG.reductions` with the crop's sides / r ≥ the target's, else 1. For a crop of the
    /// whole image this is Pillow's `draft` rule (r ≤ side // target on both sides).
    static func reduction(width: Int, height: Int, fittedTo targetWidth: Int, _ targetHeight: Int) -> Int {
        guard targetWidth > 0, targetHeight > 0, width > 0, height > 0 else { return 1 }
        let crop = Bitmap.crop(width: Double(width), height: Double(height), toRatioOf: targetWidth, targetHeight)
        return JPEG.reductions.first { r in
            crop.width / Double(r) >= Double(targetWidth) && crop.height / Double(r) >= Double(targetHeight)
        } ?? 1
    }
}
