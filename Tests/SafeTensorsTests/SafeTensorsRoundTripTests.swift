import Foundation
import XCTest
@testable import SafeTensors

final class SafeTensorsRoundTripTests: XCTestCase {
    private func sample() throws -> SafeTensorsFile {
        var file = SafeTensorsFile(metadata: ["recipe": "train --seed 3", "test_accuracy": "0.91"])
        try file.setFloats("stage2.0.conv1.weight", shape: [2, 1, 2, 2], values: [1, -2, 3.5, .pi, -0.0, 0x1p-140, .greatestFiniteMagnitude, -7])
        try file.setInt64s("bn.num_batches_tracked", shape: [], values: [123_456_789_012])
        try file.setInt64s("labels", shape: [3], values: [.min, -1, .max])
        try file.setDoubles("stats.mean", shape: [2], values: [0.1, -1e300])
        try file.setInt32s("perm", shape: [2, 2], values: [3, 0, -2, .max])
        try file.setBytes("mask", shape: [3], values: [0, 255, 9])
        try file.setFloats("empty.rows", shape: [0, 4], values: [])
        try file.setFloats("empty.cols", shape: [3, 0], values: [])
        return file
    }

    /// The buffer paths (used for large cached features) read and write the same bytes as the
    /// array paths, F16 is widened on the way in, and a buffer of the wrong size is refused.
    func testBufferCopiesMatchTheArrayAccessors() throws {
        let values: [Float] = [1, -2, 3.5, .pi, -0.0, 0x1p-140]
        var file = SafeTensorsFile()
        try values.withUnsafeBufferPointer { try file.setFloats("a", shape: [2, 3], buffer: $0) }
        var arrays = SafeTensorsFile()
        try arrays.setFloats("a", shape: [2, 3], values: values)
        XCTAssertEqual(file.encoded(), arrays.encoded())
        var back = [Float](repeating: 7, count: 6)
        try back.withUnsafeMutableBufferPointer { try file.copyFloats("a", into: $0) }
        XCTAssertEqual(back.map(\.bitPattern), values.map(\.bitPattern))
        try file.set("h", try TensorEntry(dtype: .f16, shape: [2], data: Data([0x00, 0x3C, 0x00, 0xC0])))  // 1, −2
        var half = [Float](repeating: 0, count: 2)
        try half.withUnsafeMutableBufferPointer { try file.copyFloats("h", into: $0) }
        XCTAssertEqual(half, [1, -2])
        var short = [Float](repeating: 0, count: 5)
        XCTAssertThrowsError(try short.withUnsafeMutableBufferPointer { try file.copyFloats("a", into: $0) }) {
            XCTAssertTrue("\($0)".contains("[2, 3]"), "\($0)")
        }
    }

    func testInMemoryRoundTripKeepsEveryTensorAndMetadata() throws {
        let original = try sample()
        let decoded = try SafeTensorsFile.decode(original.encoded())
        XCTAssertEqual(decoded.tensors, original.tensors)
        XCTAssertEqual(decoded.metadata, original.metadata)

        let weight = try decoded.floats("stage2.0.conv1.weight")
        XCTAssertEqual(weight.shape, [2, 1, 2, 2])
        XCTAssertEqual(weight.values.map(\.bitPattern),
                       ([1, -2, 3.5, .pi, -0.0, 0x1p-140, .greatestFiniteMagnitude, -7] as [Float]).map(\.bitPattern))
        XCTAssertEqual(try decoded.int64s("labels").values, [.min, -1, .max])
        XCTAssertEqual(try decoded.doubles("stats.mean").values, [0.1, -1e300])
        XCTAssertEqual(try decoded.int64s("perm").values, [3, 0, -2, Int64(Int32.max)])
        XCTAssertEqual(try decoded.int64s("mask").values, [0, 255, 9])
    }

    func testScalarShapeHasOneElement() throws {
        let decoded = try SafeTensorsFile.decode(try sample().encoded())
        let scalar = try decoded.int64s("bn.num_batches_tracked")
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.values, [123_456_789_012])
    }

    func testZeroSizeTensorsSurvive() throws {
        let decoded = try SafeTensorsFile.decode(try sample().encoded())
        XCTAssertEqual(try decoded.floats("empty.rows").shape, [0, 4])
        XCTAssertEqual(try decoded.floats("empty.cols").shape, [3, 0])
        XCTAssertEqual(try decoded.floats("empty.cols").values, [])
    }

    func testEmptyMetadataIsOmittedAndReadsBackEmpty() throws {
        var file = SafeTensorsFile()
        try file.setFloats("w", shape: [1], values: [2])
        let bytes = file.encoded()
        XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("__metadata__"))
        XCTAssertEqual(try SafeTensorsFile.decode(bytes).metadata, [:])
    }

    func testEmptyFileRoundTrips() throws {
        let bytes = SafeTensorsFile().encoded()
        let decoded = try SafeTensorsFile.decode(bytes)
        XCTAssertTrue(decoded.tensors.isEmpty)
        XCTAssertEqual(bytes.count, 16, "8-byte prefix + \"{}\" padded to 8")
    }

    func testDiskRoundTripAndNoTemporaryFilesLeft() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let url = dir.appendingPathComponent("model.safetensors")
        let original = try sample()
        try original.write(to: url)
        let loaded = try SafeTensorsFile.read(contentsOf: url)
        XCTAssertEqual(loaded.tensors, original.tensors)
        XCTAssertEqual(loaded.metadata, original.metadata)
        XCTAssertEqual(loaded.source, url.path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
    }

    func testOverwriteReplacesTheWholeFile() throws {
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("m.safetensors")
        try sample().write(to: url)
        var small = SafeTensorsFile()
        try small.setInt64s("only", shape: [1], values: [5])
        try small.write(to: url)
        let loaded = try SafeTensorsFile.read(contentsOf: url)
        XCTAssertEqual(loaded.names, ["only"])
        XCTAssertEqual(try Data(contentsOf: url), small.encoded())
    }

    func testEscapedNamesAndMetadataRoundTrip() throws {
        let odd = "quote\" back\\slash\nnew\ttab \u{01} é ✓"
        var file = SafeTensorsFile(metadata: [odd: odd, "": "empty key"])
        try file.setFloats(odd, shape: [1], values: [4])
        let decoded = try SafeTensorsFile.decode(file.encoded())
        XCTAssertEqual(try decoded.floats(odd).values, [4])
        XCTAssertEqual(decoded.metadata, [odd: odd, "": "empty key"])
    }

    func testLargeTensorLoadsQuickly() throws {
        // 16 MB of weights: the byte copying must be bulk, not per element.
        let count = 4 << 20
        var file = SafeTensorsFile()
        try file.setFloats("big", shape: [count], values: [Float](repeating: 1.5, count: count))
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("big.safetensors")
        try file.write(to: url)
        let start = Date()
        let loaded = try SafeTensorsFile.read(contentsOf: url).floats("big")
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(loaded.values.count, count)
        XCTAssertEqual(loaded.values.last, 1.5)
        XCTAssertLessThan(seconds, 1.0, "reading 16 MB took \(seconds) s")
    }
}
