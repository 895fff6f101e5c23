// The reference implementation of every convolution (`ReferenceConvolution`, a
// `ConvolutionBackend`): im2col and matrix products, one group of channels at a time. It runs where the bound context turns oneDNN off
// (`DIAGNOSE_DNNL=0`, for A/B runs and as the check of oneDNN's answers) and for the shapes oneDNN
// cannot describe.
extension ConvolutionShape {
    /// The geometry of one group of one image: the convolution's own, or for a transposed
    /// convolution that of the convolution from its output back to its input.
    var groupGeometry: ConvGeometry {
        transposed
            ? ConvGeometry(channels: outChannels / groups, height: outHeight, width: outWidth, kernel: kernel, strides: strides,
                           padsBegin: padsBegin, dilations: dilations, outH: height, outW: width)
            : ConvGeometry(channels: inChannels / groups, height: height, width: width, kernel: kernel, strides: strides,
                           padsBegin: padsBegin, dilations: dilations, outH: outHeight, outW: outWidth)
    }

    /// The same convolution over one group of channels, with channels-first maps.
    var oneGroup: ConvolutionShape {
        ConvolutionShape(batch: batch, inChannels: inChannels / groups, height: height, width: width, outChannels: outChannels / groups,
                         outHeight: outHeight, outWidth: outWidth, kernel: kernel, strides: strides, padsBegin: padsBegin,
                         padsEnd: padsEnd, dilations: dilations, groups: 1, hasBias: hasBias, transposed: transposed)
    }
}

extension Tensor {
    /// The reference forward of `shape` on channels-first maps, and its gradient kernels.
    static func onReference(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?) -> (Tensor, ConvolutionBackward) {
        if x.count == 0 || weight.count == 0 {
            let (xs, ws) = (x.shape, weight.shape)
            return (biasOnly(shape, bias: bias), ConvolutionBackward(inputGradient: { _ in Tensor(shape: xs, repeating: 0) },
                                                                     weightGradient: { _, _ in (Tensor(shape: ws, repeating: 0), nil) }))
        }
        if shape.groups > 1 { return grouped(shape, x: x, weight: weight, bias: bias) }
        let geo = shape.groupGeometry
        if shape.transposed { return transposedColumns(x, weight: weight, bias: bias, geo: geo) }
        let n = x.shape[0], xv = x.detached, wv = weight.detached
        let group = groupSize(images: n, positions: geo.positions)
        // The weight gradient needs the same column matrices: keep them when they are small
        // enough rather than building them twice.
        let keep = Autograd.isRecording && weight.requiresGrad && !geo.isPointwise
            && n * geo.rows * geo.positions <= ExecutionContext.current.keptColumnLimit
        let columns = keep ? Tensor(uninitializedShape: [(n + group - 1) / group * group * geo.rows * geo.positions]) : nil
        return (convolveColumns(x, weight: weight, bias: bias, geo: geo, group: group, keeping: columns), ConvolutionBackward(
            inputGradient: { columnsInputGradient($0, weight: wv, geo: geo, group: group) },
            weightGradient: { g, _ in (columnsWeightGradient(g, x: xv, weightShape: wv.shape, geo: geo, group: group, columns: columns), nil) }))
    }

    /// A grouped convolution as one convolution per group of channels: group g reads x's
    /// channels g·C/G..<(g+1)·C/G with weight rows g·R/G..<(g+1)·R/G (R = O for a convolution,
    /// C for a transposed one: both weight layouts lead with the group) and writes the output's
    /// channels g·O/G..<(g+1)·O/G. The gradients are the groups' gradients side by side.
    private static func grouped(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?) -> (Tensor, ConvolutionBackward) {
        let g = shape.groups, one = shape.oneGroup
        let (inPart, outPart, weightRows) = (shape.inChannels / g, shape.outChannels / g, weight.shape[0] / g)
        let parts = Autograd.withoutGradients {
            (0..<g).map { i in
                onReference(one, x: x.detached.slice(axis: 1, (i * inPart)..<((i + 1) * inPart)),
                            weight: weight.detached.slice(axis: 0, (i * weightRows)..<((i + 1) * weightRows)),
                            bias: bias?.detached.slice(axis: 0, (i * outPart)..<((i + 1) * outPart)))
            }
        }
        let out = Autograd.withoutGradients { concat(parts.map(\.0), axis: 1) }
        func perGroup(_ gradient: Tensor) -> [Tensor] {
            (0..<g).map { i in gradient.slice(axis: 1, (i * outPart)..<((i + 1) * outPart)) }
        }
        return (out, ConvolutionBackward(inputGradient: { gradient in
            Autograd.withoutGradients { concat(zip(parts, perGroup(gradient)).map { $0.1.inputGradient($1) }, axis: 1) }
        }, weightGradient: { gradient, _ in
            (Autograd.withoutGradients { concat(zip(parts, perGroup(gradient)).map { $0.1.weightGradient($1, false).weight }, axis: 0) }, nil)
        }))
    }

    /// The output of a convolution without input channels or without inputs: the bias at every
    /// position (0 without one).
    static func biasOnly(_ shape: ConvolutionShape, bias: Tensor?) -> Tensor {
        let out = Tensor(uninitializedShape: shape.destinationDims)
        let po = out.storage.pointer, plane = shape.outHeight * shape.outWidth
        for i in 0..<shape.batch * shape.outChannels {
            (po + i * plane).update(repeating: bias?.storage.pointer[i % shape.outChannels] ?? 0, count: plane)
        }
        return out
    }

    /// `convolution2d` or `convolutionTranspose2d` on the reference kernels: x relaid to
    /// channels-first if it is stored channels-last, the activation applied after, and the output
    /// relaid to the layout `shape` asks for.
    static func referenceInference(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?,
                                   activation: ConvolutionActivation?) -> Tensor {
        Autograd.withoutGradients {
            var plain = shape
            (plain.layout, plain.sourceLayout) = (.channelsFirst, nil)
            let input = shape.inputLayout == .channelsLast ? x.channelsFirst() : x
            let convolved = onReference(plain, x: input, weight: weight, bias: bias).0
            let out = activation.map { $0.apply(convolved) } ?? convolved
            return shape.layout == .channelsLast ? out.channelsLast() : out
        }
    }
}
