import Tensors

/// Per-dimension standardisation of autoencoder codes with training statistics. The translators
/// work on standardised codes: our autoencoder's codes have a standard deviation of about 4 per
/// dimension (its KL weight is tiny), which slows the flows' and the MLP's training. A fixed affine
/// map changes every NLL by the same constant, so bits kept (a difference) is unaffected.
struct CodeScaler {
    let mean: Tensor, std: Tensor

    init(fitting codes: Tensor) {
        (mean, std) = Autograd.withoutGradients {
            let m = codes.mean(axes: [0])
            return (m, ((codes - m).squared().mean(axes: [0]) + 1e-8).sqrt())
        }
    }

    func normalize(_ z: Tensor) -> Tensor { Autograd.withoutGradients { (z - mean) / std } }
    func denormalize(_ z: Tensor) -> Tensor { Autograd.withoutGradients { z * std + mean } }
}
