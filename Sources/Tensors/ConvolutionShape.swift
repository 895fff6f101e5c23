/// One 2-D convolution or transposed convolution: what both of its implementations read
/// (`ConvolutionBackend`: oneDNN or the reference), whichever the bound `ExecutionContext`
/// chooses (`backend`). Pairs are (height, width); dilations are PyTorch's (1 = dense).
struct ConvolutionShape: Hashable {
    let batch, inChannels, height, width: Int
    let outChannels, outHeight, outWidth: Int
    let kernel: (Int, Int)
    let strides: (Int, Int)
    let padsBegin: (Int, Int)
    let padsEnd: (Int, Int)
    let dilations: (Int, Int)
    let groups: Int
    let hasBias: Bool
    /// A transposed convolution (oneDNN's deconvolution): x is its input, the output is
    /// `outHeight` × `outWidth`.
    let transposed: Bool
    /// How the output, and x unless `sourceLayout` says otherwise, are stored. Channels-last maps
    /// go to the primitive as they are (its layout is fixed to `nhwc`, which oneDNN's inference
    /// kernels read directly).
    var layout: FeatureMapLayout = .channelsFirst
    /// How x is stored, where it differs from `layout`: a network's first convolution reads the
    /// image channels-first and writes channels-last (see `makeFirstLayer`).
    var sourceLayout: FeatureMapLayout? = nil
    var inputLayout: FeatureMapLayout { sourceLayout ?? layout }

    static func == (a: Self, b: Self) -> Bool { a.dims == b.dims }
    func hash(into hasher: inout Hasher) { hasher.combine(dims) }

    /// Every number that goes into the descriptors.
    var dims: [Int] {
        [batch, inChannels, height, width, outChannels, outHeight, outWidth, kernel.0, kernel.1, strides.0, strides.1,
         padsBegin.0, padsBegin.1, padsEnd.0, padsEnd.1, dilations.0, dilations.1, groups, hasBias ? 1 : 0, transposed ? 1 : 0,
         layout == .channelsLast ? 1 : 0, inputLayout == .channelsLast ? 1 : 0]
    }

    /// Multiply-adds of one call (the direct convolution's count).
    var multiplyAdds: Int {
        (transposed ? batch * inChannels * height * width * (outChannels / groups)
                    : batch * outChannels * outHeight * outWidth * (inChannels / groups)) * kernel.0 * kernel.1
    }

    var sourceDims: [Int] { [batch, inChannels, height, width] }
    var destinationDims: [Int] { [batch, outChannels, outHeight, outWidth] }
}
