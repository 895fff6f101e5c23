import NN
import Tensors

/// The autoencoder g = Λ∘Θ of 32×32 scenes with a Gaussian latent. Θ(x) = the encoder mean is
/// the code z_Θ that translators target; Λ decodes a code to an image in 0…1.
///
/// Shape of the reference `Autoencoder` in ../shared/bench/torch_reference.py, with the channel
/// widths scaled by `width` (32 there): strided 4×4 convs down to 4×4, a linear map to 2·latent
/// numbers (mean, log-variance); nearest upsampling + 3×3 convs back up.
public final class ConvAutoencoder: Module {
    let encoder: Sequential
    let fc: Linear
    let decoder: Sequential
    public let latentDim: Int
    public let width: Int

    public init(latentDim: Int = 64, width: Int = 32, seed: UInt64 = 0) {
        var rng = Xoshiro256(seed: seed)
        let w1 = width, w2 = 2 * width, w4 = 4 * width
        func act(_ c: Int) -> Sequential { Sequential(BatchNorm(c), LeakyReLU(0.2)) }
        encoder = Sequential(
            Conv2d(3, w1, kernel: 3, padding: 1, rng: &rng), act(w1),
            Conv2d(w1, w2, kernel: 4, stride: 2, padding: 1, rng: &rng), act(w2),
            Conv2d(w2, w2, kernel: 3, padding: 1, rng: &rng), act(w2),
            Conv2d(w2, w4, kernel: 4, stride: 2, padding: 1, rng: &rng), act(w4),
            Conv2d(w4, w4, kernel: 4, stride: 2, padding: 1, rng: &rng), act(w4),
            Flatten(), Linear(w4 * 16, 2 * latentDim, rng: &rng))
        fc = Linear(latentDim, w4 * 16, rng: &rng)
        decoder = Sequential(
            act(w4), Upsample(factor: 2), Conv2d(w4, w2, kernel: 3, padding: 1, rng: &rng), act(w2),
            Upsample(factor: 2), Conv2d(w2, w2, kernel: 3, padding: 1, rng: &rng), act(w2),
            Upsample(factor: 2), Conv2d(w2, w1, kernel: 3, padding: 1, rng: &rng), act(w1),
            Conv2d(w1, w1, kernel: 3, padding: 1, rng: &rng), act(w1),
            Conv2d(w1, 3, kernel: 3, padding: 1, rng: &rng), Sigmoid())
        (self.latentDim, self.width) = (latentDim, width)
    }

    /// Mean and log-variance of q(z | x), each [N, latent].
    public func encode(_ x: Tensor) -> (mean: Tensor, logVariance: Tensor) {
        let h = encoder(x)
        let parts = h.chunked(2, axis: 1)
        return (parts[0], parts[1])
    }

    /// Images [N, 3, 32, 32] from codes [N, latent].
    public func decode(_ z: Tensor) -> Tensor {
        decoder(fc(z).reshaped([z.shape[0], 4 * width, 4, 4]))
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
