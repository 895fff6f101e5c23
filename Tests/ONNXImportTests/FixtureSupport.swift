import Foundation
import SafeTensors
import Tensors
import XCTest

/// Fixtures/onnx: models written by Tests/Reference/onnx_reference.py with every node output
/// computed by onnxruntime (docs/onnx-reference.md).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")

    struct Manifest: Decodable {
        let cases: [Case]
    }

    struct Case: Decodable {
        struct Expectation: Decodable {
            let kind: String
            let mention: [String]
        }
        let name: String
        let kind: String
        let model: String
        let taps_file: String?
        let expect_error: Expectation?
        let valid_with_input_size: [Int]?
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    /// The input batch and onnxruntime's float32 value of every tap.
    static func taps(_ file: String) throws -> (input: Tensor, expected: [String: Tensor]) {
        let st = try SafeTensorsFile.read(contentsOf: file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file))
        var expected: [String: Tensor] = [:]
        for name in st.names where try st.entry(name).dtype == .f32 {
            let (shape, values) = try st.floats(name)
            expected[name] = Tensor(shape: shape, scalars: values)
        }
        guard let input = expected.removeValue(forKey: "input") else { throw XCTSkip("\(file) has no input") }
        return (input, expected)
    }

    /// max |a − b| relative to max |b|, the tolerance rule of the manifest.
    static func relativeError(_ a: Tensor, _ b: Tensor) -> Float {
        let scale = max(b.scalars.map(abs).max() ?? 0, 1e-12)
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }
}
