import Autoencoder
import Experts
import Foundation
import Imaging
import Tensors

/// Test-split metrics of the trained models, computed in evaluation mode without gradients.
public enum Evaluation {
    /// Pixel accuracy and mean intersection-over-union over the 11 classes (classes absent from
    /// both prediction and truth are left out of the mean).
    public static func segmentation(_ model: DeepLabLite, on source: SceneSource, count: Int, batch: Int = 250,
                                    transform: (Tensor) -> Tensor = { $0 }) -> (pixelAccuracy: Double, meanIoU: Double) {
        let k = DeepLabLite.classCount
        var confusion = [Int](repeating: 0, count: k * k)
        model.eval()
        Autograd.withoutGradients {
            for start in stride(from: 0, to: count, by: batch) {
                let input = source.input(start..<min(start + batch, count))
                let predicted = model(transform(input.images)).argmax(axis: 1)
                for (p, t) in zip(predicted, input.labelMaps) { confusion[t * k + p] += 1 }
            }
        }
        let total = confusion.reduce(0, +)
        let correct = (0..<k).reduce(0) { $0 + confusion[$1 * k + $1] }
        var ious: [Double] = []
        for c in 0..<k {
            let tp = confusion[c * k + c]
            let truth = (0..<k).reduce(0) { $0 + confusion[c * k + $1] }
            let predicted = (0..<k).reduce(0) { $0 + confusion[$1 * k + c] }
            let union = truth + predicted - tp
            if union > 0 { ious.append(Double(tp) / Double(union)) }
        }
        return (Double(correct) / Double(max(total, 1)), ious.reduce(0, +) / Double(max(ious.count, 1)))
    }

    /// Accuracy of the classifier on test scenes, optionally passed through `transform` first
    /// (the autoencoder's reconstructions: are the garments still recognisable?).
    public static func classification(_ model: ResNetClassifier, on source: SceneSource, count: Int, batch: Int = 250,
                                      transform: (Tensor) -> Tensor = { $0 }) -> Double {
        var correct = 0
        model.eval()
        Autograd.withoutGradients {
            for start in stride(from: 0, to: count, by: batch) {
                let input = source.input(start..<min(start + batch, count))
                correct += zip(model(transform(input.images)).argmax(axis: 1), input.classes).filter { $0 == $1 }.count
            }
        }
        return Double(correct) / Double(max(count, 1))
    }

    /// PSNR in dB of reconstructions through the encoder mean, from the mean squared error over
    /// all test pixels and over the garment's pixels only (images in 0…1, so the peak is 1), in
    /// one pass over the scenes.
    public static func reconstructionPSNR(_ model: ConvAutoencoder, on source: SceneSource, count: Int, batch: Int = 250)
        -> (all: Double, garment: Double) {
        var squared: (all: Double, garment: Double) = (0, 0), n = (all: 0, garment: 0)
        model.eval()
        Autograd.withoutGradients {
            for start in stride(from: 0, to: count, by: batch) {
                let input = source.input(start..<min(start + batch, count))
                let x = input.images
                let d = (model.reconstruction(x) - x).squared()
                let plane = x.shape[2] * x.shape[3], channels = x.shape[1]
                d.withUnsafeBufferPointer { d in
                    for (i, label) in input.labelMaps.enumerated() {
                        let (image, pixel) = i.quotientAndRemainder(dividingBy: plane)
                        let garment = label != AutoencoderObjective.backgroundLabel
                        for c in 0..<channels {
                            let v = Double(d[(image * channels + c) * plane + pixel])
                            squared.all += v
                            if garment { squared.garment += v }
                        }
                        n.all += channels
                        if garment { n.garment += channels }
                    }
                }
            }
        }
        func psnr(_ squared: Double, _ n: Int) -> Double { 10 * log10(1 / max(squared / Double(max(n, 1)), 1e-12)) }
        return (psnr(squared.all, n.all), psnr(squared.garment, n.garment))
    }

    /// Test scenes (top row) above their reconstructions (bottom row), enlarged 4×: the picture
    /// to look at before shipping autoencoder weights.
    public static func reconstructionSheet(_ model: ConvAutoencoder, on source: SceneSource, count: Int = 12) throws -> Image {
        try reconstructionSheet(model, images: source.input(0..<count).images, inputHeader: "scene", scale: 4)
    }

    /// Images [N, 3, H, W] (top row, headed `inputHeader`) above their reconstructions through the
    /// encoder mean (bottom row), enlarged `scale`× with nearest neighbour, columns numbered.
    public static func reconstructionSheet(_ model: ConvAutoencoder, images x: Tensor, inputHeader: String, scale: Int) throws -> Image {
        let count = x.shape[0]
        let y = Autograd.withoutGradients { () -> Tensor in
            model.eval()
            return model.reconstruction(x)
        }
        var grid = ImageGrid(rows: 2, columns: count)
        grid.rowHeaders = [inputHeader, "recon"]
        grid.columnHeaders = (0..<count).map { "#\($0)" }
        let per = x.count / max(count, 1)
        for (row, t) in [x, y].enumerated() {
            let v = t.scalars
            for i in 0..<count {
                grid[row, i] = try Image(chw: v[(i * per)..<((i + 1) * per)], width: t.shape[3], height: t.shape[2]).upscaled(by: scale)
            }
        }
        return grid.render()
    }
}
