import Autoencoder
import Experts
import Tensors

/// The autoencoder's training loss. Pixel losses alone spend the 64-d code on the backgrounds'
/// high-contrast stripes and checks (most of the pixels) and draw garments as soft blobs, so two
/// terms pull capacity to the garment (docs/experts.md has the comparison):
/// - garment pixels weigh `1 + garmentWeight` in the L1 + squared-error terms (labels from the
///   scene generator, background label 10);
/// - a perceptual term: squared differences of our frozen classifier's `stage1` and `stage2`
///   activations on reconstruction and input, the features that tell garments apart.
/// The KL weight is per latent dimension relative to the per-image pixel count.
public struct AutoencoderObjective {
    public var klWeight: Float
    public var garmentWeight: Float
    public var perceptualWeight: Float
    /// Frozen, in evaluation mode; needed when `perceptualWeight` > 0.
    public var classifier: ResNetClassifier?

    static let perceptualLayers: Set<String> = ["stage1", "stage2"]
    static let backgroundLabel = 10

    public init(klWeight: Float, garmentWeight: Float, perceptualWeight: Float, classifier: ResNetClassifier?) {
        precondition(perceptualWeight == 0 || classifier != nil, "AutoencoderObjective: the perceptual term needs the classifier")
        (self.klWeight, self.garmentWeight, self.perceptualWeight, self.classifier) = (klWeight, garmentWeight, perceptualWeight, classifier)
    }

    /// Per-pixel weights [N, 1, H, W]: 1 on the background, 1 + garmentWeight on the garment.
    func pixelWeights(_ input: ExpertInput) -> Tensor {
        let s = input.images.shape
        return Tensor(shape: [s[0], 1, s[2], s[3]]) { w in
            for (i, label) in input.labelMaps.enumerated() {
                w[i] = label == Self.backgroundLabel ? 1 : 1 + garmentWeight
            }
        }
    }

    /// Activations of the perceptual layers, in a fixed order.
    func features(_ classifier: ResNetClassifier, _ x: Tensor) -> [Tensor] {
        var out: [Tensor] = []
        _ = classifier.forward(x) { name, t in if Self.perceptualLayers.contains(name) { out.append(t) } }
        return out
    }

    /// The loss of a batch of images that come without labels or a network that knows them (a
    /// user's image set, `ImageAutoencoderTrainer`): L1 + squared error per pixel + the KL term,
    /// which is `loss` with garment weight and perceptual weight 0. Returns the pixel part too.
    public func loss(_ model: ConvAutoencoder, images x: Tensor, rng: inout Xoshiro256) -> (total: Tensor, pixels: Float) {
        precondition(garmentWeight == 0 && perceptualWeight == 0,
                     "AutoencoderObjective: images without labels have no garment pixels or perceptual features")
        let (y, mu, lv) = model.reconstruct(x, rng: &rng)
        let d = y - x
        let pixel = d.abs().mean() + d.squared().mean()
        return (pixel + Tensor.gaussianKL(mean: mu, logVariance: lv) * (klWeight / Float(x.count / x.shape[0])), pixel.item)
    }

    /// The loss of one batch, and its parts (for the progress line).
    public func loss(_ model: ConvAutoencoder, _ input: ExpertInput, rng: inout Xoshiro256)
        -> (total: Tensor, pixels: Float, perceptual: Float) {
        let x = input.images
        let (y, mu, lv) = model.reconstruct(x, rng: &rng)
        let d = y - x
        let pixel: Tensor
        if garmentWeight == 0 {
            pixel = d.abs().mean() + d.squared().mean()
        } else {
            let w = pixelWeights(input)
            pixel = (d.abs() * w).mean() + (d.squared() * w).mean()
        }
        var total = pixel + Tensor.gaussianKL(mean: mu, logVariance: lv) * (klWeight / Float(x.count / x.shape[0]))
        var perceptual: Float = 0
        if perceptualWeight > 0, let classifier {
            let target = Autograd.withoutGradients { features(classifier, x) }
            var p: Tensor?
            for (a, b) in zip(features(classifier, y), target) {
                let term = (a - b).squared().mean()
                p = p.map { $0 + term } ?? term
            }
            if let p {
                perceptual = p.item
                total = total + p * perceptualWeight
            }
        }
        return (total, pixel.item, perceptual)
    }
}
