import XCTest
import Foundation
@testable import Diagnosis
@testable import Report

/// `diagnose compare`'s output folder follows the rules of a report's (`ReportFolder`): staged and
/// published whole, and --force replaces only an earlier comparison or an empty folder.
final class RunComparisonTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("run-comparison-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// A small finished run: two layers, two factors, the fields the comparison reads.
    private func writeRun(_ name: String, expert: String) throws -> String {
        let layers = ["early", "last"].enumerated().map { i, alias in
            LayerResult(name: "\(expert)_\(alias)", alias: alias, shape: [8, 4, 4], nllConditionalNatsPerDim: 1.0 - 0.1 * Double(i),
                        bitsKept: 40 - 30 * Double(i), invariance: ["class": 0.1 * Double(i), "hue": 0.2 + 0.5 * Double(i)],
                        frechetCinn: 10, frechetMlp: 20, diversityCinn: 0.1, diversityMlp: 0, calibration: 1, mlpHeldOutMse: 0.01,
                        trainingSteps: 10, bestStep: 10, expectedKeeps: nil, expectedIgnores: nil, validity: nil,
                        contactSheet: "sheet-\(alias).png", translator: "translators/\(alias).safetensors")
        }
        let result = DiagnosisResult(
            expert: expert, expertDescription: "", layersRequested: ["early", "last"], seed: 3, configuration: ["test_scenes": "100"],
            weightsHashes: ["autoencoder": "0123456789abcdef"], versions: [:], timingsSeconds: [:], unconditionalNllNatsPerDim: 1.2,
            codeDimensions: 64, frechetReconstruction: 4, frechetFeatureSpace: "test", reconstructionPsnrDb: 20,
            readouts: [ReadoutQuality(factor: "class", kind: "categorical", metric: "accuracy", value: 0.9, chance: 0.1),
                       ReadoutQuality(factor: "hue", kind: "circular", metric: "1 - circular variance", value: 0.8, chance: 0)],
            layers: layers, figures: Figures(overview: "overview.png", heatmap: "heatmap.png", bitsPlot: "bits.png", exemplarTransfer: "transfer.png"),
            warnings: [])
        let dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try ReportWriter.write(result, to: dir)
        return dir.path
    }

    func testWritesTheComparisonAndReplacesOnlyItsOwnFolder() throws {
        let fm = FileManager.default
        let a = try writeRun("a", expert: "deeplab"), b = try writeRun("b", expert: "resnet")
        let out = root.appendingPathComponent("cmp")
        let (comparison, folder) = try RunComparison.run(runs: [a, b], output: out, force: false)
        XCTAssertEqual(comparison.runs.map(\.name), ["deeplab", "resnet"])
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder.path).sorted(), ComparisonWriter.files.sorted())

        // Again without --force: refused; with it: replaced, and nothing is left beside it.
        XCTAssertThrowsError(try RunComparison.run(runs: [a, b], output: out, force: false)) { error in
            XCTAssertTrue("\(error)".contains("--force"), "\(error)")
        }
        try Data("stale".utf8).write(to: out.appendingPathComponent("stale.txt"))
        _ = try RunComparison.run(runs: [a, b], output: out, force: true)
        XCTAssertFalse(fm.fileExists(atPath: out.appendingPathComponent("stale.txt").path))
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root.path).sorted(), ["a", "b", "cmp"])

        // A run's own folder is not a comparison: --force does not replace it, and it cannot be the output.
        XCTAssertThrowsError(try RunComparison.run(runs: [a, b], output: URL(fileURLWithPath: a), force: true)) { error in
            XCTAssertTrue("\(error)".contains("is one of the runs being compared"), "\(error)")
        }
        let c = try writeRun("c", expert: "oracle")
        XCTAssertThrowsError(try RunComparison.run(runs: [a, b], output: URL(fileURLWithPath: c), force: true)) { error in
            XCTAssertTrue("\(error)".contains("holds no comparison.json"), "\(error)")
        }
        XCTAssertTrue(fm.fileExists(atPath: URL(fileURLWithPath: c).appendingPathComponent("report.json").path), "the run is untouched")
    }

    func testBadRunsFailBeforeTheOutputFolderIsTouched() throws {
        let a = try writeRun("a", expert: "deeplab")
        let out = root.appendingPathComponent("cmp")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: out.appendingPathComponent(ComparisonWriter.manifestFile))
        XCTAssertThrowsError(try RunComparison.run(runs: [a, root.appendingPathComponent("missing").path], output: out, force: true)) { error in
            XCTAssertTrue("\(error)".contains("missing: no such folder"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [ComparisonWriter.manifestFile])
    }
}
