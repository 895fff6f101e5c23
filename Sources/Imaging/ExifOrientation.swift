/// The EXIF orientation of a photo (tag 0x0112 in IFD0, values 1–8): how the stored pixels must be
/// turned to be upright. Cameras store the sensor's rows as they come and record the turn here
/// instead of rotating the pixels, so ignoring it shows portraits lying on their side.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// 1: stored upright.
    case up = 1
    /// 2: mirrored left to right.
    case upMirrored = 2
    /// 3: upside down.
    case down = 3
    /// 4: mirrored top to bottom.
    case downMirrored = 4
    /// 5: mirrored along the main diagonal (transposed).
    case leftMirrored = 5
    /// 6: needs a quarter turn clockwise.
    case right = 6
    /// 7: mirrored along the anti-diagonal (transversed).
    case rightMirrored = 7
    /// 8: needs a quarter turn counter-clockwise.
    case left = 8

    /// Orientations 5–8 turn the image a quarter (or transpose it): upright width is the stored height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation recorded in a JPEG's first APP1 Exif segment, `.up` when there is none.
    /// A malformed or out-of-range entry also counts as `.up`, as in Pillow's `exif_transpose`:
    /// the pixels are still readable, and the tag is only a display hint.
    public init(jpeg bytes: [UInt8]) {
        self = Self.parse(bytes) ?? .up
    }

    /// Walks the marker segments before the first scan (SOS); each read is bounds-checked, so any
    /// byte string is safe. Returns nil when no usable orientation entry is found.
    static func parse(_ bytes: [UInt8]) -> ExifOrientation? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte before a marker
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan data or end: no more metadata
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }  // no length field
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return nil }
            let payload = (offset + 4)..<(offset + 2 + length)
            if marker == 0xE1, payload.count >= 6, bytes[payload.prefix(6)].elementsEqual(Array("Exif\0\0".utf8)) {
                if let found = orientation(inTIFF: bytes[(payload.lowerBound + 6)..<payload.upperBound]) { return found }
            }
            offset += 2 + length
        }
        return nil
    }

    /// Reads IFD0 of the TIFF structure inside the Exif segment: header "II*\0" (little-endian)
    /// or "MM\0*" (big-endian), IFD0's offset, then 12-byte entries (tag, type, count, value).
    static func orientation(inTIFF tiff: ArraySlice<UInt8>) -> ExifOrientation? {
        let base = tiff.startIndex
        func u16(_ at: Int, _ little: Bool) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let a = Int(tiff[base + at]), b = Int(tiff[base + at + 1])
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int, _ little: Bool) -> Int? {
            guard let low = u16(little ? at : at + 2, little), let high = u16(little ? at + 2 : at, little) else { return nil }
            return high << 16 | low
        }
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[base], tiff[base + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        guard u16(2, little) == 42, let ifd = u32(4, little), let count = u16(ifd, little) else { return nil }
        for entry in 0..<count {
            let at = ifd + 2 + 12 * entry
            guard let tag = u16(at, little), let type = u16(at + 2, little) else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT is what the standard says; some writers use LONG. Either is left-justified.
            let value: Int?
            switch type {
            case 3: value = u16(at + 8, little)
            case 4: value = u32(at + 8, little)
            default: value = nil
            }
            return value.flatMap(ExifOrientation.init(rawValue:))
        }
        return nil
    }
}
