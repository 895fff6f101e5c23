// libFuzzer target: bytes → JPEG.decode (libjpeg-turbo's TurboJPEG API, then the EXIF orientation
// turn), ImageFile.decode (the RGB a user's image is read as), and every turn and mirror of the
// decoded bitmap. Built and run by scripts/fuzz (docs/fuzzing.md). Any trap, sanitizer report,
// leak or input slower than 1 s is a finding; ImagingError is expected and ignored.
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Any bytes have an orientation (.up when there is no readable Exif entry).
    _ = ExifOrientation(jpeg: bytes)
    let bitmap: Bitmap
    do {
        bitmap = try JPEG.decode(bytes, source: "fuzz.jpg")
    } catch let error as ImagingError {
        guard !"\(error)".isEmpty else { fatalError("ImagingError without a message") }
        return 0
    } catch {
        fatalError("JPEG.decode threw something other than ImagingError: \(error)")
    }
    guard bitmap.format != .rgba, bitmap.width > 0, bitmap.height > 0,
          bitmap.samples.count == bitmap.width * bitmap.height * bitmap.format.channels else {
        fatalError("decoded \(bitmap.width)x\(bitmap.height) \(bitmap.format) with \(bitmap.samples.count) samples")
    }
    // A user's image file is the same pixels as RGB.
    if ImageFormat(signature: bytes) == .jpeg {
        guard let rgb = try? ImageFile.decode(bytes, source: "fuzz.jpg"), rgb == bitmap.convertedToRGB() else {
            fatalError("ImageFile.decode disagrees with JPEG.decode")
        }
    }
    // Every turn and mirror keeps the pixels and is undone by its inverse.
    for orientation in ExifOrientation.allCases {
        let turned = bitmap.oriented(orientation)
        let swaps = orientation.rawValue >= 5
        guard turned.width == (swaps ? bitmap.height : bitmap.width), turned.height == (swaps ? bitmap.width : bitmap.height),
              turned.samples.count == bitmap.samples.count else {
            fatalError("\(orientation) of \(bitmap.width)x\(bitmap.height) gives \(turned.width)x\(turned.height)")
        }
        guard turned.oriented(inverse(of: orientation)) == bitmap else { fatalError("\(orientation) is not undone by its inverse") }
    }
    return 0
}

/// The orientation that undoes `o`: the quarter turns undo each other, the rest undo themselves.
private func inverse(of o: ExifOrientation) -> ExifOrientation {
    switch o {
    case .right: return .left
    case .left: return .right
    default: return o
    }
}
