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
}
