import XCTest
import ArgumentParser
@testable import DiagnoseCLI

/// Flags out of range are refused when parsed, naming the flag and the range (issue 16).
final class CommandValidationTests: XCTestCase {
    private func refuses(_ arguments: [String], mentioning words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try { var command = try Diagnose.parseAsRoot(arguments); try command.run() }(), line: line) { error in
            let message = Diagnose.message(for: error)
            for w in words { XCTAssertTrue(message.contains(w), "\(message) should mention \(w)", line: line) }
        }
    }

    func testTrainRefusesZeroTestScenesAndImpossibleSizes() {
        refuses(["train", "resnet", "--test-scenes", "0", "--evaluate", "x.safetensors"], mentioning: ["--test-scenes 0", "1...10000"])
        refuses(["train", "autoencoder", "--latent-dim", "-4"], mentioning: ["--latent-dim"])
        refuses(["train", "autoencoder", "--width", "100000"], mentioning: ["--width"])
    }

    func testRunRefusesEmptyLayersAndHugeSampleCounts() {
        refuses(["run", "--expert", "oracle", "--layers", ""], mentioning: ["--layers is empty"])
        refuses(["run", "--expert", "oracle", "--samples", "4611686018427387904"], mentioning: ["--samples", "2...64"])
        refuses(["run", "--expert", "oracle", "--samples", "100000"], mentioning: ["--samples", "2...64"])
    }

    func testImportedAndClusterCommandsRefuseBadArguments() {
        refuses(["submit"], mentioning: ["--run DIR"])
        refuses(["submit", "/tmp/a", "--run", "/tmp/b"], mentioning: ["not both"])
        refuses(["run", "--expert", "model.onnx", "--input-size", "224"], mentioning: ["--input-size '224'", "H,W"])
        refuses(["layers", "--expert", "/nonexistent/model.onnx"], mentioning: ["model.onnx", "does not exist"])
        refuses(["features", "--expert", "oracle", "--inputs", "/nonexistent/in.safetensors", "--out", "/tmp/o.safetensors"],
                mentioning: ["in.safetensors"])
    }

    func testSeedsOutOfRangeAreRefused() {
        refuses(["run", "--expert", "oracle", "--seeds", "0"], mentioning: ["--seeds 0", "1...16"])
        refuses(["run", "--expert", "oracle", "--seeds", "17"], mentioning: ["--seeds 17", "1...16"])
        refuses(["run", "--expert", "oracle", "--seeds", "-3"], mentioning: ["--seeds"])
    }

    func testHelpNamesTheEnvironment() {
        XCTAssertTrue(Diagnose.helpMessage().contains("DIAGNOSE_HOME"))
    }
}
