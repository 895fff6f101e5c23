import Tensors

/// Conv and ConvTranspose in 2-D: groups (depthwise included), dilation, strides, asymmetric
/// pads and auto_pad, on the engine's oneDNN convolutions. Their input and output are stored as
/// the context's `layout` says (an execution plan keeps maps channels-last between them).
enum ConvolutionOperators {
    static let kernels: [String: Kernel] = ["Conv": conv, "ConvTranspose": convTranspose]

    /// Input 0 and its logical shape [N, C, H, W] (its storage order is `c.layout`'s).
    private static func source(_ c: OperatorContext) throws -> (Tensor, [Int]) {
        let x = try c.float(0)
        return (x, x.rank == 4 ? c.layout.logicalShape(x.shape) : x.shape)
    }

    static func conv(_ c: OperatorContext) throws -> [Value] {
        let (x, xs) = try source(c), w = try c.float(1), bias = try c.optionalInput(2).map { _ in try c.float(2) }
        guard xs.count == 4, w.rank == 4, xs.allSatisfy({ $0 > 0 }), w.shape.allSatisfy({ $0 > 0 }) else {
            throw c.failure("input \(xs) and weight \(w.shape) must be non-empty 2-D convolutions [N, C, H, W]")
        }
        let groups = c.node.int("group", default: 1)
        guard groups >= 1, xs[1] % groups == 0, w.shape[0] % groups == 0, w.shape[1] * groups == xs[1] else {
            throw c.failure("weight \(w.shape) with \(groups) groups does not fit input \(xs)")
        }
        if let k = c.node.ints("kernel_shape"), k != [w.shape[2], w.shape[3]] { throw c.failure("kernel_shape \(k) differs from the weight \(w.shape)") }
        if let bias, bias.shape != [w.shape[0]] { throw c.failure("bias \(bias.shape) is not [\(w.shape[0])]") }
        let g = try c.window(input: (xs[2], xs[3]), kernel: (w.shape[2], w.shape[3]))
        guard g.outputSize(xs[2], axis: 0) > 0, g.outputSize(xs[3], axis: 1) > 0 else {
            throw c.failure("the kernel \(w.shape) is larger than the padded input \(xs)")
        }
        return [.float(Tensor.convolution2d(x, weight: w, bias: bias, strides: g.stride, padsBegin: g.padBegin, padsEnd: g.padEnd,
                                            dilations: g.dilation, groups: groups, activation: c.activation, weightCache: c.weightCache,
                                            layout: c.outputLayout, sourceLayout: c.layout))]
    }

    /// Output size per axis: stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − pads; an
    /// explicit output_shape sets the pads instead.
    static func convTranspose(_ c: OperatorContext) throws -> [Value] {
        let (x, xs) = try source(c), w = try c.float(1), bias = try c.optionalInput(2).map { _ in try c.float(2) }
        guard xs.count == 4, w.rank == 4, xs.allSatisfy({ $0 > 0 }), w.shape.allSatisfy({ $0 > 0 }) else {
            throw c.failure("input \(xs) and weight \(w.shape) must be non-empty 2-D [N, C, H, W]")
        }
        let groups = c.node.int("group", default: 1)
        guard groups >= 1, w.shape[0] == xs[1], xs[1] % groups == 0 else {
            throw c.failure("weight \(w.shape) with \(groups) groups does not fit input \(xs)")
        }
        let outChannels = w.shape[1] * groups
        if let bias, bias.shape != [outChannels] { throw c.failure("bias \(bias.shape) is not [\(outChannels)]") }
        var g = try c.window(input: (xs[2], xs[3]), kernel: (w.shape[2], w.shape[3]), transposed: true)
        var outputPadding = c.node.ints("output_padding") ?? [0, 0]
        guard outputPadding.count == 2, outputPadding.allSatisfy({ $0 >= 0 }) else { throw c.failure("output_padding \(outputPadding) must be two values") }
        let extent = [(w.shape[2] - 1) * g.dilation.0 + 1, (w.shape[3] - 1) * g.dilation.1 + 1]
        let strides = [g.stride.0, g.stride.1], input = [xs[2], xs[3]]
        if let shape = c.node.ints("output_shape") {
            let spatial = Array(shape.suffix(2))
            guard spatial.count == 2 else { throw c.failure("output_shape \(shape) needs the two spatial sizes") }
            // As the specification says: SAME_UPPER puts the smaller half first, anything else the larger.
            let upper = c.node.string("auto_pad", default: "NOTSET") == "SAME_UPPER"
            var begin = [0, 0], end = [0, 0]
            for d in 0..<2 {
                let total = strides[d] * (input[d] - 1) + outputPadding[d] + extent[d] - spatial[d]
                let half = total / 2
                (begin[d], end[d]) = upper ? (half, total - half) : (total - half, half)
                // A larger output than the full transposed convolution: the extra rows are output padding.
                if total < 0 { (begin[d], end[d], outputPadding[d]) = (0, 0, outputPadding[d] - total) }
            }
            (g.padBegin, g.padEnd) = ((begin[0], begin[1]), (end[0], end[1]))
        }
        guard min(g.padBegin.0, g.padBegin.1, g.padEnd.0, g.padEnd.1) >= 0 else {
            throw c.failure("output_shape \(c.node.ints("output_shape") ?? []) is larger than the full transposed convolution "
                            + "(it needs negative pads); use output_padding instead")
        }
        let pads = [g.padBegin.0 + g.padEnd.0, g.padBegin.1 + g.padEnd.1], ends = [g.padEnd.0, g.padEnd.1]
        var out = [0, 0], fits = true
        for d in 0..<2 {
            out[d] = strides[d] * (input[d] - 1) + outputPadding[d] + extent[d] - pads[d]
            // ONNX allows output padding below max(stride, dilation); the engine needs it below stride + end pad.
            fits = fits && out[d] > 0 && outputPadding[d] < strides[d] + ends[d]
        }
        try c.checkSize([xs[0], outChannels] + out)
        guard fits else {
            throw c.failure("pads and output_padding leave an output of \(out)")
        }
        return [.float(Tensor.convolutionTranspose2d(x, weight: w, bias: bias, strides: g.stride, padsBegin: g.padBegin, padsEnd: g.padEnd,
                                                     outputPadding: (outputPadding[0], outputPadding[1]), dilations: g.dilation, groups: groups,
                                                     weightCache: c.weightCache, layout: c.layout))]
    }
}
