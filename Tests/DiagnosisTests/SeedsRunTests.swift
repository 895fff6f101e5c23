import XCTest
import Foundation
@testable import Diagnosis
@testable import Report

/// `--seeds K`: K translator stages on one set of scenes and features, reported as mean ± sd
/// with every seed's numbers (docs/report.md, "Seeds").
final class SeedsRunTests: XCTestCase {
    /// Tiny settings (as testSameSeedGivesTheSameNumbers) on one oracle layer.
    static func small(_ name: String, seeds: Int?) -> DiagnosisOptions {
        var o = DiagnosisRunTests.options(name, layers: ["mask"], seed: 5)
        o.flowSteps = 120; o.mlpSteps = 60; o.readoutSteps = 100
        o.trainPairs = 1_000; o.testScenes = 200; o.scoredInputs = 40
        o.mlpEmbedderChannels = 8
        o.seeds = seeds
        return o
    }

    static func files(_ folder: URL) -> [String: Date] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var dates: [String: Date] = [:]
        for n in names {
            dates[n] = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(n).path))?[.modificationDate] as? Date
        }
        return dates
    }

    func testTwoSeedsShareTheFeaturesAndReportMeanAndSD() throws {
        // One seed, then two seeds from an empty cache of their own.
        let single = Self.small("seeds-one", seeds: nil)
        let (one, _) = try DiagnosisPipeline.run(single)
        XCTAssertNil(one.seeds)
        XCTAssertNil(one.layers[0].overSeeds)
        let twice = Self.small("seeds-two", seeds: 2)
        let (two, folder) = try DiagnosisPipeline.run(twice)

        // report.json as written: K, the translator seeds, and per layer the sd and each seed's numbers.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as! [String: Any]
        XCTAssertEqual(json["seeds"] as? Int, 2)
        XCTAssertEqual(json["translator_seeds"] as? [Int], [5, 6])
        let layer = (json["layers"] as! [[String: Any]])[0]
        let over = try XCTUnwrap(layer["over_seeds"] as? [String: Any])
        let perSeed = try XCTUnwrap(over["per_seed"] as? [[String: Any]])
        let sd = try XCTUnwrap(over["sd"] as? [String: Any])
        XCTAssertEqual(perSeed.count, 2)

        // The mean in the usual field and the sd equal those of the per-seed numbers.
        func check(_ key: String, mean: Any?, sd s: Any?, values: [Any?]) {
            let v = values.map { $0 as! Double }
            let m = v.reduce(0, +) / Double(v.count)
            let d = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
            XCTAssertEqual(mean as! Double, m, accuracy: 1e-12 * max(1, abs(m)), key)
            XCTAssertEqual(s as! Double, d, accuracy: 1e-12 * max(1, d), key)
        }
        for key in ["bits_kept", "nll_conditional_nats_per_dim", "frechet_cinn", "frechet_mlp", "diversity_cinn", "calibration",
                    "self_calibration", "mlp_held_out_mse", "bits_kept_standard_error"] {
            check(key, mean: layer[key], sd: sd[key], values: perSeed.map { $0[key] })
        }
        let invariance = layer["invariance"] as! [String: Any], sdInvariance = sd["invariance"] as! [String: Any]
        XCTAssertFalse(invariance.isEmpty)
        for factor in invariance.keys {
            check(factor, mean: invariance[factor], sd: sdInvariance[factor], values: perSeed.map { ($0["invariance"] as! [String: Any])[factor] })
        }
        let run = json["over_seeds"] as! [String: Any], runPerSeed = run["per_seed"] as! [[String: Any]]
        check("unconditional", mean: json["unconditional_nll_nats_per_dim"], sd: (run["sd"] as! [String: Any])["unconditional_nll_nats_per_dim"],
              values: runPerSeed.map { $0["unconditional_nll_nats_per_dim"] })
        let ceiling = json["invariance_ceiling"] as! [String: Any]
        for factor in ceiling.keys {
            check("ceiling " + factor, mean: ceiling[factor], sd: ((run["sd"] as! [String: Any])["invariance_ceiling"] as! [String: Any])[factor],
                  values: runPerSeed.map { ($0["invariance_ceiling"] as! [String: Any])[factor] })
        }

        // The first seed is the single-seed run (same scenes, features and translator seed); the
        // second trained other translators on the same features.
        let first = try XCTUnwrap(two.layers[0].overSeeds?.perSeed.first)
        XCTAssertEqual(first, LayerSeedNumbers(one.layers[0]))
        XCTAssertNotEqual(two.layers[0].overSeeds?.perSeed[1].bitsKept, first.bitsKept)
        XCTAssertEqual(two.overSeeds?.perSeed.first?.unconditionalNllNatsPerDim, one.unconditionalNllNatsPerDim)
        // What sees no translator is shared: read-outs, reconstructions, the scenes' seed.
        XCTAssertEqual(two.frechetReconstruction, one.frechetReconstruction)
        XCTAssertEqual(two.readouts.map(\.value), one.readouts.map(\.value))
        XCTAssertEqual(two.seed, 5)

        // Features and codes were extracted once: the two-seed cache holds exactly the feature files
        // of the single-seed one, and two translator sets (unconditional, cINN, MLP per seed).
        let cacheOne = single.cacheDirectory, cacheTwo = twice.cacheDirectory
        let featureFolders = Set(Self.files(cacheOne).keys).subtracting(["translators"])
        XCTAssertFalse(featureFolders.isEmpty)
        for sub in featureFolders {
            XCTAssertEqual(Set(Self.files(cacheTwo.appendingPathComponent(sub)).keys), Set(Self.files(cacheOne.appendingPathComponent(sub)).keys), sub)
        }
        let translatorsOne = Self.files(cacheOne.appendingPathComponent("translators"))
        XCTAssertEqual(translatorsOne.count, 3)
        XCTAssertEqual(Self.files(cacheTwo.appendingPathComponent("translators")).count, 6)
        for file in ["unconditional", "mask-cinn", "mask-mlp"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("translators/seed-6/\(file).safetensors").path), file)
        }

        // Cached translators are reused per seed: two seeds in the single-seed run's cache train only
        // the second seed's, leave the first seed's files untouched, and give the same numbers.
        var reuse = twice
        reuse.cacheDirectory = cacheOne
        reuse.output = single.output.deletingLastPathComponent().appendingPathComponent("report-two")
        let (again, _) = try DiagnosisPipeline.run(reuse)
        let translatorsAfter = Self.files(cacheOne.appendingPathComponent("translators"))
        XCTAssertEqual(translatorsAfter.count, 6)
        for (name, date) in translatorsOne { XCTAssertEqual(translatorsAfter[name], date, "\(name) was trained again") }
        XCTAssertEqual(again.layers[0].overSeeds?.perSeed, two.layers[0].overSeeds?.perSeed)
        XCTAssertEqual(again.layers[0].bitsKept, two.layers[0].bitsKept)
    }
}
