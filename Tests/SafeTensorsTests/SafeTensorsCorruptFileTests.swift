import Foundation
import XCTest
@testable import SafeTensors

/// Every malformed input must give its specific error, naming the file (and the key when one is
/// involved), and never trap.
final class SafeTensorsCorruptFileTests: XCTestCase {
    private let source = "bad.safetensors"

    private func decodeError(_ bytes: Data, file: StaticString = #filePath, line: UInt = #line) -> SafeTensorsError? {
        let error = TestSupport.expectError({ _ = try SafeTensorsFile.decode(bytes, source: source) }, file: file, line: line)
        if let error { XCTAssertTrue(error.description.contains(source), "message must name the file: \(error)", file: file, line: line) }
        return error
    }

    private func decodeError(header: String, data: [UInt8] = [], file: StaticString = #filePath, line: UInt = #line) -> SafeTensorsError? {
        decodeError(TestSupport.rawFile(header: header, data: data), file: file, line: line)
    }

    func testMissingFile() throws {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("absent.safetensors")
        let error = TestSupport.expectError { _ = try SafeTensorsFile.read(contentsOf: url) }
        XCTAssertEqual(error, .fileMissing(file: url.path))
        XCTAssertTrue(error?.description.contains("absent.safetensors") ?? false)
    }

    func testDirectoryIsUnreadable() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        guard case .unreadable(let file, _)? = TestSupport.expectError({ _ = try SafeTensorsFile.read(contentsOf: dir) }) else {
            return XCTFail("expected unreadable")
        }
        XCTAssertEqual(file, dir.path)
    }

    func testTruncatedInsideTheLengthPrefixOrHeader() throws {
        let valid = try Data(contentsOf: TestSupport.torchWritten)
        let headerEnd = 8 + 424
        for cut in [0, 1, 7, 8, 9, 100, headerEnd - 1] {
            guard case .truncated(let file, _)? = decodeError(valid.prefix(cut)) else {
                XCTFail("cut at \(cut): expected truncated"); continue
            }
            XCTAssertEqual(file, source)
        }
    }

    func testTruncatedInsideTheDataNamesTheTensorOutOfBounds() throws {
        let valid = try Data(contentsOf: TestSupport.torchWritten)
        // The last tensor in data order is stage2.a.0.weight at [68, 164].
        for cut in [8 + 424, valid.count - 1] {
            guard case .offsetsOutOfBounds(_, let key, _, _, let size)? = decodeError(valid.prefix(cut)) else {
                XCTFail("cut at \(cut): expected offsetsOutOfBounds"); continue
            }
            XCTAssertEqual(size, cut - 8 - 424)
            XCTAssertFalse(key.isEmpty)
        }
        if case .offsetsOutOfBounds(_, let key, _, _, _)? = decodeError(valid.prefix(valid.count - 1)) {
            XCTAssertEqual(key, "stage2.a.0.weight")
        }
    }

    func testHugeHeaderLengthIsTruncatedNotACrash() {
        var bytes = Data(repeating: 0xFF, count: 8)
        bytes.append(contentsOf: Array("{}".utf8))
        guard case .truncated? = decodeError(bytes) else { return XCTFail("expected truncated") }
    }

    func testGarbageHeader() {
        guard case .corruptHeader(_, nil, let detail)? = decodeError(header: "this is not json at all!") else {
            return XCTFail("expected corruptHeader")
        }
        XCTAssertTrue(detail.contains("not valid JSON"))
    }

    func testInvalidUTF8Header() {
        var bytes = TestSupport.rawFile(header: "{\"a\"}", data: [])
        bytes[9] = 0xFF
        guard case .corruptHeader(_, nil, let detail)? = decodeError(bytes) else { return XCTFail("expected corruptHeader") }
        XCTAssertTrue(detail.contains("UTF-8"))
    }

    func testHeaderThatIsNotAnObject() {
        for header in ["[1, 2]", "\"text\"", "42"] {
            guard case .corruptHeader(_, nil, let detail)? = decodeError(header: header) else {
                XCTFail("\(header): expected corruptHeader"); continue
            }
            XCTAssertTrue(detail.contains("not an object"), detail)
        }
    }

    func testMissingFieldsAndWrongTypesNameTheKey() {
        let cases: [(String, String)] = [
            (#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, "dtype"),
            (#"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, "shape"),
            (#"{"w":{"dtype":"F32","shape":[1]}}"#, "data_offsets"),
            (#"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, "dtype"),
            (#"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, "shape"),
            (#"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, "shape"),
            (#"{"w":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, "shape"),
            (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, "shape"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, "data_offsets"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}"#, "data_offsets"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, "data_offsets"),
            (#"{"w":[1,2,3]}"#, "dtype"),
        ]
        for (header, field) in cases {
            guard case .corruptHeader(_, let key, let detail)? = decodeError(header: header, data: [0, 0, 0, 0]) else {
                XCTFail("\(header): expected corruptHeader"); continue
            }
            XCTAssertEqual(key, "w", header)
            XCTAssertTrue(detail.contains(field), "\(header): \(detail)")
        }
    }

    func testMetadataMustBeStrings() {
        guard case .corruptHeader(_, let key, let detail)? = decodeError(header: #"{"__metadata__":{"epochs":3}}"#) else {
            return XCTFail("expected corruptHeader")
        }
        XCTAssertEqual(key, "__metadata__")
        XCTAssertTrue(detail.contains("epochs"))
    }

    func testNullMetadataReadsAsEmpty() throws {
        let file = try SafeTensorsFile.decode(TestSupport.rawFile(header: #"{"__metadata__":null}"#, data: []))
        XCTAssertEqual(file.metadata, [:])
    }

    func testUnknownDType() {
        let error = decodeError(header: #"{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        XCTAssertEqual(error, .unknownDType(file: source, key: "w", dtype: "F8_E4M3"))
        XCTAssertTrue(error?.description.contains("'w'") ?? false)
    }

    func testShapeDisagreesWithOffsets() {
        let error = decodeError(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        guard case .sizeMismatch(_, "w", let detail)? = error else { return XCTFail("expected sizeMismatch, got \(String(describing: error))") }
        XCTAssertTrue(detail.contains("8 bytes"), detail)
        XCTAssertTrue(error?.description.contains("'w'") ?? false)
    }

    func testOverflowingShapeIsAnErrorNotACrash() {
        let big = 1 << 62
        for shape in ["[\(big),\(big)]", "[\(big)]", "[9223372036854775807,2]"] {
            let header = #"{"w":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,4]}}"#
            guard case .sizeMismatch(_, "w", _)? = decodeError(header: header, data: [0, 0, 0, 0]) else {
                XCTFail("\(shape): expected sizeMismatch"); continue
            }
        }
        // Larger than Int64 is not an integer we can represent: a corrupt header.
        guard case .corruptHeader(_, "w", _)? = decodeError(header: #"{"w":{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]) else {
            return XCTFail("expected corruptHeader")
        }
    }

    func testOffsetsOutOfBounds() {
        let error = decodeError(header: #"{"w":{"dtype":"F32","shape":[100],"data_offsets":[0,400]}}"#, data: [0, 0, 0, 0])
        XCTAssertEqual(error, .offsetsOutOfBounds(file: source, key: "w", begin: 0, end: 400, bufferSize: 4))
        XCTAssertTrue(error?.description.contains("'w'") ?? false)
    }

    func testOverlappingRanges() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        guard case .offsetsNotContiguous(_, "b", let detail)? = decodeError(header: header, data: [0, 0, 0, 0]) else {
            return XCTFail("expected offsetsNotContiguous")
        }
        XCTAssertTrue(detail.contains("overlap"), detail)
    }

    func testGapBetweenRanges() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        guard case .offsetsNotContiguous(_, "a", let detail)? = decodeError(header: header, data: [UInt8](repeating: 0, count: 8)) else {
            return XCTFail("expected offsetsNotContiguous")
        }
        XCTAssertTrue(detail.contains("gap"), detail)
    }

    func testTrailingBytesNotCovered() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        guard case .offsetsNotContiguous(_, nil, let detail)? = decodeError(header: header, data: [UInt8](repeating: 0, count: 6)) else {
            return XCTFail("expected offsetsNotContiguous")
        }
        XCTAssertTrue(detail.contains("4 of the 6"), detail)
    }

    func testRandomCorruptionNeverTraps() throws {
        // Flip bytes all over a valid file: whatever happens must be a value or a thrown error.
        let valid = try Data(contentsOf: TestSupport.torchWritten)
        var generator = SystemRandomNumberGenerator()
        var failures = 0
        for _ in 0..<500 {
            var bytes = valid
            for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            do {
                _ = try SafeTensorsFile.decode(bytes, source: source)
            } catch {
                failures += 1
                XCTAssertTrue(error is SafeTensorsError, "unexpected error type: \(error)")
            }
        }
        // Most flips land in the header or length prefix, so most decodes must fail.
        XCTAssertGreaterThan(failures, 100)
    }
}
