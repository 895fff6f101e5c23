/// The kernels that compute a `conv2d` when the bound context does not run it on oneDNN. Chosen
/// once per call, from the shape and the context's thresholds (docs/engine-speed.md, "The
/// OpenBLAS routes"), so that the backward pass uses the kernels of what the forward kept.
enum ConvolutionRoute {
    /// "Same" stride-1 convolutions as k² products on a zero-padded buffer (ShiftedConvolution.swift).
    case shifted
    /// Small output maps through a channels-last column matrix (ChannelsLastConvolution.swift).
    case channelsLast
    /// im2col and one product per group of images (ColumnConvolution.swift).
    case columns
}

extension ConvGeometry {
    /// The route of a convolution of this geometry with `outChannels` outputs.
    func route(outChannels: Int) -> ConvolutionRoute {
        if isShiftable(outChannels: outChannels) { return .shifted }
        if usesChannelsLast(outChannels: outChannels) { return .channelsLast }
        return .columns
    }
}
