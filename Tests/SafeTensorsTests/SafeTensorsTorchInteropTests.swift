import Foundation
import XCTest
@testable import SafeTensors

/// Files written by PyTorch's safetensors (commands in Fixtures/safetensors/README.md), and,
/// when that library is installed, our files read back by it.
final class SafeTensorsTorchInteropTests: XCTestCase {
    func testTorchWrittenFixtureHasExactValues() throws {
        let file = try SafeTensorsFile.read(contentsOf: TestSupport.torchWritten)
        XCTAssertEqual(file.metadata, ["format": "pt", "recipe": "fixture v1"])
        XCTAssertEqual(file.names, ["classifier.labels", "head.empty", "stage2.a.0.bias",
                                    "stage2.a.0.weight", "stage2.a.1.num_batches_tracked"])

        let weight = try file.floats("stage2.a.0.weight")
        XCTAssertEqual(weight.shape, [2, 3, 2, 2])
        XCTAssertEqual(weight.values, (0..<24).map { Float($0) / 8 - 1 })

        let bias = try file.floats("stage2.a.0.bias")
        XCTAssertEqual(bias.shape, [3])
        // torch.tensor rounds the Python float (a Double) to float32.
        XCTAssertEqual(bias.values, [0.5, -1.25, Float(3e-38 as Double)])

        let tracked = try file.int64s("stage2.a.1.num_batches_tracked")
        XCTAssertEqual(tracked.shape, [])
        XCTAssertEqual(tracked.values, [7])

        let labels = try file.int64s("classifier.labels")
        XCTAssertEqual(labels.shape, [2, 3])
        XCTAssertEqual(labels.values, [0, -1, 1 << 40, 5, 6, -(1 << 62)])

        let empty = try file.floats("head.empty")
        XCTAssertEqual(empty.shape, [0, 4])
        XCTAssertEqual(empty.values, [])
    }

    func testTorchDTypesFixtureWidensHalfFloatsExactly() throws {
        let file = try SafeTensorsFile.read(contentsOf: TestSupport.torchDTypes)
        XCTAssertEqual(file.metadata, [:])

        let half = try file.floats("half")
        XCTAssertEqual(half.shape, [7])
        XCTAssertEqual(Array(half.values.prefix(4)), [0.5, -2, 65504, 0x1p-24])
        XCTAssertEqual(half.values[4].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(half.values[5], .infinity)
        XCTAssertTrue(half.values[6].isNaN)

        let brain = try file.floats("brain")
        XCTAssertEqual(brain.values, [1, -3.5, 0x1p100, 0x1p-130, -.infinity])

        let double = try file.doubles("double")
        XCTAssertEqual(double.shape, [1, 2])
        XCTAssertEqual(double.values, [0.1, -1e300])

        XCTAssertEqual(try file.int64s("int32").values, [Int64(Int32.min), Int64(Int32.max), 0])
        XCTAssertEqual(try file.int64s("bytes").values, [0, 255, 7])
        XCTAssertEqual(try file.entry("bytes").dtype, .u8)
    }

    /// Optional: needs Python with `safetensors` and `torch` (e.g. Debian's python3-torch and
    /// `pip install safetensors`); skipped otherwise so CI does not depend on them.
    func testPyTorchReadsOurFile() throws {
        let python = ProcessInfo.processInfo.environment["SAFETENSORS_PYTHON"] ?? "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python),
              run(python, ["-c", "import torch, safetensors.torch"]) != nil else {
            throw XCTSkip("\(python) with torch and safetensors is not available")
        }
        var file = SafeTensorsFile(metadata: ["written_by": "diagnose"])
        try file.setFloats("stage2.0.conv1.weight", shape: [2, 2], values: [0.25, -1, 3, 1e-3])
        try file.setInt64s("stage2.0.bn.num_batches_tracked", shape: [], values: [42])
        try file.setFloats("empty", shape: [0], values: [])
        let url = try TestSupport.temporaryDirectory(self).appendingPathComponent("ours.safetensors")
        try file.write(to: url)

        let script = """
        import sys, json
        from safetensors import safe_open
        with safe_open(sys.argv[1], framework="pt") as f:
            out = {"metadata": f.metadata(), "tensors": {k: {"dtype": str(f.get_tensor(k).dtype), "shape": list(f.get_tensor(k).shape), "values": f.get_tensor(k).flatten().tolist()} for k in f.keys()}}
        print(json.dumps(out, sort_keys=True))
        """
        let output = try XCTUnwrap(run(python, ["-c", script, url.path]), "python failed to read our file")
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["metadata"] as? [String: String], ["written_by": "diagnose"])
        let tensors = try XCTUnwrap(parsed["tensors"] as? [String: [String: Any]])
        XCTAssertEqual(tensors["stage2.0.conv1.weight"]?["dtype"] as? String, "torch.float32")
        XCTAssertEqual(tensors["stage2.0.conv1.weight"]?["shape"] as? [Int], [2, 2])
        XCTAssertEqual((tensors["stage2.0.conv1.weight"]?["values"] as? [Double])?.map(Float.init), [0.25, -1, 3, 1e-3])
        XCTAssertEqual(tensors["stage2.0.bn.num_batches_tracked"]?["dtype"] as? String, "torch.int64")
        XCTAssertEqual(tensors["stage2.0.bn.num_batches_tracked"]?["shape"] as? [Int], [])
        XCTAssertEqual(tensors["stage2.0.bn.num_batches_tracked"]?["values"] as? [Int], [42])
        XCTAssertEqual(tensors["empty"]?["shape"] as? [Int], [0])
    }

    /// Standard output of the command, or nil if it could not start or exited non-zero.
    private func run(_ executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
