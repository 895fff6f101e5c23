import Autoencoder
import Experts
import Foundation
import Metrics
import Report
import Tensors

/// Stage 4 (with `Readouts`): images every layer is compared with: the real test scenes, their reconstructions, and their
/// features in the classifier that the Fréchet distances use.
struct ReferenceImages {
    let real: Tensor
    let realFeatures: [Float]
    let reconstructions: Tensor
    let frechetReconstruction: Double
    let psnr: Double
    /// Per test scene, 1 on the object and 0 on the background, at the scenes' size (`real`'s),
    /// for the variation's regions, with where they come from; nil without regions.
    let objects: (masks: [UInt8], source: ObjectRegionSource)?

    static func make(_ inputs: RunInputs, _ pairs: ScenePairs, clock: StageClock) throws -> ReferenceImages {
        let test = pairs.testSource.input(0..<pairs.test.codes.shape[0]), real = test.images
        let realFeatures = clock.timed("frechet") { embed(real, inputs.classifier) }
        let reconstructions = decode(pairs.rawTestCodes, inputs.autoencoder)
        let frechet = clock.timed("frechet") {
            FrechetDistance.between(realFeatures, embed(reconstructions, inputs.classifier), dimensions: 128)
        }
        return ReferenceImages(real: real, realFeatures: realFeatures, reconstructions: reconstructions,
                               frechetReconstruction: frechet, psnr: psnrDB(reconstructions, real),
                               objects: try clock.timed("object masks") { try objectMasks(test, inputs) })
    }

    /// The test scenes' label maps where they have them, else the expert's own segmentation where
    /// its probe declares one (`RunInputs.segmentation`), else nil.
    static func objectMasks(_ test: ExpertInput, _ inputs: RunInputs) throws -> (masks: [UInt8], source: ObjectRegionSource)? {
        if test.hasGroundTruth { return (test.labelMaps.map { $0 == backgroundLabel ? 0 : 1 }, .labelMaps) }
        guard let segmentation = inputs.segmentation else { return nil }
        let masks = try segmentation.objectMasks(inputs.expert, test, height: test.images.shape[2], width: test.images.shape[3])
        return (masks, .segmenter(layer: segmentation.layer, background: segmentation.background))
    }
}

/// The label of the background in `ExpertInput.labelMaps` (garments are 0–9).
let backgroundLabel = 10

/// `body` applied to rows of `x` in batches (bounded memory for large evaluations), concatenated.
func inBatches(_ x: Tensor, size: Int = 250, _ body: (Tensor) -> Tensor) -> Tensor {
    Autograd.withoutGradients {
        let n = x.shape[0]
        let parts = stride(from: 0, to: n, by: size).map { body(x.slice(axis: 0, $0..<min($0 + size, n))) }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
    }
}

/// Classifier features (global pool, 128-d) of images, as rows. The classifier was trained on
/// 32×32 scenes: larger images (a 64×64 or 128×128 autoencoder's) are resized bilinearly to 32×32
/// first, so the Fréchet distances of every image size are measured in the same space.
func embed(_ images: Tensor, _ classifier: ResNetClassifier) -> [Float] {
    inBatches(images) { batch in
        classifier.embedding(batch.shape[2] == 32 && batch.shape[3] == 32 ? batch : batch.resizedBilinear(height: 32, width: 32))
    }.scalars
}

/// Decoded images of codes [N, d].
func decode(_ codes: Tensor, _ autoencoder: ConvAutoencoder) -> Tensor {
    inBatches(codes) { autoencoder.decode($0) }
}

func psnrDB(_ a: Tensor, _ b: Tensor) -> Double {
    let mse = Autograd.withoutGradients { Double(Tensor.mse(a, b).item) }
    return 10 * log10(1 / max(mse, 1e-12))
}
