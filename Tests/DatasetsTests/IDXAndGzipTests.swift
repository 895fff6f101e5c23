import XCTest
@testable import Datasets

final class IDXAndGzipTests: XCTestCase {
    func testParsesGoodIDX() throws {
        let file = try IDXFile(bytes: Fixture.idx(rank: 3, dims: [2, 2, 3], data: Array(0..<12)), path: "x", expectedRank: 3)
        XCTAssertEqual(file.dimensions, [2, 2, 3])
        XCTAssertEqual(file.data, Array(0..<12))
    }

    func testBadMagicIsReported() {
        var bytes = Fixture.idx(rank: 1, dims: [3], data: [1, 2, 3])
        bytes[0] = 0x1f
        XCTAssertThrowsError(try IDXFile(bytes: bytes, path: "labels.idx")) { error in
            XCTAssertTrue("\(error)".contains("labels.idx"), "\(error)")
            XCTAssertTrue("\(error)".contains("bad magic number"), "\(error)")
        }
        bytes = Fixture.idx(rank: 1, dims: [3], data: [1, 2, 3])
        bytes[2] = 0x0D  // float data
        XCTAssertThrowsError(try IDXFile(bytes: bytes, path: "f")) { XCTAssertTrue("\($0)".contains("unsigned byte"), "\($0)") }
        XCTAssertThrowsError(try IDXFile(bytes: Fixture.idx(rank: 1, dims: [3], data: [1, 2, 3]), path: "r", expectedRank: 3)) {
            XCTAssertTrue("\($0)".contains("expected 3"), "\($0)")
        }
    }

    func testTruncatedAndOversizedIDX() {
        let truncated = Fixture.idx(rank: 3, dims: [2, 28, 28], data: [UInt8](repeating: 0, count: 784 + 100))
        XCTAssertThrowsError(try IDXFile(bytes: truncated, path: "img")) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
            XCTAssertTrue("\(error)".contains("1568"), "the message gives the expected size: \(error)")
        }
        XCTAssertThrowsError(try IDXFile(bytes: [0, 0, 8, 3, 0, 0], path: "hdr")) { XCTAssertTrue("\($0)".contains("truncated header"), "\($0)") }
        XCTAssertThrowsError(try IDXFile(bytes: [0, 0], path: "tiny"))
        let trailing = Fixture.idx(rank: 1, dims: [2], data: [1, 2, 3])
        XCTAssertThrowsError(try IDXFile(bytes: trailing, path: "t")) { XCTAssertTrue("\($0)".contains("trailing"), "\($0)") }
    }

    func testGzipRoundTripAndDamage() throws {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }
        let gz = try Gzip.compress(data)
        XCTAssertEqual(try Gzip.decompress(gz, path: "ok.gz"), data)
        // Two concatenated members are one valid gzip file.
        XCTAssertEqual(try Gzip.decompress(gz + gz, path: "two.gz"), data + data)

        XCTAssertThrowsError(try Gzip.decompress(Array(gz.dropLast(12)), path: "cut.gz")) { error in
            XCTAssertTrue("\(error)".contains("cut.gz") && "\(error)".contains("truncated"), "\(error)")
        }
        var corrupt = gz
        for i in 20..<30 { corrupt[i] ^= 0x5A }
        XCTAssertThrowsError(try Gzip.decompress(corrupt, path: "bad.gz")) { error in
            guard case let DatasetError.gzip(path, reason) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, "bad.gz")
            XCTAssertTrue(reason.contains("corrupt"), reason)
        }
        XCTAssertThrowsError(try Gzip.decompress(data, path: "plain")) { XCTAssertTrue("\($0)".contains("no gzip header"), "\($0)") }
        XCTAssertThrowsError(try Gzip.decompress([], path: "empty")) { XCTAssertTrue("\($0)".contains("empty"), "\($0)") }
        XCTAssertThrowsError(try Gzip.decompress(gz + [1, 2, 3], path: "junk")) { XCTAssertTrue("\($0)".contains("after the end"), "\($0)") }
    }
}
