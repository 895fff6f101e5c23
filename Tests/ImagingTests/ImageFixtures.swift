import FileSupport
import Foundation
import XCTest
@testable import Imaging

/// The committed image fixtures under Tests/ImagingTests/Fixtures, written by
/// `python3 Tests/Reference/image_reference.py Tests/ImagingTests/Fixtures` (Pillow 13.0.0).
enum ImageFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { try AtomicFile.read(path(name)) }

    /// The largest per-sample difference between two bitmaps of the same size and layout.
    static func largestDifference(_ a: Bitmap, _ b: Bitmap, file: StaticString = #filePath, line: UInt = #line) -> Int {
        XCTAssertEqual(a.width, b.width, "widths differ", file: file, line: line)
        XCTAssertEqual(a.height, b.height, "heights differ", file: file, line: line)
        XCTAssertEqual(a.format, b.format, "formats differ", file: file, line: line)
        guard a.samples.count == b.samples.count else { return Int.max }
        return zip(a.samples, b.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}
