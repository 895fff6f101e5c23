import XCTest
import Foundation
@testable import Experts
import Autoencoder
@testable import FeatureCache
import FileSupport
import NN
import SafeTensors
import Tensors

/// Values read from files are checked where they enter (issue 16): a damaged weights file, probe
/// or cache is a clear error or is recomputed, never a crash or a silently wrong number.
final class InputValidationTests: XCTestCase {
    private let dir = FileManager.default.temporaryDirectory.appendingPathComponent("validation-\(UUID().uuidString)")

    override func setUpWithError() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// The shipped autoencoder with one metadata value replaced.
    private func autoencoder(_ key: String, _ value: String) throws -> URL {
        var file = try SafeTensorsFile.read(contentsOf: ExpertCatalog.weightsFile("autoencoder"))
        file.metadata[key] = value
        let url = dir.appendingPathComponent("autoencoder-\(key)-\(value.hashValue).safetensors")
        try file.write(to: url)
        return url
    }

    func testAutoencoderSizesFromMetadataAreCheckedBeforeAnyAllocation() throws {
        for (key, value) in [("latent_dim", "-3"), ("latent_dim", "4611686018427387904"), ("width", "-1"), ("width", "100000000"),
                             ("latent_dim", "abc"), ("width", "3.5"), ("latent_dim", "")] {
            XCTAssertThrowsError(try ExpertCatalog.loadAutoencoder(from: try autoencoder(key, value)), "\(key)=\(value)") { error in
                XCTAssertTrue("\(error)".contains("'\(key)' is '\(value)'"), "\(error)")
                XCTAssertTrue("\(error)".contains("expected an integer in"), "\(error)")
            }
        }
        XCTAssertEqual(try ExpertCatalog.loadAutoencoder(from: try autoencoder("width", "32")).latentDim, 64)
    }

    func testWeightsOfTheWrongTypeOrNonFiniteAreRefused() throws {
        var rng = Xoshiro256(seed: 1)
        let model = Linear(4, 3, rng: &rng)
        let good = dir.appendingPathComponent("linear.safetensors")
        try model.save(to: good)
        // The float weight relabelled as I32: the same bytes, read as integers, would be nonsense.
        var relabelled = try SafeTensorsFile.read(contentsOf: good)
        let weight = try relabelled.entry("weight")
        try relabelled.set("weight", TensorEntry(dtype: .i32, shape: weight.shape, data: weight.data))
        let bad = dir.appendingPathComponent("relabelled.safetensors")
        try relabelled.write(to: bad)
        XCTAssertThrowsError(try Linear(4, 3, rng: &rng).load(contentsOf: bad)) { error in
            XCTAssertTrue("\(error)".contains("'weight' is stored as"), "\(error)")
        }
        // NaN in a weight.
        var poisoned = try SafeTensorsFile.read(contentsOf: good)
        var values = try poisoned.floats("weight").values
        values[5] = .nan
        try poisoned.setFloats("weight", shape: weight.shape, values: values)
        let nan = dir.appendingPathComponent("nan.safetensors")
        try poisoned.write(to: nan)
        XCTAssertThrowsError(try Linear(4, 3, rng: &rng).load(contentsOf: nan)) { error in
            XCTAssertTrue("\(error)".contains("NaN or infinite"), "\(error)")
        }
        XCTAssertNoThrow(try Linear(4, 3, rng: &rng).load(contentsOf: good))
    }

    func testMissingProbeOfABuiltInExpertSaysWhatToRestore() {
        XCTAssertThrowsError(try Probe.load(expert: "deeplab", directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("probe file of the built-in expert 'deeplab' is missing"), "\(error)")
            XCTAssertTrue("\(error)".contains("DIAGNOSE_HOME"), "\(error)")
        }
        XCTAssertThrowsError(try Probe.load(expert: "vgg", directory: dir)) { XCTAssertTrue("\($0)".contains("unknown expert 'vgg'")) }
    }

    func testACacheFileOfTheWrongShapeIsRecomputedNotTrusted() throws {
        let cache = FeatureCache(directory: dir)
        let source = try SceneSource(split: .train, seed: 1, dataDir: fixtureData)
        let ae = ConvAutoencoder(latentDim: 8, width: 4)
        ae.eval()
        let request = FeatureCache.Request(split: "train", seed: 1, range: 0..<20)
        let (first, _) = try cache.load(expert: OracleExpert(), layers: ["class"], autoencoder: ae,
                                        autoencoderID: Digest(hex: "y"), source: source, request: request)
        // Overwrite the class features with a valid safetensors file of another shape.
        let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("oracle-class-") })
        var wrong = SafeTensorsFile()
        try wrong.setFloats("values", shape: [0, 1 << 40], values: [])
        try wrong.write(to: dir.appendingPathComponent(name))
        let (again, _) = try cache.load(expert: OracleExpert(), layers: ["class"], autoencoder: ae,
                                        autoencoderID: Digest(hex: "y"), source: source, request: request)
        XCTAssertEqual(again["class"]!.scalars, first["class"]!.scalars)
        XCTAssertEqual(try FeatureCache.read(dir.appendingPathComponent(name), shape: [20, 10]).shape, [20, 10], "rewritten")
    }
}
