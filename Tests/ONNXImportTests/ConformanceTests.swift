import Foundation
@testable import ONNXImport
import Tensors
import XCTest

/// ONNX's own backend node tests (Debian's libonnx-testdata): every test whose nodes are all
/// supported operators runs through the same kernels as an imported expert and must match the
/// expected outputs, except the cases below, each with its reason (docs/onnx.md lists them).
final class ConformanceTests: XCTestCase {
    static let folder = URL(fileURLWithPath: "/usr/share/libonnx-testdata/data/node")

    /// Tests of supported operators that are out of scope, and why
    /// (docs/onnx.md lists the tests). A test excused here that passes fails this test.
    static let outOfScope: [String: String] = {
        let groups: [(reason: String, tests: String)] = [
            ("1-D and 3-D convolution and pooling: experts take 2-D images",
             "averagepool_1d_default averagepool_3d_default maxpool_1d_default maxpool_3d_default convtranspose_1d convtranspose_3d"),
            ("training mode: imported experts run in inference",
             "batchnorm_epsilon_training_mode batchnorm_example_training_mode training_dropout training_dropout_default training_dropout_default_mask training_dropout_mask"),
            ("bfloat16, string, optional and sequence types",
             "cast_BFLOAT16_to_FLOAT cast_FLOAT_to_BFLOAT16 cast_FLOAT_to_STRING cast_STRING_to_FLOAT castlike_BFLOAT16_to_FLOAT_expanded castlike_FLOAT_to_BFLOAT16_expanded castlike_FLOAT_to_STRING_expanded castlike_STRING_to_FLOAT_expanded identity_opt identity_sequence"),
            ("integer data in float operators: an expert's data is float, integers only occur in folded shape arithmetic",
             "clip_default_int8_inbounds clip_default_int8_max clip_default_int8_min edge_pad reflect_pad maxpool_2d_uint8 max_int16 max_uint16 max_uint32 max_uint64 min_int16 min_uint16 min_uint32 min_uint64 pow_types_float pow_types_float32_uint32 pow_types_float32_uint64 pow_types_int32_float32 pow_types_int32_int32 pow_types_int64_float32 pow_types_int64_int64"),
            ("MaxPool's Indices output",
             "maxpool_with_argmax_2d_precomputed_pads maxpool_with_argmax_2d_precomputed_strides"),
            ("cubic resizing and crop-and-resize: the supported modes are nearest and linear",
             "resize_downsample_scales_cubic resize_downsample_scales_cubic_A_n0p5_exclude_outside resize_downsample_scales_cubic_align_corners resize_downsample_sizes_cubic resize_upsample_scales_cubic resize_upsample_scales_cubic_A_n0p5_exclude_outside resize_upsample_scales_cubic_align_corners resize_upsample_scales_cubic_asymmetric resize_upsample_sizes_cubic resize_tf_crop_and_resize"),
        ]
        return Dictionary(uniqueKeysWithValues: groups.flatMap { g in g.tests.split(separator: " ").map { ("test_\($0)", g.reason) } })
    }()

    static func excuse(_ test: String) -> String? { outOfScope[test] }

    func testBackendNodeTestsOfTheSupportedOperators() throws {
        guard let tests = try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path) else {
            throw XCTSkip("libonnx-testdata is not installed (apt-get install libonnx-testdata); .ci/run installs it")
        }
        var passed: [String] = [], failed: [String] = [], excused: [String] = []
        for test in tests.sorted() {
            let dir = Self.folder.appendingPathComponent(test)
            guard let data = try? Data(contentsOf: dir.appendingPathComponent("model.onnx")),
                  let model = try? Onnx_ModelProto(serializedBytes: data),
                  !model.graph.node.isEmpty,
                  model.graph.node.allSatisfy({ OperatorSet.kernels[$0.opType] != nil && ($0.domain.isEmpty || $0.domain == "ai.onnx") })
            else { continue }
            let set = dir.appendingPathComponent("test_data_set_0")
            func tensors(_ prefix: String) throws -> [Onnx_TensorProto] {
                var out: [Onnx_TensorProto] = []
                while let d = try? Data(contentsOf: set.appendingPathComponent("\(prefix)_\(out.count).pb")) {
                    out.append(try Onnx_TensorProto(serializedBytes: d))
                }
                return out
            }
            let outcome: String?
            do {
                let got = try GraphEvaluation.run(data, inputs: try tensors("input"))
                let expected = try tensors("output").map(TensorDecoding.value)
                outcome = zip(got, expected).enumerated().compactMap { i, pair in Self.mismatch(pair.0, pair.1).map { "output \(i): \($0)" } }.first
                    ?? (got.count < expected.count ? "\(got.count) outputs, expected \(expected.count)" : nil)
            } catch {
                outcome = "\(error)"
            }
            switch (outcome, Self.excuse(test)) {
            case (nil, nil): passed.append(test)
            case (nil, _?): failed.append("\(test): passes now; remove it from outOfScope")
            case let (_?, reason?): excused.append("\(test): \(reason)")
            case let (reason?, nil): failed.append("\(test): \(reason)")
            }
        }
        print("ONNX backend node tests of supported operators: \(passed.count) pass, \(excused.count) out of scope, \(failed.count) fail")
        if ProcessInfo.processInfo.environment["LIST_CONFORMANCE"] != nil { print((["passed:"] + passed + ["out of scope:"] + excused).joined(separator: "\n")) }
        XCTAssertEqual(failed, [])
        XCTAssertGreaterThan(passed.count, 150)
    }

    /// nil when `a` matches `b`: same shape, and within 1e-4 of b's largest magnitude (exact for integers).
    static func mismatch(_ a: Value, _ b: Value) -> String? {
        guard a.shape == b.shape else { return "shape \(a.shape), expected \(b.shape)" }
        switch (a, b) {
        case let (.integer(x), .integer(y)): return x.values == y.values ? nil : "integers differ"
        case (.float, .float):
            let (x, y) = (a.doubles, b.doubles)
            let scale = max(y.map(abs).max() ?? 0, 1e-6)
            let worst = zip(x, y).map { $0.isNaN && $1.isNaN ? 0 : abs($0 - $1) }.max() ?? 0
            return worst <= 1e-4 * scale ? nil : "max difference \(worst) (scale \(scale))"
        default: return "element type differs"
        }
    }
}
