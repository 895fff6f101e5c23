import Tensors

extension Workload {
    /// `<name>_forward` and `<name>_forward_backward` for one bias-free convolution at the
    /// reference's sizes: square `size`×`size` input, padding dilation·(kernel/2) ("same" at
    /// stride 1). Work is counted as the reference counts it: 2·MACs forward, 3× that for
    /// forward + backward (gradients of input and weight).
    public static func convolution(_ name: String, batch n: Int, inChannels ci: Int, size h: Int,
                                   outChannels co: Int, kernel k: Int, stride s: Int = 1,
                                   dilation d: Int = 1) -> [Workload] {
        let padding = d * (k / 2)
        let outSize = (h + 2 * padding - d * (k - 1) - 1) / s + 1
        let gflop = 2 * Double(n * co * outSize * outSize * ci * k * k) / 1e9

        func inputs() -> (x: Tensor, weight: Tensor) {
            var rng = Xoshiro256(seed: 0)
            let x = Tensor.normal([n, ci, h, h], rng: &rng)
            // PyTorch's default init scale (uniform ±1/sqrt(fan_in)) in spread; speed is the same.
            let weight = Tensor.normal([co, ci, k, k], std: 1 / Float(ci * k * k).squareRoot(), rng: &rng)
            return (x, weight)
        }

        let forward = Workload(name: name + "_forward", unit: "GFLOP/s", workPerStep: gflop) {
            let (x, weight) = inputs()
            return {
                _ = Autograd.withoutGradients {
                    Tensor.conv2d(x, weight: weight, stride: s, padding: padding, dilation: d)
                }
            }
        }
        let forwardBackward = Workload(name: name + "_forward_backward", unit: "GFLOP/s", workPerStep: 3 * gflop) {
            let (x0, w0) = inputs()
            let x = x0.requiringGrad(), weight = w0.requiringGrad()
            return {
                x.zeroGrad()
                weight.zeroGrad()
                Tensor.conv2d(x, weight: weight, stride: s, padding: padding, dilation: d).sum().backward()
            }
        }
        return [forward, forwardBackward]
    }
}
