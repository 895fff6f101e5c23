import Autoencoder
import Experts
import Foundation
import Tensors

/// Test-split metrics of the trained models, computed in evaluation mode without gradients.
public enum Evaluation {
    /// Pixel accuracy and mean intersection-over-union over the 11 classes (classes absent from
    /// both prediction and truth are left out of the mean).
    public static func segmentation(_ model: DeepLabLite, on source: SceneSource, count: Int, batch: Int = 250)
        -> (pixelAccuracy: Double, meanIoU: Double) {
        let k = DeepLabLite.classCount
        var confusion = [Int](repeating: 0, count: k * k)
        model.eval()
        Autograd.withoutGradients {
            for start in stride(from: 0, to: count, by: batch) {
                let input = source.input(start..<min(start + batch, count))
                let predicted = model(input.images).argmax(axis: 1)
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

    public static func classification(_ model: ResNetClassifier, on source: SceneSource, count: Int, batch: Int = 250) -> Double {
        var correct = 0
        model.eval()
        Autograd.withoutGradients {
            for start in stride(from: 0, to: count, by: batch) {
                let input = source.input(start..<min(start + batch, count))
                correct += zip(model(input.images).argmax(axis: 1), input.classes).filter { $0 == $1 }.count
            }
        }
        return Double(correct) / Double(max(count, 1))
    }

    /// PSNR in dB of reconstructions through the encoder mean, from the mean squared error over
    /// all test pixels (images in 0…1, so the peak is 1).
    public static func reconstructionPSNR(_ model: ConvAutoencoder, on source: SceneSource, count: Int, batch: Int = 250) -> Double {
        var squared: Double = 0, n = 0
        model.eval()
        Autograd.withoutGradients {
            for start in stride(from: 0, to: count, by: batch) {
                let x = source.input(start..<min(start + batch, count)).images
                let y = model.decode(model.encode(x).mean)
                let d = (y - x).squared().sum().item
                squared += Double(d); n += x.count
            }
        }
        return 10 * log10(1 / max(squared / Double(max(n, 1)), 1e-12))
    }
}
