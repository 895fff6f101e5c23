// libFuzzer target: bytes → PNG.decode (libpng's simplified API), in the file's own layout and in
// each forced layout, then re-encoding. Built and run by scripts/fuzz (docs/fuzzing.md). Any trap,
// sanitizer report, leak or input slower than 1 s is a finding; ImagingError is expected and ignored.
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let bitmap = try? PNG.decode(bytes, source: "fuzz.png") else { return 0 }
    check(bitmap)
    _ = Image(bitmap: bitmap)
    for format in PixelFormat.allCases where format != bitmap.format {
        // Forcing a layout may still fail (libpng reads the data again), but must not trap.
        if let converted = try? PNG.decode(bytes, format: format, source: "fuzz.png") {
            check(converted)
            guard converted.width == bitmap.width, converted.height == bitmap.height else {
                fatalError("forced \(format): \(converted.width)x\(converted.height), own layout \(bitmap.width)x\(bitmap.height)")
            }
        }
    }
    // 8-bit samples must survive encoding and decoding unchanged.
    guard bitmap.width > 0, bitmap.height > 0 else { return 0 }
    guard let encoded = try? PNG.encode(bitmap) else { fatalError("cannot encode a decoded \(bitmap.width)x\(bitmap.height) \(bitmap.format) bitmap") }
    guard let decoded = try? PNG.decode(encoded, source: "fuzz.png"), decoded == bitmap else {
        fatalError("PNG round trip of a \(bitmap.width)x\(bitmap.height) \(bitmap.format) bitmap differs")
    }
    return 0
}

private func check(_ bitmap: Bitmap) {
    guard bitmap.samples.count == bitmap.width * bitmap.height * bitmap.format.channels else {
        fatalError("\(bitmap.width)x\(bitmap.height) \(bitmap.format) with \(bitmap.samples.count) samples")
    }
}
