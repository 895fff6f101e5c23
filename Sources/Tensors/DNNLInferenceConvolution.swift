import CDNNL

// The inference convolutions (`convolution2d`, `convolutionTranspose2d`) on oneDNN: forward-only
// primitives, an optional fused activation, and weights reordered once when the caller says
// they are frozen.
extension Tensor {
    /// Runs a convolution's inference primitive on plain buffers. An empty output is returned as
    /// is; no input channels leave the (activated) bias.
    static func dnnlInference(_ shape: DNNLConvolution, x: Tensor, weight: Tensor, bias: Tensor?,
                              activation: ConvolutionActivation?, weightCache: ConvolutionWeightCache?) -> Tensor {
        if x.count == 0 || weight.count == 0 {
            if shape.layout == .channelsLast {  // nothing to compute: the plain route's answer, relaid
                var plain = shape
                plain.layout = .channelsFirst
                return dnnlInference(plain, x: x.channelsFirst(), weight: weight, bias: bias, activation: activation, weightCache: nil)
                    .channelsLast()
            }
            let out = dnnlForward(shape, x: x, weight: weight, bias: bias)
            return activation.map { $0.apply(out) } ?? out
        }
        let out = Tensor(uninitializedShape: shape.layout.storageShape(shape.destinationDims))
        guard out.count > 0 else { return out }
        // Small convolutions (MobileNet's squeeze-excitation layers on [N, C, 1, 1]) run on one
        // thread: waking a sleeping OpenMP thread costs more than it saves.
        let threads = shape.multiplyAdds < DNNLConvolution.parallelMultiplyAdds ? 1 : DNNL.threads
        let (primitive, key) = shape.inference(threads: threads, activation: activation)
        var buffers = [raw(x), raw(weight)]
        if let bias { buffers.append(raw(bias)) }
        buffers.append(raw(out))
        guard let weightCache else {
            primitive.execute(buffers, threads: threads)
            return out
        }
        if let known = weightCache.lookup(weight, primitive: key) {
            primitive.execute(buffers, given: known.map { [DNNL_ARG_WEIGHTS: $0] } ?? [:], threads: threads)
        } else {
            let kept = primitive.execute(buffers, keeping: [DNNL_ARG_WEIGHTS], threads: threads)
            weightCache.store(kept[DNNL_ARG_WEIGHTS], for: weight, primitive: key)
        }
        return out
    }
}
