import CDNNL

// The inference convolutions (`convolution2d`, `convolutionTranspose2d`) on oneDNN: forward-only
// primitives, an optional fused activation, and weights reordered once when the caller says
// they are frozen.
extension Tensor {
    /// Runs a convolution's inference primitive on plain buffers. An empty output is returned as
    /// is; no input channels leave the (activated) bias.
    static func dnnlInference(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?,
                              activation: ConvolutionActivation?, weightCache: ConvolutionWeightCache?) -> Tensor {
        if x.count == 0 || weight.count == 0 {
            if shape.layout == .channelsLast || shape.inputLayout == .channelsLast {  // nothing to compute: the plain route's answer, relaid
                var plain = shape
                (plain.layout, plain.sourceLayout) = (.channelsFirst, nil)
                let out = dnnlInference(plain, x: shape.inputLayout == .channelsLast ? x.channelsFirst() : x, weight: weight, bias: bias,
                                        activation: activation, weightCache: nil)
                return shape.layout == .channelsLast ? out.channelsLast() : out
            }
            let out = dnnlForward(shape, x: x, weight: weight, bias: bias)
            return activation.map { $0.apply(out) } ?? out
        }
        let out = Tensor(uninitializedShape: shape.layout.storageShape(shape.destinationDims))
        guard out.count > 0 else { return out }
        // Small convolutions (MobileNet's squeeze-excitation layers on [N, C, 1, 1]) run on one
        // thread: waking a sleeping OpenMP thread costs more than it saves.
        let threads = shape.multiplyAdds < ConvolutionShape.parallelMultiplyAdds ? 1 : DNNL.threads
        let (primitive, key) = shape.inference(threads: threads, activation: activation)
        var buffers = [raw(x), raw(weight)]
        if let bias { buffers.append(raw(bias)) }
        buffers.append(raw(out))
        guard let weightCache else {
            primitive.execute(buffers, threads: threads)
            return out
        }
        switch weightCache.lookup(weight, primitive: key) {
        case .asGiven: primitive.execute(buffers, threads: threads)
        case let .reordered(copy): primitive.execute(buffers, given: [DNNL_ARG_WEIGHTS: copy], threads: threads)
        case nil:
            let kept = primitive.execute(buffers, keeping: [DNNL_ARG_WEIGHTS], threads: threads)
            weightCache.store(kept[DNNL_ARG_WEIGHTS].map { .reordered($0) } ?? .asGiven, for: weight, primitive: key)
        }
        return out
    }
}
