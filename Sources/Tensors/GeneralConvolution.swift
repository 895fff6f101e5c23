// Inference convolutions with every parameter ONNX and PyTorch have (asymmetric pads, groups,
// depthwise, dilations, per-axis strides), on oneDNN inference primitives cached per shape, or
// on the reference kernels where the bound context turns oneDNN off (`ConvolutionShape.backend`). They
// record nothing on the tape: their output has no gradient history (imported networks are
// frozen). `activation` is applied inside the convolution (a oneDNN post-op); `weightCache`, for
// weights that never change, keeps them in the layout the primitive reads. `layout` says how x
// is stored and the output will be: channels-last maps ([N, H, W, C]) run without reorders.
// `sourceLayout`, where given, says how x is stored instead (a first layer reading the image).
extension Tensor {
    /// 2-D convolution (cross-correlation): x [N, C, H, W], weight [O, C/groups, KH, KW],
    /// bias [O] → [N, O, OH, OW] with OH = ⌊(H + padsBegin.0 + padsEnd.0 − dilations.0·(KH−1) − 1) / strides.0⌋ + 1
    /// (likewise OW). Pairs are (height, width). `groups` divides C and O; groups = C = O is a
    /// depthwise convolution.
    public static func convolution2d(_ x: Tensor, weight: Tensor, bias: Tensor?, strides: (Int, Int) = (1, 1),
                                     padsBegin: (Int, Int) = (0, 0), padsEnd: (Int, Int) = (0, 0),
                                     dilations: (Int, Int) = (1, 1), groups: Int = 1,
                                     activation: ConvolutionActivation? = nil, weightCache: ConvolutionWeightCache? = nil,
                                     layout: FeatureMapLayout = .channelsFirst, sourceLayout: FeatureMapLayout? = nil) -> Tensor {
        precondition(x.rank == 4 && weight.rank == 4, "convolution2d: want x [N, C, H, W] and weight [O, C/groups, KH, KW], got \(x.shape) and \(weight.shape)")
        let logical = (sourceLayout ?? layout).logicalShape(x.shape)
        let (n, c, h, w) = (logical[0], logical[1], logical[2], logical[3])
        let (o, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        precondition(groups >= 1 && c % groups == 0 && o % groups == 0 && weight.shape[1] * groups == c,
                     "convolution2d: input \(x.shape) and weight \(weight.shape) do not fit \(groups) groups")
        checkGeometry("convolution2d", kernel: (kh, kw), strides: strides, padsBegin: padsBegin, padsEnd: padsEnd, dilations: dilations)
        if let bias { precondition(bias.shape == [o], "convolution2d: bias \(bias.shape) for \(o) output channels") }
        let oh = outputSize(h, kernel: kh, stride: strides.0, begin: padsBegin.0, end: padsEnd.0, dilation: dilations.0)
        let ow = outputSize(w, kernel: kw, stride: strides.1, begin: padsBegin.1, end: padsEnd.1, dilation: dilations.1)
        precondition(oh > 0 && ow > 0, "convolution2d: the dilated kernel \(kh)×\(kw) is larger than the padded input \(x.shape)")
        let shape = ConvolutionShape(batch: n, inChannels: c, height: h, width: w, outChannels: o, outHeight: oh, outWidth: ow,
                                    kernel: (kh, kw), strides: strides, padsBegin: padsBegin, padsEnd: padsEnd,
                                    dilations: dilations, groups: groups, hasBias: bias != nil, transposed: false, layout: layout,
                                    sourceLayout: sourceLayout)
        return shape.backend.inference(shape, x: x, weight: weight, bias: bias, activation: activation, weightCache: weightCache)
    }

    /// 2-D transposed convolution (the adjoint of `convolution2d`, PyTorch's ConvTranspose2d and
    /// ONNX's ConvTranspose): x [N, C, H, W], weight [C, O/groups, KH, KW], bias [O] →
    /// [N, O, OH, OW] with OH = (H−1)·strides.0 − padsBegin.0 − padsEnd.0 + dilations.0·(KH−1)
    /// + outputPadding.0 + 1 (likewise OW). Output padding adds rows and columns at the end
    /// that no input reaches except through the kernel's last taps; it must be smaller than
    /// stride + padsEnd on its axis.
    public static func convolutionTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor?, strides: (Int, Int) = (1, 1),
                                              padsBegin: (Int, Int) = (0, 0), padsEnd: (Int, Int) = (0, 0),
                                              outputPadding: (Int, Int) = (0, 0), dilations: (Int, Int) = (1, 1),
                                              groups: Int = 1, activation: ConvolutionActivation? = nil,
                                              weightCache: ConvolutionWeightCache? = nil, layout: FeatureMapLayout = .channelsFirst) -> Tensor {
        precondition(x.rank == 4 && weight.rank == 4, "convolutionTranspose2d: want x [N, C, H, W] and weight [C, O/groups, KH, KW], got \(x.shape) and \(weight.shape)")
        let logical = layout.logicalShape(x.shape)
        let (n, c, h, w) = (logical[0], logical[1], logical[2], logical[3])
        let (o, kh, kw) = (weight.shape[1] * groups, weight.shape[2], weight.shape[3])
        precondition(groups >= 1 && c % groups == 0 && weight.shape[0] == c,
                     "convolutionTranspose2d: input \(x.shape) and weight \(weight.shape) do not fit \(groups) groups")
        checkGeometry("convolutionTranspose2d", kernel: (kh, kw), strides: strides, padsBegin: padsBegin, padsEnd: padsEnd,
                      dilations: dilations)
        precondition(outputPadding.0 >= 0 && outputPadding.1 >= 0
                     && outputPadding.0 < strides.0 + padsEnd.0 && outputPadding.1 < strides.1 + padsEnd.1,
                     "convolutionTranspose2d: output padding \(outputPadding) must be below stride + end padding")
        if let bias { precondition(bias.shape == [o], "convolutionTranspose2d: bias \(bias.shape) for \(o) output channels") }
        let oh = (h - 1) * strides.0 - padsBegin.0 - padsEnd.0 + dilations.0 * (kh - 1) + outputPadding.0 + 1
        let ow = (w - 1) * strides.1 - padsBegin.1 - padsEnd.1 + dilations.1 * (kw - 1) + outputPadding.1 + 1
        precondition(oh > 0 && ow > 0, "convolutionTranspose2d: the pads leave no output for input \(x.shape)")
        let shape = ConvolutionShape(batch: n, inChannels: c, height: h, width: w, outChannels: o, outHeight: oh, outWidth: ow,
                                    kernel: (kh, kw), strides: strides, padsBegin: padsBegin, padsEnd: padsEnd,
                                    dilations: dilations, groups: groups, hasBias: bias != nil, transposed: true, layout: layout)
        return shape.backend.inference(shape, x: x, weight: weight, bias: bias, activation: activation, weightCache: weightCache)
    }

    /// Whether `convolution2d` reads a channels-first x and writes a channels-last output with
    /// no reorder of either: a first layer (fewer than 16 input channels, one group) with 16
    /// output channels, which oneDNN's first-layer kernel writes channels-last byte for byte.
    /// Other convolutions given mixed layouts reorder around the call.
    public static func convolutionRelaysDirectly(inChannels: Int, outChannels: Int, groups: Int) -> Bool {
        inChannels < 16 && outChannels == 16 && groups == 1
    }

    /// ⌊(size + begin + end − dilation·(kernel−1) − 1) / stride⌋ + 1, or ≤ 0 if the window does
    /// not fit once.
    static func outputSize(_ size: Int, kernel: Int, stride: Int, begin: Int, end: Int, dilation: Int) -> Int {
        let span = size + begin + end - dilation * (kernel - 1) - 1
        return span < 0 ? 0 : span / stride + 1
    }

    static func checkGeometry(_ op: String, kernel: (Int, Int), strides: (Int, Int), padsBegin: (Int, Int), padsEnd: (Int, Int),
                              dilations: (Int, Int)) {
        precondition(kernel.0 >= 1 && kernel.1 >= 1, "\(op): empty kernel \(kernel)")
        precondition(strides.0 >= 1 && strides.1 >= 1, "\(op): strides \(strides) must be at least 1")
        precondition(dilations.0 >= 1 && dilations.1 >= 1, "\(op): dilations \(dilations) must be at least 1")
        precondition(padsBegin.0 >= 0 && padsBegin.1 >= 0 && padsEnd.0 >= 0 && padsEnd.1 >= 0,
                     "\(op): negative pads \(padsBegin) / \(padsEnd)")
    }
}
