import NN
import Tensors

/// A small ResNet-style classifier of the garment class (10 classes) of 32×32 scenes:
/// a conv stem, three residual stages that halve the resolution, global pooling, a linear head.
public final class ResNetClassifier: Module, UnaryLayer {
    let stem: Sequential
    let stage1: Residual
    let stage2: Residual
    let stage3: Residual
    let fc: Linear

    public static let classCount = 10

    public init(seed: UInt64 = 0) {
        var rng = Xoshiro256(seed: seed)
        stem = convBNReLU(3, 32, rng: &rng)
        stage1 = Residual(32, 32, stride: 2, rng: &rng)
        stage2 = Residual(32, 64, stride: 2, rng: &rng)
        stage3 = Residual(64, 128, stride: 2, rng: &rng)
        fc = Linear(128, ResNetClassifier.classCount, rng: &rng)
    }

    public static let taps: [(name: String, shape: [Int])] = [
        ("stem", [32, 32, 32]), ("stage1", [32, 16, 16]), ("stage2", [64, 8, 8]), ("stage3", [128, 4, 4]),
        ("pool", [128]), ("logits", [10]),
    ]

    public func forward(_ x: Tensor, tap: (String, Tensor) -> Void) -> Tensor {
        var h = stem(x); tap("stem", h)
        h = stage1(h); tap("stage1", h)
        h = stage2(h); tap("stage2", h)
        h = stage3(h); tap("stage3", h)
        let pooled = h.globalAvgPool2d().reshaped([x.shape[0], 128]); tap("pool", pooled)
        let logits = fc(pooled); tap("logits", logits)
        return logits
    }

    public func forward(_ x: Tensor) -> Tensor { forward(x) { _, _ in } }

    /// Penultimate features: the space in which sample quality (Fréchet distance) is measured.
    public func embedding(_ x: Tensor) -> Tensor {
        var out = x
        _ = forward(x) { name, t in if name == "pool" { out = t } }
        return out
    }
}
