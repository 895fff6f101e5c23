import XCTest
import Foundation
@testable import Experts
@testable import Autoencoder
@testable import NN
@testable import Tensors

/// Our models against the reference architectures in ../shared/bench/torch_reference.py. The
/// expected counts and key lists were printed by Debian's PyTorch 1.13:
///     m = DeepLabLite(); sum(p.numel() for p in m.parameters()), list(m.state_dict())
final class ArchitectureTests: XCTestCase {
    func testDeepLabLiteMatchesReferenceKeysAndSize() {
        let m = DeepLabLite()
        XCTAssertEqual(m.parameterCount, 210_699)
        let keys = m.stateDict().map(\.key)
        XCTAssertEqual(keys.count, 82)
        XCTAssertEqual(Array(keys.prefix(7)), ["stem.0.0.weight", "stem.0.1.weight", "stem.0.1.bias", "stem.0.1.running_mean",
                                              "stem.0.1.running_var", "stem.0.1.num_batches_tracked", "stem.1.0.weight"])
        XCTAssertTrue(keys.contains("aspp.branches.2.0.weight"))
        XCTAssertTrue(keys.contains("aspp.pool.1.bias"))
        XCTAssertTrue(keys.contains("stage2.skip.1.running_var"))
        XCTAssertEqual(keys.last, "classifier.bias")
    }

    func testAutoencoderMatchesReferenceAtWidth32() {
        let m = ConvAutoencoder(latentDim: 64, width: 32)
        XCTAssertEqual(m.parameterCount, 1_000_291)
        let keys = m.stateDict().map(\.key)
        XCTAssertEqual(keys.count, 74)
        XCTAssertEqual(Array(keys.suffix(3)), ["decoder.11.0.num_batches_tracked", "decoder.12.weight", "decoder.12.bias"])
    }

    func testTapShapes() throws {
        var rng = Xoshiro256(seed: 1)
        let x = Tensor.uniform([2, 3, 32, 32], rng: &rng)
        let input = ExpertInput(images: x, labelMaps: Array(repeating: 10, count: 2 * 32 * 32), classes: [3, 7], backgroundKinds: [0, 3])
        let deeplab = try NetworkExpert(deeplab: DeepLabLite())
        let resnet = try NetworkExpert(resnet: ResNetClassifier())
        for expert in [deeplab, resnet, OracleExpert()] as [Expert] {
            let f = try expert.features(input, layers: expert.layers.map(\.name))
            for (name, shape) in expert.layers {
                XCTAssertEqual(f[name]?.shape, [2] + shape, "\(expert.name).\(name)")
                XCTAssertFalse(f[name]?.requiresGrad ?? true)
            }
        }
    }

    func testEvalModeIsDeterministic() throws {
        var rng = Xoshiro256(seed: 2)
        let x = Tensor.uniform([3, 3, 32, 32], rng: &rng)
        let input = ExpertInput(images: x, labelMaps: Array(repeating: 10, count: 3 * 32 * 32), classes: [0, 1, 2], backgroundKinds: [0, 1, 2])
        let expert = try NetworkExpert(deeplab: DeepLabLite(seed: 5))
        let a = try expert.features(input, layers: ["stage2", "logits"])
        let b = try expert.features(input, layers: ["stage2", "logits"])
        XCTAssertEqual(a["stage2"]!.scalars, b["stage2"]!.scalars)
        XCTAssertEqual(a["logits"]!.scalars, b["logits"]!.scalars)
        // One scene alone gives the same features as inside a batch (no batch statistics in eval).
        let single = try expert.features(input.slice(1..<2), layers: ["logits"])["logits"]!
        let fromBatch = a["logits"]!.slice(axis: 0, 1..<2)
        for (p, q) in zip(single.scalars, fromBatch.scalars) { XCTAssertEqual(p, q, accuracy: 1e-4) }
    }
}
