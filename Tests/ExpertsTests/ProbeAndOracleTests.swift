import XCTest
import Foundation
@testable import Datasets
import FileSupport
import Imaging
@testable import Experts
@testable import FeatureCache
@testable import Autoencoder
@testable import Tensors

/// The committed Fashion-MNIST subset, so these tests need no Debian package.
let fixtureData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/fashion-mnist-subset").path

final class ProbeTests: XCTestCase {
    func testProbeFilesMatchTheModelsTaps() throws {
        let taps: [String: [(name: String, shape: [Int])]] = [
            "deeplab": DeepLabLite.taps, "resnet": ResNetClassifier.taps, "oracle": OracleExpert().layers,
        ]
        for name in ExpertCatalog.names {
            let probe = try Probe.load(expert: name)
            XCTAssertEqual(probe.layers.map(\.name), taps[name]!.map(\.name), name)
            XCTAssertEqual(probe.layers.map(\.shape), taps[name]!.map(\.shape), name)
            XCTAssertEqual(Set(probe.aliases.keys), ["early", "mid", "last"], name)
        }
    }

    func testAliasesAndNamesResolveAndUnknownNamesListTheValidOnes() throws {
        let probe = try Probe.load(expert: "deeplab")
        XCTAssertEqual(try probe.resolve(["early", "stage3", "last", "logits"]).map(\.name), ["stem", "stage3", "logits"])
        XCTAssertThrowsError(try probe.resolve(["middle"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("'middle'") && text.contains("stage2") && text.contains("mid=stage2"), text)
        }
        XCTAssertThrowsError(try Probe.load(expert: "vgg")) { error in
            XCTAssertEqual(error as? ExpertError, .unknownExpert("vgg", valid: ["deeplab", "resnet", "oracle"]))
        }
    }

    func testOracleInvarianceListsUseKnownFactorNames() throws {
        let known = Set(SceneFactors.names)
        for layer in try Probe.load(expert: "oracle").layers {
            for name in (layer.keeps ?? []) + (layer.ignores ?? []) + (layer.partial ?? []) {
                XCTAssertTrue(known.contains(name), "\(layer.name): unknown factor \(name)")
            }
        }
    }

    func testMissingWeightsSayHowToTrainThem() {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-weights-\(UUID().uuidString)")
        XCTAssertThrowsError(try ExpertCatalog.load("deeplab", weightsDirectory: empty)) { error in
            XCTAssertTrue("\(error)".contains("diagnose train deeplab"), "\(error)")
        }
    }
}

final class OracleTests: XCTestCase {
    private let scenes = try! FashionScenes(mnist: FashionMNIST(split: .test, directory: fixtureData), seed: 3)

    private func input(_ list: [Scene]) -> ExpertInput {
        ExpertInput(images: Tensor(shape: [list.count, 3, 32, 32], scalars: list.flatMap(\.pixels)),
                    labelMaps: list.flatMap { $0.labels.map(Int.init) }, classes: list.map(\.factors.classLabel),
                    backgroundKinds: list.map(\.factors.backgroundKind.rawValue))
    }

    /// Two scenes that differ only in the garment's hue and saturation (and the background's).
    private func hueTwins(_ index: Int) -> (Scene, Scene) {
        let a = scenes.scene(index)
        var f = a.factors
        f.hue = (f.hue + 0.4).truncatingRemainder(dividingBy: 1)
        f.saturation = max(0.3, f.saturation - 0.3)
        f.backgroundHue = (f.backgroundHue + 0.3).truncatingRemainder(dividingBy: 1)
        f.backgroundColor1 = RGBColor(hue: f.backgroundHue, saturation: f.backgroundSaturation, value: f.backgroundValue)
        let second = a.factors.backgroundColor2
        let v2 = max(second.r, second.g, second.b)
        f.backgroundColor2 = RGBColor(hue: f.backgroundHue, saturation: f.backgroundSaturation, value: v2)
        return (a, scenes.scene(with: f))
    }

    func testGrayIgnoresHueAndSaturation() {
        let oracle = OracleExpert()
        for index in 0..<8 {
            let (a, b) = hueTwins(index)
            let fa = oracle.features(input([a]), layers: ["gray", "pixels"]), fb = oracle.features(input([b]), layers: ["gray", "pixels"])
            let gray = zip(fa["gray"]!.scalars, fb["gray"]!.scalars).map { abs($0 - $1) }
            // Exact where the pixel is pure garment or pure background; anti-aliased edges mix colours.
            let pure = a.alpha.indices.filter { a.alpha[$0] == 0 || a.alpha[$0] == 1 }
            XCTAssertLessThan(pure.map { gray[$0] }.max()!, 1e-5, "scene \(index)")
            let pixels = zip(fa["pixels"]!.scalars, fb["pixels"]!.scalars).map { abs($0 - $1) }.max()!
            XCTAssertGreaterThan(pixels, 0.1, "the twins must differ in colour")
        }
    }

    func testMaskAndClassIgnoreColourButNotShape() {
        let oracle = OracleExpert()
        let (a, b) = hueTwins(0)
        let fa = oracle.features(input([a]), layers: ["mask", "class", "lowres"])
        let fb = oracle.features(input([b]), layers: ["mask", "class", "lowres"])
        XCTAssertEqual(fa["mask"]!.scalars, fb["mask"]!.scalars)
        XCTAssertEqual(fa["class"]!.scalars, fb["class"]!.scalars)
        XCTAssertNotEqual(fa["lowres"]!.scalars, fb["lowres"]!.scalars, "lowres keeps colour")
        XCTAssertEqual(fa["class"]!.scalars.firstIndex(of: 1), a.factors.classLabel)
        // Moving the garment changes the mask.
        var moved = a.factors
        moved.offsetX = a.factors.offsetX == 0 ? 5 : 0
        XCTAssertNotEqual(oracle.features(input([scenes.scene(with: moved)]), layers: ["mask"])["mask"]!.scalars, fa["mask"]!.scalars)
    }
}

final class FeatureCacheTests: XCTestCase {
    func testExtractsOnceThenReusesAndLeavesNoTemporaryFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = FeatureCache(directory: dir)
        let source = try SceneSource(split: .train, seed: 1, dataDir: fixtureData)
        let ae = ConvAutoencoder(latentDim: 8, width: 4)
        ae.eval()
        let request = FeatureCache.Request(split: "train", seed: 1, range: 10..<40)
        let (f1, c1) = try cache.load(expert: OracleExpert(), layers: ["class", "lowres"], autoencoder: ae,
                                      autoencoderID: Digest(hex: "y"), source: source, request: request, batch: 16)
        XCTAssertEqual(f1["lowres"]!.shape, [30, 3, 4, 4])
        XCTAssertEqual(c1.shape, [30, 8])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(files.count, 3, "\(files)")
        XCTAssertTrue(files.allSatisfy { $0.hasSuffix(".safetensors") })
        // Second call reads the files: same values even with a different autoencoder in hand.
        let (f2, c2) = try cache.load(expert: OracleExpert(), layers: ["lowres"], autoencoder: ConvAutoencoder(latentDim: 8, width: 4, seed: 9),
                                      autoencoderID: Digest(hex: "y"), source: source, request: request)
        XCTAssertEqual(f2["lowres"]!.scalars, f1["lowres"]!.scalars)
        XCTAssertEqual(c2.scalars, c1.scalars)
        // Features match a direct computation on the same scenes.
        let direct = OracleExpert().features(source.input(10..<40), layers: ["class"])["class"]!
        XCTAssertEqual(direct.scalars, f1["class"]!.scalars)
    }

    /// A range cached in shards (a plan's feature tasks) reads back as the same tensors as one
    /// extraction of the whole range, with a file per shard and layer.
    func testShardsGiveTheWholeRange() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(FeatureCache.shards(of: 10..<40, size: 12), [10..<22, 22..<34, 34..<40])
        XCTAssertEqual(FeatureCache.shards(of: 10..<40, size: nil), [10..<40])
        XCTAssertEqual(FeatureCache.shards(of: 10..<40, size: 30), [10..<40])
        let source = try SceneSource(split: .train, seed: 1, dataDir: fixtureData)
        let ae = ConvAutoencoder(latentDim: 8, width: 4)
        ae.eval()
        let request = FeatureCache.Request(split: "train", seed: 1, range: 10..<40)
        func load(_ cache: FeatureCache, shardSize: Int?) throws -> (features: [String: Tensor], codes: Tensor) {
            try cache.load(expert: OracleExpert(), layers: ["class", "lowres"], autoencoder: ae, autoencoderID: Digest(hex: "y"), source: source,
                           request: request, batch: 6, shardSize: shardSize)
        }
        let whole = try load(FeatureCache(directory: dir.appendingPathComponent("whole")), shardSize: nil)
        let sharded = FeatureCache(directory: dir.appendingPathComponent("sharded"))
        // The middle shard first, alone, as a task would extract it; then the whole range.
        _ = try sharded.load(expert: OracleExpert(), layers: ["class", "lowres"], autoencoder: ae, autoencoderID: Digest(hex: "y"), source: source,
                             request: .init(split: "train", seed: 1, range: 22..<34), batch: 6)
        let inShards = try load(sharded, shardSize: 12)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sharded.directory.path).count, 9, "3 shards × (2 layers + codes)")
        for layer in ["class", "lowres"] {
            XCTAssertEqual(inShards.features[layer]!.shape, whole.features[layer]!.shape)
            XCTAssertEqual(inShards.features[layer]!.scalars, whole.features[layer]!.scalars)
        }
        XCTAssertEqual(inShards.codes.scalars, whole.codes.scalars)
    }
}
