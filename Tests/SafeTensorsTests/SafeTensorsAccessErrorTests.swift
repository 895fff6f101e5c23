import Foundation
import XCTest
@testable import SafeTensors

/// Errors from asking for tensors, building them and writing them.
final class SafeTensorsAccessErrorTests: XCTestCase {
    func testMissingKeyListsAvailableNamesAndFile() throws {
        let file = try SafeTensorsFile.read(contentsOf: TestSupport.torchWritten)
        let error = TestSupport.expectError { _ = try file.floats("stage2.a.0.wieght") }
        guard case .missingKey(let path, "stage2.a.0.wieght", let available)? = error else { return XCTFail("expected missingKey") }
        XCTAssertEqual(path, TestSupport.torchWritten.path)
        XCTAssertEqual(available.count, 5)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("torch_written.safetensors"), message)
        XCTAssertTrue(message.contains("'stage2.a.0.weight'"), message)
    }

    func testWrongDTypeRequested() throws {
        let file = try SafeTensorsFile.read(contentsOf: TestSupport.torchWritten)
        guard case .wrongDType(_, "classifier.labels", .i64, "Float", _)? = TestSupport.expectError({ _ = try file.floats("classifier.labels") }) else {
            return XCTFail("expected wrongDType for floats of I64")
        }
        guard case .wrongDType(_, "stage2.a.0.bias", .f32, "Int64", let hint)? = TestSupport.expectError({ _ = try file.int64s("stage2.a.0.bias") }) else {
            return XCTFail("expected wrongDType for int64s of F32")
        }
        XCTAssertTrue(hint.contains("floats(_:)"))
        let doubles = try SafeTensorsFile.read(contentsOf: TestSupport.torchDTypes)
        guard case .wrongDType(_, "double", .f64, "Float", _)? = TestSupport.expectError({ _ = try doubles.floats("double") }) else {
            return XCTFail("expected wrongDType: F64 must not silently round to Float")
        }
    }

    func testBuilderRejectsCountMismatchAndReservedNames() {
        var file = SafeTensorsFile()
        guard case .invalidTensor("w", let detail)? = TestSupport.expectError({ try file.setFloats("w", shape: [2, 3], values: [1, 2]) }) else {
            return XCTFail("expected invalidTensor")
        }
        XCTAssertTrue(detail.contains("6 values"), detail)
        guard case .invalidTensor? = TestSupport.expectError({ try file.setInt64s("__metadata__", shape: [], values: [1]) }) else {
            return XCTFail("expected invalidTensor for the reserved name")
        }
        guard case .invalidTensor? = TestSupport.expectError({ try file.setFloats("neg", shape: [-1], values: []) }) else {
            return XCTFail("expected invalidTensor for a negative dimension")
        }
        XCTAssertTrue(file.tensors.isEmpty)
    }

    func testTensorEntryChecksByteCount() {
        guard case .invalidTensor? = TestSupport.expectError({ _ = try TensorEntry(dtype: .f32, shape: [2], data: Data(count: 7)) }) else {
            return XCTFail("expected invalidTensor")
        }
    }

    func testWriteIntoMissingDirectoryFailsCleanly() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let url = dir.appendingPathComponent("no/such/dir/m.safetensors")
        guard case .writeFailed(let path, _)? = TestSupport.expectError({ try SafeTensorsFile().write(to: url) }) else {
            return XCTFail("expected writeFailed")
        }
        XCTAssertEqual(path, url.path)
    }

    func testFailedRenameLeavesNoTemporaryFile() throws {
        // The destination is a directory, so the final rename fails after the data was written.
        let dir = try TestSupport.temporaryDirectory(self)
        let target = dir.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        var file = SafeTensorsFile()
        try file.setFloats("w", shape: [1], values: [1])
        guard case .writeFailed(_, let reason)? = TestSupport.expectError({ try file.write(to: target) }) else {
            return XCTFail("expected writeFailed")
        }
        XCTAssertTrue(reason.contains("rename"), reason)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["occupied"])
    }
}
