import NN
import Tensors

/// The autoencoder g = Λ∘Θ of square RGB images (32×32, 64×64 or 128×128) with a Gaussian
/// latent. Θ(x) = the encoder mean is the code z_Θ that translators target; Λ decodes a code to
/// an image in 0…1.
///
/// Shape of the reference `Autoencoder` (32×32) and `Autoencoder64` (64×64) in
/// ../shared/bench/torch_reference.py, with the channel widths scaled by `width` (32 there):
/// strided 4×4 convs down to 4×4, a linear map to 2·latent numbers (mean, log-variance); nearest
/// upsampling + 3×3 convs back up. Each doubling of the size adds one stage each way, as
/// `Autoencoder64` adds it: a stride-2 conv that doubles the channels at the end of the encoder
/// (8×8 → 4×4), and an upsample + conv that halves them at the start of the decoder. So the
/// 32×32 model's layers, checkpoint keys and initialisation are those it always had, and the
/// larger ones have PyTorch's keys.
public final class ConvAutoencoder: Module {
    let encoder: Sequential
    let fc: Linear
    let decoder: Sequential
    public let latentDim: Int
    public let width: Int
    /// Image side in pixels: 32, 64 or 128.
    public let size: Int

    /// The image sides the family is defined for.
    public static let supportedSizes = [32, 64, 128]

    /// The latent size of the reference at each image size: 64 at 32×32, 128 at 64×64
    /// (`Autoencoder64`), doubling again at 128×128 (four times the pixels per doubling).
    public static func defaultLatentDim(size: Int) -> Int { 64 * max(size / 32, 1) }

    /// Stages added to the 32×32 model for `size`: log2(size / 32).
    static func extraStages(size: Int) -> Int { (size / 32).trailingZeroBitCount }

    public init(latentDim: Int = 64, width: Int = 32, size: Int = 32, seed: UInt64 = 0) {
        precondition(Self.supportedSizes.contains(size), "ConvAutoencoder: size \(size) is not one of \(Self.supportedSizes)")
        var rng = Xoshiro256(seed: seed)
        let w1 = width, w2 = 2 * width, w4 = 4 * width
        let extra = Self.extraStages(size: size)
        let top = w4 << extra
        func act(_ c: Int) -> Sequential { Sequential(BatchNorm(c), LeakyReLU(0.2)) }
        // Layers are created (and their weights drawn from `rng`) in the order of the 32×32
        // model: encoder, fc, decoder, so its seeded initialisation is unchanged.
        var down: [any UnaryLayer] = [
            Conv2d(3, w1, kernel: 3, padding: 1, rng: &rng), act(w1),
            Conv2d(w1, w2, kernel: 4, stride: 2, padding: 1, rng: &rng), act(w2),
            Conv2d(w2, w2, kernel: 3, padding: 1, rng: &rng), act(w2),
            Conv2d(w2, w4, kernel: 4, stride: 2, padding: 1, rng: &rng), act(w4),
            Conv2d(w4, w4, kernel: 4, stride: 2, padding: 1, rng: &rng), act(w4),
        ]
        for stage in 0..<extra {
            let c = w4 << stage
            down += [Conv2d(c, 2 * c, kernel: 4, stride: 2, padding: 1, rng: &rng), act(2 * c)]
        }
        down += [Flatten(), Linear(top * 16, 2 * latentDim, rng: &rng)]
        encoder = Sequential(down)
        fc = Linear(latentDim, top * 16, rng: &rng)
        var up: [any UnaryLayer] = [act(top)]
        for stage in (0..<extra).reversed() {
            let c = w4 << (stage + 1)
            up += [Upsample(factor: 2), Conv2d(c, c / 2, kernel: 3, padding: 1, rng: &rng), act(c / 2)]
        }
        up += [
            Upsample(factor: 2), Conv2d(w4, w2, kernel: 3, padding: 1, rng: &rng), act(w2),
            Upsample(factor: 2), Conv2d(w2, w2, kernel: 3, padding: 1, rng: &rng), act(w2),
            Upsample(factor: 2), Conv2d(w2, w1, kernel: 3, padding: 1, rng: &rng), act(w1),
            Conv2d(w1, w1, kernel: 3, padding: 1, rng: &rng), act(w1),
            Conv2d(w1, 3, kernel: 3, padding: 1, rng: &rng), Sigmoid(),
        ]
        decoder = Sequential(up)
        (self.latentDim, self.width, self.size) = (latentDim, width, size)
    }

    /// Channels of the 4×4 map between the linear layers and the convolutions.
    var bottleneckChannels: Int { 4 * width << Self.extraStages(size: size) }

    /// Mean and log-variance of q(z | x), each [N, latent].
    public func encode(_ x: Tensor) -> (mean: Tensor, logVariance: Tensor) {
        let h = encoder(x)
        let parts = h.chunked(2, axis: 1)
        return (parts[0], parts[1])
    }

    /// Images [N, 3, size, size] from codes [N, latent].
    public func decode(_ z: Tensor) -> Tensor {
        decoder(fc(z).reshaped([z.shape[0], bottleneckChannels, 4, 4]))
    }

    /// Reconstruction through the encoder mean: the deterministic one that test metrics use.
    public func reconstruction(_ x: Tensor) -> Tensor { decode(encode(x).mean) }

    /// Reconstruction through a sampled code (training) or the mean (evaluation).
    public func reconstruct(_ x: Tensor, rng: inout Xoshiro256) -> (image: Tensor, mean: Tensor, logVariance: Tensor) {
        let (mu, lv) = encode(x)
        guard isTraining else { return (decode(mu), mu, lv) }
        let z = mu + Tensor.normal(mu.shape, rng: &rng) * (lv * 0.5).exp()
        return (decode(z), mu, lv)
    }
}
