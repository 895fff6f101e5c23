/// The gradient kernels a route of `conv2d` or `convTranspose2d` supplies, and the one backward
/// rule that calls them.
///
/// Every route (oneDNN, and on OpenBLAS the shifted, channels-last and im2col kernels) computes
/// the input gradient from the output gradient and the weights it kept, and the weight gradient
/// from the output gradient and the input it kept; the bias gradient is the output gradient
/// summed over the batch and the positions. A route whose weight kernel sums it on the way
/// (oneDNN's backward-weights primitive) returns it from there, saving a pass over the gradient.
struct ConvolutionBackward {
    /// Output gradient → input gradient.
    let inputGradient: (_ g: Tensor) -> Tensor
    /// Output gradient, and whether the bias needs a gradient → weight gradient, and the bias
    /// gradient if the kernel computed it.
    let weightGradient: (_ g: Tensor, _ withBias: Bool) -> (weight: Tensor, bias: Tensor?)

    /// `output` of the convolution of `x` with `weight` and `bias`, recorded with these kernels.
    /// The input gradient runs first: oneDNN's weight kernel reuses the output gradient the input
    /// kernel reordered.
    func record(_ output: Tensor, x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        Autograd.record(output, inputs: bias.map { [x, weight, $0] } ?? [x, weight]) { g, need in
            let needBias = need.count == 3 && need[2]
            let gx = need[0] ? inputGradient(g) : nil
            var gw: Tensor? = nil, gb: Tensor? = nil
            if need[1] { (gw, gb) = weightGradient(g, needBias) }
            if needBias && gb == nil { gb = g.sum(axes: [0, 2, 3]) }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }
}
