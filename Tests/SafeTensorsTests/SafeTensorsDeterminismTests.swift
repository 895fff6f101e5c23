import Foundation
import XCTest
@testable import SafeTensors

final class SafeTensorsDeterminismTests: XCTestCase {
    func testInsertionOrderDoesNotChangeBytes() throws {
        var a = SafeTensorsFile(metadata: ["b": "2", "a": "1", "c": "3"])
        try a.setFloats("z.weight", shape: [2], values: [1, 2])
        try a.setInt64s("a.count", shape: [], values: [7])
        try a.setFloats("m.bias", shape: [1], values: [3])
        var b = SafeTensorsFile()
        b.metadata["c"] = "3"
        try b.setFloats("m.bias", shape: [1], values: [3])
        try b.setInt64s("a.count", shape: [], values: [7])
        b.metadata["a"] = "1"
        try b.setFloats("z.weight", shape: [2], values: [1, 2])
        b.metadata["b"] = "2"
        XCTAssertEqual(a.encoded(), b.encoded())
    }

    func testHeaderIsCompactSortedAndPaddedToEightBytes() throws {
        var file = SafeTensorsFile(metadata: ["k": "v"])
        try file.setFloats("b", shape: [1], values: [1])
        try file.setFloats("a", shape: [1], values: [2])
        try file.setInt64s("c", shape: [1], values: [3])
        let bytes = file.encoded()
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(length % 8, 0)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        // I64 before F32 (widest dtype first, as the Python library does), then by name.
        let expected = #"{"__metadata__":{"k":"v"},"c":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"#
            + #""a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"#
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces), expected)
        XCTAssertEqual(header.count - expected.count, (8 - expected.utf8.count % 8) % 8)
    }

    func testRewritingTheTorchFixtureReproducesItsBytes() throws {
        // Python orders metadata keys by hash; the fixture was checked to have them sorted.
        for url in [TestSupport.torchWritten, TestSupport.torchDTypes] {
            let original = try Data(contentsOf: url)
            XCTAssertEqual(try SafeTensorsFile.decode(original).encoded(), original, url.lastPathComponent)
        }
    }
}
