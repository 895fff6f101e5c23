import Foundation
import XCTest
@testable import Datasets

/// Inputs found by fuzzing (`scripts/fuzz idx`, docs/fuzzing.md); each is also a seed in
/// Fuzz/corpus/idx/ so the fuzzer starts from it.
final class GzipFuzzRegressionTests: XCTestCase {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/idx")

    /// The gzip trailer's ISIZE was trusted up to 1 GiB as the first output size: an 898-byte
    /// file claiming 692 MB made every read allocate and zero 692 MB before looking at the data
    /// (over a second each under the fuzzer). The guess is now bounded by deflate's 1032:1 limit.
    func testForgedTrailerSizeIsNotAllocatedUpFront() throws {
        let plain = [UInt8](repeating: 7, count: 1000)
        let gz = try Gzip.compress(plain)
        XCTAssertEqual(Gzip.initialCapacity(gz), 1000, "an honest trailer is still the first guess")

        var forged = gz
        forged.replaceSubrange((forged.count - 4)..., with: [0xFF, 0xFF, 0xFF, 0x3F])  // 1 GiB - 1
        XCTAssertLessThanOrEqual(Gzip.initialCapacity(forged), Gzip.maxExpansion * forged.count)
        XCTAssertThrowsError(try Gzip.decompress(forged, path: "forged.gz")) { error in
            guard case let DatasetError.gzip(path, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, "forged.gz")
            XCTAssertTrue(reason.contains("corrupt") && reason.contains("length"), reason)
        }
    }

    func testTheFuzzerInputIsRejectedWithAGzipErrorWithoutAHugeBuffer() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("regression-forged-isize.gz")))
        XCTAssertEqual(bytes.count, 898)
        XCTAssertLessThanOrEqual(Gzip.initialCapacity(bytes), Gzip.maxExpansion * bytes.count)
        XCTAssertThrowsError(try Gzip.decompress(bytes, path: "fuzz.gz")) { error in
            guard case let DatasetError.gzip(path, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, "fuzz.gz")
            XCTAssertFalse(reason.isEmpty)
        }
    }
}
