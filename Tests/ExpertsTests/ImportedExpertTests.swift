@testable import Experts
import Autoencoder
import Datasets
@testable import FeatureCache
import FileSupport
import Flows
import Foundation
import Imaging
import ONNXImport
import Tensors
import XCTest

/// Imported experts: the alias rule, the probe file, preprocessing, and the working size that
/// large maps are pooled to before the embedders.
final class ImportedExpertTests: XCTestCase {
    static let onnx = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")

    /// A copy of a fixture model in a fresh folder, so that probe files can be written beside it.
    static func scratchModel(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imported-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Self.onnx.appendingPathComponent(name), to: url)
        return url
    }

    func testAliasRule() {
        typealias Tap = ONNXNetwork.Tap
        let taps = [Tap(name: "pad0", op: "Pad", shape: [3, 33, 33]), Tap(name: "conv1", op: "Conv", shape: [8, 16, 16]),
                    Tap(name: "relu1", op: "Relu", shape: [8, 16, 16]), Tap(name: "pad1", op: "Pad", shape: [8, 17, 17]),
                    Tap(name: "conv2", op: "Conv", shape: [16, 8, 8]), Tap(name: "se", op: "GlobalAveragePool", shape: [16, 1, 1]),
                    Tap(name: "add2", op: "Add", shape: [16, 8, 8]), Tap(name: "conv3", op: "Conv", shape: [32, 4, 4]),
                    Tap(name: "up", op: "Resize", shape: [32, 32, 32]), Tap(name: "flat", op: "Flatten", shape: [512]),
                    Tap(name: "logits", op: "Gemm", shape: [10])]
        // Stages 16×16, 8×8, 4×4 (the pads, the 1×1 and the input-sized map do not count).
        XCTAssertEqual(ImportedProbe.aliases(taps, input: [3, 32, 32]), ["early": "relu1", "mid": "add2", "last": "logits"])
    }

    func testProbeIsWrittenReadAndChecked() throws {
        let model = try Self.scratchModel("torch_mini_resnet_dynamic_batch_opset13.onnx")
        let (expert, probe) = try ImportedProbe.open(model.path)
        XCTAssertEqual(probe.layers.map(\.name), expert.network.taps.map(\.name))
        XCTAssertNotNil(probe.aliases["early"]); XCTAssertNotNil(probe.aliases["mid"])
        XCTAssertEqual(probe.aliases["last"], expert.network.taps.last?.name)
        XCTAssertEqual(expert.preprocessing, .imageNet(channels: 3))

        // The user edits the written probe: BGR bytes. The next open reads it.
        let url = try ImportedProbe.write(probe, for: model)
        XCTAssertEqual(url.lastPathComponent, "torch_mini_resnet_dynamic_batch_opset13.probe.json")
        var json = try String(contentsOf: url, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"RGB\"", with: "\"BGR\"")
        try json.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ImportedProbe.open(model.path).0.preprocessing.channelOrder, .bgr)

        // A tap the model does not have is named with the closest ones.
        let real = probe.layers[1].name
        try json.replacingOccurrences(of: "\"\(real)\"", with: "\"\(real)X\"").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ImportedProbe.open(model.path)) { error in
            XCTAssertTrue("\(error)".contains("\(real)X") && "\(error)".contains(real), "\(error)")
        }
        // The probe's input size against --input-size.
        try json.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ImportedProbe.open(model.path, inputSize: (64, 64))) { error in
            XCTAssertTrue("\(error)".contains("--input-size 64×64"), "\(error)")
        }
        XCTAssertThrowsError(try ImportedProbe.open(model.deletingLastPathComponent().appendingPathComponent("missing.onnx").path))
    }

    func testPreprocessingMapsScenesToTheModelsConvention() {
        // One 2×2 scene, red 1, green 0.5, blue 0.
        let scene = Tensor(shape: [1, 3, 2, 2], scalars: [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0])
        let caffe = Preprocessing(mean: [104, 117, 123], std: [1, 1, 1], channelOrder: .bgr, valueRange: [0, 255])
        let x = caffe.apply(scene, height: 4, width: 4)
        XCTAssertEqual(x.shape, [1, 3, 4, 4])
        XCTAssertEqual(x.scalars[0], 0 - 104, accuracy: 1e-4)          // blue first
        XCTAssertEqual(x.scalars[16], 127.5 - 117, accuracy: 1e-4)
        XCTAssertEqual(x.scalars[32], 255 - 123, accuracy: 1e-4)
        let gray = Preprocessing(mean: [0.5], std: [0.25], channelOrder: .gray, valueRange: [0, 1]).apply(scene, height: 2, width: 2)
        XCTAssertEqual(gray.shape, [1, 1, 2, 2])
        XCTAssertEqual(gray.scalars[0], (0.299 + 0.587 * 0.5 - 0.5) / 0.25, accuracy: 1e-5)
        XCTAssertNotNil(Preprocessing.imageNet(channels: 3).problem(channels: 1))
        XCTAssertNotNil(Preprocessing(mean: [0, 0, 0], std: [1, 0, 1], channelOrder: .rgb, valueRange: [0, 1]).problem(channels: 3))
        XCTAssertNil(Preprocessing.imageNet(channels: 3).problem(channels: 3))
    }

    /// PyTorch's AdaptiveAvgPool2d bins (5 → 3: rows 0..<2, 1..<4, 3..<5) and the working-size rule.
    func testWorkingSizePoolsLargeMapsOnly() {
        let x = Tensor(shape: [1, 1, 5, 1], scalars: [1, 2, 3, 4, 5])
        XCTAssertEqual(x.adaptiveAveragePooled(height: 3, width: 1).scalars, [1.5, 3, 4.5])
        XCTAssertEqual(WorkingSize.shape(for: [32, 16, 16]), [32, 16, 16])     // deeplab's stem: as it is
        XCTAssertEqual(WorkingSize.shape(for: [11, 32, 32]), [11, 32, 32])     // deeplab's output
        XCTAssertEqual(WorkingSize.shape(for: [1000]), [1000])
        XCTAssertEqual(WorkingSize.shape(for: [96, 112, 112]), [96, 11, 11])
        XCTAssertEqual(WorkingSize.shape(for: [240, 28, 28]), [240, 7, 7])
        XCTAssertEqual(WorkingSize.shape(for: [512, 7, 7]), [512, 4, 4])
        for shape in [[64, 112, 112], [1280, 7, 7], [2048, 7, 7], [24, 56, 56]] {
            let working = WorkingSize.shape(for: shape)
            XCTAssertLessThanOrEqual(working.reduce(1, *), max(WorkingSize.floatsPerSample, shape[0]), "\(shape) → \(working)")
        }
    }

    /// A fixed-batch model runs any number of scenes, in pieces of its batch.
    func testFixedBatchModelsRunAnyBatch() throws {
        let network = try ONNXNetwork(contentsOf: Self.onnx.appendingPathComponent("torch_mini_resnet_opset11.onnx"))
        let fixed = try XCTUnwrap(network.fixedBatch)
        var rng = Xoshiro256(seed: 3)
        let x = Tensor.uniform([fixed * 2 + 1] + network.inputShape, rng: &rng)
        let last = network.taps.last!.name
        let all = try network.activations(x, taps: [last])[last]!
        XCTAssertEqual(all.shape[0], fixed * 2 + 1)
        let head = try network.activations(x.slice(axis: 0, 0..<fixed), taps: [last])[last]!
        XCTAssertEqual(all.slice(axis: 0, 0..<fixed).scalars, head.scalars)
    }
}

final class FileNameComponentTests: XCTestCase {
    func testSafeNamesAreKeptAndOthersAreCleanedApart() {
        XCTAssertEqual(FileNameComponent.safe("stage2"), "stage2")
        XCTAssertEqual(FileNameComponent.safe("deeplab"), "deeplab")
        let a = FileNameComponent.safe("/layer1/Add_output_0"), b = FileNameComponent.safe("_layer1_Add_output_0")
        XCTAssertFalse(a.contains("/"))
        XCTAssertTrue(a.hasPrefix("_layer1_Add_output_0-"))
        XCTAssertNotEqual(a, b)
        XCTAssertNotEqual(FileNameComponent.safe(".."), "..")
        XCTAssertFalse(FileNameComponent.safe("").isEmpty)
    }
}

/// The feature cache of an imported network follows its probe: features computed with one
/// preprocessing are never served for another.
final class ImportedExpertIdentityTests: XCTestCase {
    func testAnEditedProbeIsExtractedAgainAndTheOriginalReused() throws {
        let model = try ImportedExpertTests.scratchModel("torch_mini_resnet_dynamic_batch_opset13.onnx")
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let cache = FeatureCache(directory: model.deletingLastPathComponent().appendingPathComponent("cache"))
        let source = try SceneSource(split: .train, seed: 1, dataDir: fixtureData)
        let ae = ConvAutoencoder(latentDim: 8, width: 4)
        ae.eval()
        let request = FeatureCache.Request(split: "train", seed: 1, range: 0..<12)
        func load(_ expert: ImportedExpert, _ layer: String) throws -> Tensor {
            try cache.load(expert: expert, layers: [layer], autoencoder: ae, autoencoderID: Digest(hex: "y"), source: source,
                           request: request).features[layer]!
        }

        let (original, probe) = try ImportedProbe.open(model.path)
        let layer = try XCTUnwrap(probe.aliases["early"])
        let before = try load(original, layer)
        let direct = try original.features(source.input(0..<12), layers: [layer])[layer]!
        XCTAssertEqual(before.scalars, direct.scalars)

        // The user edits the probe's normalisation, as docs/onnx.md invites.
        let edited = Probe(expert: probe.expert, description: probe.description, weights: probe.weights, input: probe.input,
                           aliases: probe.aliases, layers: probe.layers,
                           preprocessing: Preprocessing(mean: [0, 0, 0], std: [0.05, 0.05, 0.05], channelOrder: .rgb, valueRange: [0, 1]))
        _ = try ImportedProbe.write(edited, for: model)
        let (reopened, _) = try ImportedProbe.open(model.path)
        XCTAssertNotEqual(reopened.identity, original.identity, "the identity covers the preprocessing")
        XCTAssertEqual(reopened.modelDigest, original.modelDigest, "the model file is the same")
        let after = try load(reopened, layer)
        let directAfter = try reopened.features(source.input(0..<12), layers: [layer])[layer]!
        XCTAssertEqual(after.scalars, directAfter.scalars, "the edited probe's features, computed anew")
        XCTAssertNotEqual(after.scalars, before.scalars)

        // Back to the original preprocessing: its files are found again, not recomputed.
        _ = try ImportedProbe.write(probe, for: model)
        let (restored, _) = try ImportedProbe.open(model.path)
        XCTAssertEqual(restored.identity, original.identity)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).sorted()
        XCTAssertEqual(files.count, 3, "one layer file per preprocessing and one code file: \(files)")
        let restoredFeatures = try load(restored, layer)
        XCTAssertEqual(restoredFeatures.scalars, before.scalars)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).sorted(), files)
    }

    /// An input size given with --input-size changes every feature, so it is part of the identity.
    func testTheInputSizeIsPartOfTheIdentity() throws {
        let model = try ImportedExpertTests.scratchModel("dynamic_hw.onnx")
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let (a, _) = try ImportedProbe.open(model.path, inputSize: (32, 32))
        let (b, _) = try ImportedProbe.open(model.path, inputSize: (48, 48))
        XCTAssertEqual(a.modelDigest, b.modelDigest)
        XCTAssertNotEqual(a.identity, b.identity)
    }
}

/// A user's images reach an imported network fitted from their original files at its input size,
/// not enlarged from the autoencoder's 32×32 copy.
final class OriginalImagesTests: XCTestCase {
    func testAnImportedNetworkSeesEachImageFittedFromItsOriginal() throws {
        let model = try ImportedExpertTests.scratchModel("dynamic_hw.onnx")
        let dir = model.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = dir.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        var rng = Xoshiro256(seed: 4)
        for i in 0..<6 {
            // 96×80 stripes with fine detail that a 32×32 copy loses.
            var bitmap = Bitmap(width: 96, height: 80, format: .rgb)
            for p in 0..<(96 * 80) { for c in 0..<3 { bitmap.samples[3 * p + c] = UInt8((p % 96 + c * 40 + i * 17) % 3 == 0 ? 250 : rng.nextInt(below: 60)) } }
            try PNG.write(bitmap, to: images.appendingPathComponent("image-\(i).png").path)
        }
        let set = try ImageSet.open(images.path, size: 32)
        let source = ImageSetSource(testSideOf: set, count: 100)
        XCTAssertEqual(source.count, set.items(in: .test).count)
        let all = ImageSetSource(set, positions: Array(set.items.indices), side: "all")
        let (expert, _) = try ImportedProbe.open(model.path, inputSize: (48, 48))
        let tap = try XCTUnwrap(expert.network.taps.last?.name)
        let features = try expert.features(all.input(0..<6), layers: [tap])[tap]!

        let fromOriginals = try Tensor(shape: [6, 3, 48, 48], scalars: set.items.flatMap { item in
            ImageSet.planes(try ImageFile.read(item.path).fitted(width: 48, height: 48)).map { Float($0) / 255 }
        })
        let expected = try expert.network.activations(expert.preprocessing.apply(fromOriginals, height: 48, width: 48), taps: [tap])[tap]!
        func largestDifference(_ a: Tensor, _ b: Tensor) -> Float { zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? .infinity }
        // Equal but for the order of summation (the expert runs the batch in pieces side by side).
        XCTAssertLessThan(largestDifference(features, expected), 1e-5)
        let enlarged = try expert.network.activations(expert.preprocessing.apply(all.input(0..<6).images, height: 48, width: 48), taps: [tap])[tap]!
        XCTAssertGreaterThan(largestDifference(features, enlarged), 1e-3, "not the 32×32 copy enlarged")

        // A file that changes under the run is an error, not another image.
        try PNG.write(Bitmap(width: 8, height: 8, format: .rgb, fill: 9), to: set.items[2].path)
        XCTAssertThrowsError(try expert.features(all.input(0..<6), layers: [tap])) { XCTAssertTrue("\($0)".contains("changed"), "\($0)") }
    }
}
