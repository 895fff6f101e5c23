import Datasets
import Foundation
import SafeTensors
import XCTest
@testable import DiagnoseCLI

/// `diagnose train autoencoder --images`: the flags it needs and refuses, and a two-step run on
/// FashionScenes written as a table of PNG files (`diagnose scenes --table`).
final class TrainImagesCommandTests: XCTestCase {
    private var dir: String!
    private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fashion-mnist-subset").path

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("train-images-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func run(_ arguments: [String]) throws {
        var command = try Diagnose.parseAsRoot(arguments)
        try command.run()
    }

    private func refuses(_ arguments: [String], mentioning words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try run(arguments), line: line) { error in
            let message = Diagnose.message(for: error)
            for w in words { XCTAssertTrue(message.contains(w), "\(message) should mention \(w)", line: line) }
        }
    }

    func testFlagsAreCheckedBeforeAnyImageIsRead() {
        let images = "\(dir!)/none"
        refuses(["train", "autoencoder", "--images", images], mentioning: ["--images needs --size"])
        refuses(["train", "autoencoder", "--images", images, "--size", "48", "--out", "a.safetensors"], mentioning: ["--size 48", "32, 64 or 128"])
        refuses(["train", "autoencoder", "--images", images, "--size", "64"], mentioning: ["--out FILE.safetensors"])
        refuses(["train", "autoencoder", "--images", images, "--size", "64", "--out", "runs"], mentioning: ["--out FILE.safetensors"])
        refuses(["train", "autoencoder", "--size", "64"], mentioning: ["--size applies to training on your images", "--images PATH"])
        refuses(["train", "autoencoder", "--steps", "10"], mentioning: ["--steps applies"])
        refuses(["train", "resnet", "--images", images, "--size", "32", "--out", "a.safetensors"], mentioning: ["autoencoder only"])
        refuses(["train", "autoencoder", "--images", images, "--size", "32", "--out", "a.safetensors", "--epochs", "2"],
                mentioning: ["--epochs is for FashionScenes"])
        refuses(["train", "autoencoder", "--images", images, "--size", "32", "--out", "a.safetensors", "--max-bad-fraction", "2"],
                mentioning: ["--max-bad-fraction 2.0"])
        refuses(["train", "autoencoder", "--images", images, "--size", "32", "--out", "\(dir!)/a.safetensors"],
                mentioning: [images, "does not exist"])
    }

    func testTwoStepsOnATableOfScenes() throws {
        let scenes = "\(dir!)/scenes"
        try run(["scenes", "--data-dir", fixture, "--table", "--count", "160", "--size", "32", "--out", scenes])
        let out = "\(dir!)/runs/ae.safetensors"
        try run(["train", "autoencoder", "--images", "\(scenes)/factors.csv", "--size", "32", "--out", out, "--steps", "2",
                 "--batch-size", "16", "--latent", "8", "--width", "4", "--seed", "3"])
        let meta = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: out)).metadata
        XCTAssertEqual(meta["size"], "32")
        XCTAssertEqual(meta["latent_dim"], "8")
        XCTAssertEqual(meta["seed"], "3")
        XCTAssertEqual(meta["image_set"], "\(scenes)/factors.csv")
        XCTAssertEqual(Int(meta["train_images"] ?? "")! + Int(meta["test_images"] ?? "")!, 160)
        XCTAssertNotNil(Double(meta["test_psnr_db"] ?? ""))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir!)/runs/ae-reconstructions.png"))
    }
}
