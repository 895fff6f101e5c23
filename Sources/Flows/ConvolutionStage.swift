/// One strided convolution of a spatial embedder (followed by optional ActNorm and LeakyReLU(0.2)).
public struct ConvolutionStage: Codable, Equatable, Sendable {
    public var outChannels: Int
    public var kernel: Int
    public var stride: Int
    public var padding: Int

    public init(outChannels: Int, kernel: Int, stride: Int, padding: Int) {
        (self.outChannels, self.kernel, self.stride, self.padding) = (outChannels, kernel, stride, padding)
    }

    func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernel) / stride + 1 }
}
