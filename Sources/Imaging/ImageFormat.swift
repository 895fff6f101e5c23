/// The file formats `ImageFile` reads, recognised by their first bytes (a user's `photo.png` may
/// well be a JPEG, and the name is no evidence either way).
public enum ImageFormat: String, Sendable, CaseIterable {
    case png = "PNG"
    case jpeg = "JPEG"

    /// The format whose signature `bytes` start with, nil for anything else.
    public init?(signature bytes: [UInt8]) {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// What a file that is neither PNG nor JPEG seems to be, for the error message: a few common
    /// image formats by their signatures, else its first bytes.
    static func describeOther(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "the file is empty" }
        let ascii = { (text: String) in Array(text.utf8) }
        let known: [(String, (([UInt8]) -> Bool))] = [
            ("a GIF file", { $0.starts(with: ascii("GIF8")) }),
            ("a BMP file", { $0.starts(with: ascii("BM")) && $0.count >= 14 }),
            ("a TIFF file", { $0.starts(with: ascii("II*\0")) || $0.starts(with: ascii("MM\0*")) }),
            ("a WebP file", { $0.count >= 12 && $0.starts(with: ascii("RIFF")) && $0[8..<12].elementsEqual(ascii("WEBP")) }),
            ("a HEIF/AVIF file", { $0.count >= 12 && $0[4..<8].elementsEqual(ascii("ftyp")) }),
            ("a PNG signature cut short", { $0.count < 8 && [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A].starts(with: $0) }),
        ]
        if let (name, _) = known.first(where: { $0.1(bytes) }) { return "it looks like \(name)" }
        let head = bytes.prefix(8)
        let hex = head.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
        let printable = head.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let text = printable ? " (text: \"\(String(decoding: head, as: UTF8.self).replacingNewlines)\")" : ""
        return "it starts with the bytes \(hex)\(text)"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
    var replacingNewlines: String { String(map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }) }
}
