import Tensors

/// 2-D convolution; keys `weight` [O, C, KH, KW] and `bias` [O] as torch.nn.Conv2d.
public final class Conv2d: Module, UnaryLayer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int, padding: Int, dilation: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, rng: inout Xoshiro256) {
        let fanIn = inChannels * kernel * kernel
        weight = Parameter(Init.uniformFanIn([outChannels, inChannels, kernel, kernel], fanIn: fanIn, rng: &rng))
        self.bias = bias ? Parameter(Init.uniformFanIn([outChannels], fanIn: fanIn, rng: &rng)) : nil
        (self.stride, self.padding, self.dilation) = (stride, padding, dilation)
    }

    public func forward(_ x: Tensor) -> Tensor {
        Tensor.conv2d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding, dilation: dilation)
    }
}

/// Transposed 2-D convolution; keys `weight` [Cin, Cout, KH, KW] and `bias` as torch.nn.ConvTranspose2d.
public final class ConvTranspose2d: Module, UnaryLayer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int, padding: Int, outputPadding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true, rng: inout Xoshiro256) {
        // PyTorch computes fan-in from weight dimension 1 (the output channels) here.
        let fanIn = outChannels * kernel * kernel
        weight = Parameter(Init.uniformFanIn([inChannels, outChannels, kernel, kernel], fanIn: fanIn, rng: &rng))
        self.bias = bias ? Parameter(Init.uniformFanIn([outChannels], fanIn: fanIn, rng: &rng)) : nil
        (self.stride, self.padding, self.outputPadding) = (stride, padding, outputPadding)
    }

    public func forward(_ x: Tensor) -> Tensor {
        Tensor.convTranspose2d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
                               outputPadding: outputPadding)
    }
}
