import NN
import Tensors

/// The small MLP inside a coupling: Linear → LeakyReLU(0.2) → (Linear → LeakyReLU(0.2))·(depth−1)
/// → Linear. The last layer starts at zero, so every coupling starts as the identity map (s = 0,
/// t = 0): deep stacks then begin well-conditioned, the usual cure for NaNs early in training.
enum CouplingNetwork {
    static func make(input: Int, output: Int, width: Int, hiddenLayers: Int, rng: inout Xoshiro256) -> Sequential {
        var layers: [any UnaryLayer] = [Linear(input, width, rng: &rng), LeakyReLU(0.2)]
        for _ in 1..<max(hiddenLayers, 1) { layers += [Linear(width, width, rng: &rng), LeakyReLU(0.2)] }
        let last = Linear(width, output, rng: &rng)
        last.zeroInitialize()
        return Sequential(layers + [last])
    }
}
