import XCTest
import Foundation
@testable import Autoencoder
@testable import Experts
import NN
import SafeTensors
import Tensors

/// The autoencoder family at 32×32, 64×64 and 128×128: the 32×32 model unchanged (the shipped
/// weights load bit for bit), the larger ones equal to PyTorch. The fixtures in Fixtures/ are
/// written by Debian's PyTorch 1.13:
///     /usr/bin/python3 Tests/Reference/autoencoder_reference.py
/// which defines torch_reference's `Autoencoder64` with the channel widths scaled (width 4 at
/// 64×64, width 2 at 128×128, to keep the files small) and checks at width 32 that its keys,
/// shapes and outputs are exactly those of `Autoencoder` and `Autoencoder64`.
final class AutoencoderSizeTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func testShippedWeightsLoadBitForBitAt32() throws {
        let url = try ExpertCatalog.weightsFile("autoencoder")
        let file = try SafeTensorsFile.read(contentsOf: url)
        XCTAssertNil(file.metadata["size"], "written before sizes existed: loads as 32×32")
        let model = try ExpertCatalog.loadAutoencoder(from: url)
        XCTAssertEqual(model.size, 32)
        let stored = try Checkpoint.tensors(in: file)
        let state = model.stateDict()
        XCTAssertEqual(Set(state.map(\.key)), Set(stored.keys), "the same checkpoint keys")
        for entry in state {
            let value = try XCTUnwrap(stored[entry.key])
            XCTAssertEqual(entry.value.shape, value.shape, entry.key)
            XCTAssertEqual(entry.value.scalars, value.scalars, "\(entry.key) is not bit for bit the stored tensor")
        }
    }

    /// The 32×32 model is the reference `Autoencoder`; each doubling adds one stage each way, as
    /// `Autoencoder64` does. Counts from PyTorch: sum(p.numel() for p in Autoencoder64().parameters()).
    func testKeysAndSizesPerImageSize() {
        let m32 = ConvAutoencoder(latentDim: 64, width: 32, size: 32)
        XCTAssertEqual(m32.parameterCount, 1_000_291)
        let keys32 = m32.stateDict().map(\.key)
        XCTAssertEqual(keys32.count, 74)
        XCTAssertEqual(Array(keys32.suffix(3)), ["decoder.11.0.num_batches_tracked", "decoder.12.weight", "decoder.12.bias"])

        let m64 = ConvAutoencoder(latentDim: 128, width: 32, size: 64)
        XCTAssertEqual(m64.parameterCount, 3_002_723)
        let keys64 = m64.stateDict().map(\.key)
        XCTAssertTrue(keys64.contains("encoder.10.weight"), "the extra stride-2 conv ends the encoder's convolutions")
        XCTAssertTrue(keys64.contains("encoder.13.weight"), "then Flatten (12) and the linear map (13)")
        XCTAssertEqual(Array(keys64.suffix(2)), ["decoder.15.weight", "decoder.15.bias"])

        for size in ConvAutoencoder.supportedSizes {
            let m = ConvAutoencoder(latentDim: 8, width: 2, size: size)
            var rng = Xoshiro256(seed: 1)
            let x = Tensor.uniform([2, 3, size, size], rng: &rng)
            m.eval()
            let (mu, lv) = m.encode(x)
            XCTAssertEqual(mu.shape, [2, 8]); XCTAssertEqual(lv.shape, [2, 8])
            XCTAssertEqual(m.decode(mu).shape, [2, 3, size, size])
        }
        XCTAssertEqual(ConvAutoencoder.supportedSizes.map(ConvAutoencoder.defaultLatentDim(size:)), [64, 128, 256])
    }

    /// Weights, input batch and outputs from PyTorch; the weights file's metadata sizes the model.
    func checkAgainstPyTorch(_ name: String, size: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try ExpertCatalog.loadAutoencoder(from: Self.fixtures.appendingPathComponent("\(name).safetensors"))
        XCTAssertEqual(model.size, size, file: file, line: line)
        let io = try Checkpoint.tensors(in: SafeTensorsFile.read(contentsOf: Self.fixtures.appendingPathComponent("\(name).io.safetensors")))
        let x = try XCTUnwrap(io["input"])
        XCTAssertEqual(x.shape.suffix(3), [3, size, size], file: file, line: line)
        let (mu, lv) = model.encode(x)
        let y = model.reconstruction(x)
        for (what, ours, theirs) in [("mean", mu, io["mean"]), ("log_variance", lv, io["log_variance"]), ("reconstruction", y, io["reconstruction"])] {
            let expected = try XCTUnwrap(theirs, what)
            XCTAssertEqual(ours.shape, expected.shape, what, file: file, line: line)
            var worst: Float = 0
            for (a, e) in zip(ours.scalars, expected.scalars) { worst = max(worst, abs(a - e) / max(1, abs(e))) }
            XCTAssertLessThanOrEqual(worst, 1e-4, "\(name) \(what): largest difference \(worst)", file: file, line: line)
        }
    }

    func testMatchesPyTorchAt64() throws { try checkAgainstPyTorch("autoencoder64-w4", size: 64) }

    func testMatchesPyTorchAt128() throws { try checkAgainstPyTorch("autoencoder128-w2", size: 128) }

    func testRefusesAnUnsupportedSizeInMetadata() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ae-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("ae.safetensors")
        try ConvAutoencoder(latentDim: 8, width: 2).save(to: url, metadata: ["latent_dim": "8", "width": "2", "size": "48"])
        XCTAssertThrowsError(try ExpertCatalog.loadAutoencoder(from: url)) { error in
            XCTAssertTrue("\(error)".contains("metadata 'size' is '48', expected one of 32, 64, 128"), "\(error)")
        }
        // A file whose size does not match its tensors names the mismatched key, not a crash.
        try ConvAutoencoder(latentDim: 8, width: 2, size: 64).save(to: url, metadata: ["latent_dim": "8", "width": "2", "size": "32"])
        XCTAssertThrowsError(try ExpertCatalog.loadAutoencoder(from: url))
    }
}
