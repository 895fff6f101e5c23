import CDNNL
import Foundation

// The training convolutions (`conv2d`, `convTranspose2d`) on oneDNN: forward, input gradient and
// weight gradient are oneDNN primitives; the tape and the backward rule (`ConvolutionBackward`)
// stay ours.
extension Tensor {
    /// The forward of `conv2d` or `convTranspose2d` on oneDNN, and gradient kernels that run its
    /// backward-data and backward-weights primitives. `shape.hasBias` says whether `bias` is given.
    static func onDNNL(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?) -> (Tensor, ConvolutionBackward) {
        // The weight gradient reads x in the layout the forward reorders it to: keep that copy.
        let keepSource = Autograd.isRecording && weight.requiresGrad
        var keptSource: DNNLBuffer? = nil
        let out = dnnlForward(shape, x: x, weight: weight, bias: bias, keepingSource: keepSource ? { keptSource = $0 } : nil)
        let xv = x.detached, wv = weight.detached
        // Both backward primitives read g, usually in the same blocked layout: the input kernel
        // keeps its reordered copy for the weight kernel.
        var keptGradient: [Int32: DNNLBuffer] = [:]
        return (out, ConvolutionBackward(inputGradient: { g in
            let threads = DNNL.threads, result = Tensor(uninitializedShape: xv.shape)
            keptGradient = shape.backwardData(threads: threads).execute([raw(g), raw(wv), raw(result)], keeping: [DNNL_ARG_DIFF_DST],
                                                                        threads: threads)
            return result
        }, weightGradient: { g, withBias in
            // The weight primitive also sums the bias gradient when asked: one pass over g.
            let threads = DNNL.threads, withBiasShape = ConvolutionShape(copying: shape, hasBias: withBias)
            let weights = Tensor(uninitializedShape: wv.shape), biases = withBias ? Tensor(uninitializedShape: [shape.outChannels]) : nil
            var buffers = [raw(xv), raw(g), raw(weights)]
            if let biases { buffers.append(raw(biases)) }
            var given = keptGradient
            if let keptSource { given[DNNL_ARG_SRC] = keptSource }
            withBiasShape.backwardWeights(threads: threads).execute(buffers, given: given, threads: threads)
            return (weights, biases)
        }))
    }

    /// A tensor's buffer for oneDNN (which only writes its outputs).
    @inline(__always) static func raw(_ t: Tensor) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(t.storage.pointer) }

    /// Runs a convolution's forward primitive on plain buffers, without recording. An empty
    /// output is returned as is; no input channels leave the bias alone.
    /// `keepingSource` receives x in the primitive's layout, if it had to be reordered.
    static func dnnlForward(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?,
                            keepingSource: ((DNNLBuffer) -> Void)? = nil) -> Tensor {
        if x.count == 0 || weight.count == 0 { return biasOnly(shape, bias: bias) }
        let out = Tensor(uninitializedShape: shape.destinationDims)
        guard out.count > 0 else { return out }
        let threads = DNNL.threads
        var buffers = [raw(x), raw(weight)]
        if let bias { buffers.append(raw(bias)) }
        buffers.append(raw(out))
        let kept = shape.forward(threads: threads).execute(buffers, keeping: keepingSource == nil ? [] : [DNNL_ARG_SRC],
                                                           threads: threads)
        if let source = kept[DNNL_ARG_SRC] { keepingSource?(source) }
        return out
    }
}

extension ConvolutionShape {
    /// The same convolution with or without the bias term.
    init(copying other: ConvolutionShape, hasBias: Bool) {
        self.init(batch: other.batch, inChannels: other.inChannels, height: other.height, width: other.width,
                  outChannels: other.outChannels, outHeight: other.outHeight, outWidth: other.outWidth, kernel: other.kernel,
                  strides: other.strides, padsBegin: other.padsBegin, padsEnd: other.padsEnd, dilations: other.dilations,
                  groups: other.groups, hasBias: hasBias, transposed: other.transposed, layout: other.layout,
                  sourceLayout: other.sourceLayout)
    }
}
