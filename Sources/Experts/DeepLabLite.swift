import NN
import Tensors

/// A small DeepLab-style segmenter of 32×32 scenes into 11 classes per pixel: conv stem, residual
/// stages (the last one dilated), ASPP with image pooling, 1×1 classifier, bilinear upsampling.
/// Same layers and keys as `DeepLabLite` in ../shared/bench/torch_reference.py (~210k parameters).
public final class DeepLabLite: Module, UnaryLayer {
    let stem: Sequential
    let stage1: Residual
    let stage2: Residual
    let stage3: Residual
    let aspp: ASPP
    let classifier: Conv2d

    public static let classCount = 11

    public init(seed: UInt64 = 0) {
        var rng = Xoshiro256(seed: seed)
        stem = Sequential(convBNReLU(3, 32, rng: &rng), convBNReLU(32, 32, stride: 2, rng: &rng))
        stage1 = Residual(32, 32, rng: &rng)
        stage2 = Residual(32, 64, stride: 2, rng: &rng)
        stage3 = Residual(64, 64, dilation: 2, rng: &rng)
        aspp = ASPP(64, rng: &rng)
        classifier = Conv2d(64, DeepLabLite.classCount, kernel: 1, rng: &rng)
    }

    /// Tap points for 32×32 inputs.
    public static let taps: [(name: String, shape: [Int])] = [
        ("stem", [32, 16, 16]), ("stage1", [32, 16, 16]), ("stage2", [64, 8, 8]), ("stage3", [64, 8, 8]),
        ("aspp", [64, 8, 8]), ("logits", [11, 8, 8]), ("output", [11, 32, 32]),
    ]

    /// Runs the network, handing each tap's activation to `tap`; returns full-resolution logits.
    public func forward(_ x: Tensor, tap: (String, Tensor) -> Void) -> Tensor {
        var h = stem(x); tap("stem", h)
        h = stage1(h); tap("stage1", h)
        h = stage2(h); tap("stage2", h)
        h = stage3(h); tap("stage3", h)
        h = aspp(h); tap("aspp", h)
        h = classifier(h); tap("logits", h)
        let out = h.resizedBilinear(height: x.shape[2], width: x.shape[3])
        tap("output", out)
        return out
    }

    public func forward(_ x: Tensor) -> Tensor { forward(x) { _, _ in } }
}
