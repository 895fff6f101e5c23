import Foundation
import XCTest
@testable import SafeTensors

/// Paths and helpers shared by the SafeTensors tests.
enum TestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safetensors")

    static var torchWritten: URL { fixtures.appendingPathComponent("torch_written.safetensors") }
    static var torchDTypes: URL { fixtures.appendingPathComponent("torch_dtypes.safetensors") }

    /// A fresh empty directory, removed when the test case finishes.
    static func temporaryDirectory(_ testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A file from a raw header string and data bytes, with the length prefix filled in.
    static func rawFile(header: String, data: [UInt8]) -> Data {
        let json = Array(header.utf8)
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        out.append(contentsOf: data)
        return out
    }

    /// Runs `body`, expecting a SafeTensorsError; returns it (or fails the test and returns nil).
    static func expectError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> SafeTensorsError? {
        do {
            try body()
            XCTFail("expected a SafeTensorsError, got success", file: file, line: line)
        } catch let error as SafeTensorsError {
            return error
        } catch {
            XCTFail("expected a SafeTensorsError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
