import XCTest
import Foundation
@testable import Autoencoder
@testable import Experts
@testable import Training
@testable import SafeTensors
@testable import Tensors

/// The autoencoder's loss (garment-weighted pixels + the classifier's perceptual term) and a
/// two-step run that records the recipe and the recognisability figures.
final class AutoencoderObjectiveTests: XCTestCase {
    private let source = try! SceneSource(split: .test, seed: 0, dataDir: fixtureData)

    func testGarmentPixelsWeighMore() {
        let input = source.input(0..<2)
        let objective = AutoencoderObjective(klWeight: 0, garmentWeight: 3, perceptualWeight: 0, classifier: nil)
        let w = objective.pixelWeights(input)
        XCTAssertEqual(w.shape, [2, 1, 32, 32])
        let expected = input.labelMaps.map { $0 == 10 ? Float(1) : 4 }
        XCTAssertEqual(w.scalars, expected)
        XCTAssertTrue(expected.contains(4) && expected.contains(1), "the scenes have garment and background pixels")
    }

    /// Without garment weight, perceptual term and KL the loss is exactly mean |d| + mean d²,
    /// and with a garment weight it is the weighted means, computed here by hand.
    func testPixelLossMatchesAHandComputation() {
        let model = ConvAutoencoder(latentDim: 8, width: 8, seed: 1)
        model.eval()
        let input = source.input(0..<2)
        var rng = Xoshiro256(seed: 0)
        let y = Autograd.withoutGradients { model.reconstruct(input.images, rng: &rng).image }.scalars
        let x = input.images.scalars
        let plane = 32 * 32
        for alpha: Float in [0, 2] {
            var l1 = 0.0, l2 = 0.0
            for i in 0..<x.count {
                let (image, rest) = i.quotientAndRemainder(dividingBy: 3 * plane)
                let w = input.labelMaps[image * plane + rest % plane] == 10 ? 1 : 1 + Double(alpha)
                let d = Double(y[i] - x[i])
                l1 += w * Swift.abs(d); l2 += w * d * d
            }
            let objective = AutoencoderObjective(klWeight: 0, garmentWeight: alpha, perceptualWeight: 0, classifier: nil)
            let loss = objective.loss(model, input, rng: &rng)
            XCTAssertEqual(Double(loss.total.item), (l1 + l2) / Double(x.count), accuracy: 1e-5)
            XCTAssertEqual(loss.perceptual, 0)
        }
    }

    /// Images without labels (a user's image set) get exactly the scene loss without garment
    /// weight and perceptual term: same pixels, same KL, same noise.
    func testImagesLossIsTheSceneLossWithoutGarmentAndPerceptualTerms() {
        let model = ConvAutoencoder(latentDim: 8, width: 8, seed: 1)
        let input = source.input(0..<3)
        let objective = AutoencoderObjective(klWeight: 0.5, garmentWeight: 0, perceptualWeight: 0, classifier: nil)
        var a = Xoshiro256(seed: 4), b = Xoshiro256(seed: 4)
        let scenes = objective.loss(model, input, rng: &a)
        let images = objective.loss(model, images: input.images, rng: &b)
        XCTAssertEqual(images.total.item, scenes.total.item)
        XCTAssertEqual(images.pixels, scenes.pixels)
        XCTAssertGreaterThan(images.total.item, images.pixels, "the KL term is in the total")
    }

    /// The perceptual term reaches the autoencoder's parameters and leaves the frozen classifier's alone.
    func testPerceptualTermTrainsOnlyTheAutoencoder() throws {
        let classifier = try ExpertCatalog.loadClassifier()
        let model = ConvAutoencoder(latentDim: 8, width: 8, seed: 1)
        let objective = AutoencoderObjective(klWeight: 0, garmentWeight: 0, perceptualWeight: 1, classifier: classifier)
        var rng = Xoshiro256(seed: 0)
        let loss = objective.loss(model, source.input(0..<4), rng: &rng)
        XCTAssertGreaterThan(loss.perceptual, 0)
        XCTAssertEqual(Double(loss.total.item), Double(loss.pixels + loss.perceptual), accuracy: 1e-4)
        loss.total.backward()
        XCTAssertTrue(model.trainableParameters.allSatisfy { $0.grad != nil })
        XCTAssertTrue(classifier.namedParameters().allSatisfy { $0.1.grad == nil }, "the classifier stays frozen")
    }

    func testTwoStepRunRecordsRecipeRecognisabilityAndSheet() throws {
        var o = TrainableModel.autoencoder.defaults
        (o.epochs, o.trainScenes, o.batchSize, o.testScenes) = (2, 8, 8, 16)
        o.latentDim = 8; o.width = 8
        try trainOnFixtures(.autoencoder, o) { result, o in
            let meta = try SafeTensorsFile.read(contentsOf: result.weights).metadata
            XCTAssertEqual(meta["garment_weight"], "2.0")
            XCTAssertEqual(meta["perceptual_weight"], "0.5")
            for key in ["test_psnr_db", "test_garment_psnr_db", "test_classifier_accuracy_on_reconstructions",
                        "test_segmenter_miou_on_reconstructions"] {
                XCTAssertNotNil(Double(meta[key] ?? ""), key)
            }
            let sheet = o.outputDirectory.appendingPathComponent("autoencoder-reconstructions.png")
            XCTAssertTrue(FileManager.default.fileExists(atPath: sheet.path))
            // `--evaluate` on the written weights gives the recorded figures again.
            let again = try ModelTrainer.evaluate(.autoencoder, weights: result.weights, options: o)
            for (key, value) in result.metrics { XCTAssertEqual(again[key] ?? -1, value, accuracy: 1e-9, key) }
        }
    }
}
