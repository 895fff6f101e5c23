import CDNNL

/// The oneDNN side of a `ConvolutionShape`: its three primitives (forward, backward data,
/// backward weights), each created once per shape and thread count.
///
/// Our tensors are NCHW; weights are [O, C/groups, KH, KW] for a convolution and
/// [C, O/groups, KH, KW] for a transposed one (PyTorch's and ONNX's layouts), which oneDNN reads
/// as `goihw` and `giohw` with the group axis split off. Dilations here are PyTorch's (1 = dense);
/// oneDNN counts the gaps (0 = dense).
extension ConvolutionShape {
    /// Multiply-adds from which an inference call uses the whole thread team: below it, waking the
    /// sleeping OpenMP thread costs more than the work (MobileNetV3's squeeze-excitation
    /// convolutions, up to 2.7 M; docs/engine-speed.md).
    static let parallelMultiplyAdds = 1 << 22

    /// Whether oneDNN can describe the shape: not a transposed convolution whose output padding
    /// reaches stride + end padding (PyTorch's ConvTranspose2d allows up to the dilation).
    var oneDNNDescribes: Bool {
        guard transposed else { return true }
        func outputPadding(_ out: Int, _ input: Int, _ k: Int, _ s: Int, _ pb: Int, _ pe: Int, _ d: Int) -> Int {
            out - ((input - 1) * s - pb - pe + d * (k - 1) + 1)
        }
        return outputPadding(outHeight, height, kernel.0, strides.0, padsBegin.0, padsEnd.0, dilations.0) < strides.0 + padsEnd.0
            && outputPadding(outWidth, width, kernel.1, strides.1, padsBegin.1, padsEnd.1, dilations.1) < strides.1 + padsEnd.1
    }

    /// Plain layout of the weights as we store them.
    var weightsLayout: dnnl_memory_desc_t {
        let (kh, kw) = kernel
        if transposed {
            // [C, O/g, KH, KW] = logical (g, O/g, C/g, KH, KW) stored g, C/g, O/g, KH, KW.
            return groups == 1 ? DNNL.memoryDescriptor([outChannels, inChannels, kh, kw], dnnl_iohw)
                : DNNL.memoryDescriptor([groups, outChannels / groups, inChannels / groups, kh, kw], dnnl_giohw)
        }
        return groups == 1 ? DNNL.memoryDescriptor([outChannels, inChannels, kh, kw], dnnl_oihw)
            : DNNL.memoryDescriptor([groups, outChannels / groups, inChannels / groups, kh, kw], dnnl_goihw)
    }

    private var weightsDims: [Int] {
        groups == 1 ? [outChannels, inChannels, kernel.0, kernel.1]
            : [groups, outChannels / groups, inChannels / groups, kernel.0, kernel.1]
    }

    /// The right padding oneDNN checks for a transposed convolution. Its geometry is that of the
    /// convolution from our output back to our input, which must come out exactly H × W; the
    /// output padding is extra output that no padding of the input accounts for. Any value in
    /// [padsEnd − outputPadding, padsEnd − outputPadding + stride) passes the check and none
    /// changes the result, so the smallest non-negative one is used.
    private func checkedPadsEnd() -> (Int, Int) {
        guard transposed else { return padsEnd }
        func one(_ out: Int, _ input: Int, _ k: Int, _ s: Int, _ pb: Int, _ d: Int) -> Int {
            // out + pb + pr − span ≡ (input − 1)·s + r with 0 ≤ r < s.
            let span = d * (k - 1) + 1
            let base = out + pb - span - (input - 1) * s   // = r − pr
            let pr = max(0, -base)
            precondition(base + pr < s, "convolutionTranspose2d: output padding must be smaller than stride + end padding")
            return pr
        }
        return (one(outHeight, height, kernel.0, strides.0, padsBegin.0, dilations.0),
                one(outWidth, width, kernel.1, strides.1, padsBegin.1, dilations.1))
    }

    /// Fills an operation descriptor through one of oneDNN's `*_desc_init` functions, which all
    /// take (src, weights, bias, dst, strides, dilates, padding_l, padding_r) in some order.
    private func geometry<R>(_ body: (UnsafePointer<Int64>, UnsafePointer<Int64>, UnsafePointer<Int64>, UnsafePointer<Int64>) -> R) -> R {
        let s = [Int64(strides.0), Int64(strides.1)], d = [Int64(dilations.0 - 1), Int64(dilations.1 - 1)]
        let pe = checkedPadsEnd()
        let l = [Int64(padsBegin.0), Int64(padsBegin.1)], r = [Int64(pe.0), Int64(pe.1)]
        return body(s, d, l, r)
    }

    /// `geometry`, plus a pointer to the bias descriptor, or nil without a bias.
    private func geometry<R>(bias: dnnl_memory_desc_t,
                             _ body: (UnsafePointer<dnnl_memory_desc_t>?, UnsafePointer<Int64>, UnsafePointer<Int64>,
                                      UnsafePointer<Int64>, UnsafePointer<Int64>) -> R) -> R {
        var md = bias
        return withUnsafePointer(to: &md) { pointer in geometry { s, d, l, r in body(hasBias ? pointer : nil, s, d, l, r) } }
    }

    private var plainSource: dnnl_memory_desc_t { DNNL.memoryDescriptor(sourceDims, inputLayout.tag) }
    private var plainDestination: dnnl_memory_desc_t { DNNL.memoryDescriptor(destinationDims, layout.tag) }
    private var plainBias: dnnl_memory_desc_t { DNNL.memoryDescriptor([outChannels], dnnl_x) }

    private var name: String { "\(transposed ? "transposed convolution" : "convolution") \(dims)" }

    /// The forward primitive: arguments src, weights, (bias,) dst.
    func forward(threads: Int) -> DNNLPrimitive {
        DNNLCache.primitive(DNNLKey(operation: transposed ? .deconvolutionForward : .convolutionForward, dims: dims, threads: threads)) {
            makeForward()
        }
    }

    /// The inference forward primitive, with `activation` fused as a post-op: arguments src,
    /// weights, (bias,) dst. Also returns its key (the weight cache files reordered weights under it).
    func inference(threads: Int, activation: ConvolutionActivation?) -> (DNNLPrimitive, DNNLKey) {
        let key = DNNLKey(operation: transposed ? .deconvolutionInference : .convolutionInference, dims: dims, threads: threads,
                          activation: activation)
        return (DNNLCache.primitive(key) { makeForward(propagation: dnnl_forward_inference, activation: activation) }, key)
    }

    /// Channels-last maps go to the primitive as they are, unless only oneDNN's reference
    /// implementation takes them so (thousands of times slower): then, as channels-first maps
    /// always do, in whatever layout oneDNN prefers, reordered around the call.
    private func makeForward(propagation: dnnl_prop_kind_t = dnnl_forward_training,
                             activation: ConvolutionActivation? = nil) -> DNNLPrimitive {
        if layout == .channelsLast && inputLayout == .channelsFirst,
           let direct = makeFirstLayer(propagation: propagation, activation: activation) {
            return direct
        }
        if layout == .channelsLast && inputLayout == .channelsLast {
            let fixed = makeForward(propagation: propagation, activation: activation, source: plainSource, destination: plainDestination)
            if !fixed.implementation.hasPrefix("ref") { return fixed }
        }
        return makeForward(propagation: propagation, activation: activation, source: DNNL.anyDescriptor(sourceDims),
                           destination: DNNL.anyDescriptor(destinationDims))
    }

    /// A first layer from a channels-first image to a channels-last map without reordering
    /// either. oneDNN has no fast kernel from `nchw` to `nhwc` (only its reference one), but its
    /// first-layer kernel reads `nchw` with few channels and writes `nChw16c`, which for exactly
    /// 16 output channels is [N, H, W, 16] byte for byte (MobileNetV3's stem: that saves the
    /// reorder of the whole input batch). Nil where that is not what oneDNN picks.
    private func makeFirstLayer(propagation: dnnl_prop_kind_t, activation: ConvolutionActivation?) -> DNNLPrimitive? {
        guard outChannels == 16, groups == 1, !transposed else { return nil }
        // Our buffer is described as nChw16c: where oneDNN chooses that, the output needs no reorder.
        let primitive = makeForward(propagation: propagation, activation: activation, source: plainSource,
                                    destination: DNNL.anyDescriptor(destinationDims),
                                    plainDestination: DNNL.memoryDescriptor(destinationDims, dnnl_nChw16c))
        let direct = primitive.arguments.allSatisfy { ($0.index != DNNL_ARG_SRC && $0.index != DNNL_ARG_DST) || $0.reorder == nil }
        return direct && !primitive.implementation.hasPrefix("ref") ? primitive : nil
    }

    /// The forward primitive with x and the output described as `source` and `destination`
    /// (fixed layouts or "any"); our buffers are in the plain layouts, the output's in
    /// `plainDestination` if given.
    private func makeForward(propagation: dnnl_prop_kind_t, activation: ConvolutionActivation?, source: dnnl_memory_desc_t,
                             destination: dnnl_memory_desc_t, plainDestination ours: dnnl_memory_desc_t? = nil) -> DNNLPrimitive {
        var src = source, wei = DNNL.anyDescriptor(weightsDims)
        var bias = DNNL.anyDescriptor([outChannels]), dst = destination
        var plain: [(index: Int32, layout: dnnl_memory_desc_t, isOutput: Bool)] = [
            (DNNL_ARG_SRC, plainSource, false), (DNNL_ARG_WEIGHTS, weightsLayout, false)]
        if hasBias { plain.append((DNNL_ARG_BIAS, plainBias, false)) }
        plain.append((DNNL_ARG_DST, ours ?? plainDestination, true))
        if transposed {
            var desc = dnnl_deconvolution_desc_t()
            geometry(bias: bias) { biasPointer, s, d, l, r in
                DNNL.check(dnnl_dilated_deconvolution_forward_desc_init(&desc, propagation, dnnl_deconvolution_direct,
                                                                        &src, &wei, biasPointer, &dst, s, d, l, r),
                           "describing \(name)")
            }
            return DNNLPrimitive(operation: &desc, plain: plain, activation: activation, what: name)
        }
        var desc = dnnl_convolution_desc_t()
        geometry(bias: bias) { biasPointer, s, d, l, r in
            DNNL.check(dnnl_dilated_convolution_forward_desc_init(&desc, propagation, dnnl_convolution_direct,
                                                                  &src, &wei, biasPointer, &dst, s, d, l, r),
                       "describing \(name)")
        }
        return DNNLPrimitive(operation: &desc, plain: plain, activation: activation, what: name)
    }

    /// The input gradient: arguments diff_dst, weights, diff_src.
    func backwardData(threads: Int) -> DNNLPrimitive {
        DNNLCache.primitive(DNNLKey(operation: transposed ? .deconvolutionBackwardData : .convolutionBackwardData, dims: dims, threads: threads)) {
            let hint = forward(threads: threads)
            var diffSrc = DNNL.anyDescriptor(sourceDims), wei = DNNL.anyDescriptor(weightsDims), diffDst = DNNL.anyDescriptor(destinationDims)
            let plain: [(index: Int32, layout: dnnl_memory_desc_t, isOutput: Bool)] = [
                (DNNL_ARG_DIFF_DST, plainDestination, false), (DNNL_ARG_WEIGHTS, weightsLayout, false),
                (DNNL_ARG_DIFF_SRC, plainSource, true)]
            if transposed {
                var desc = dnnl_deconvolution_desc_t()
                geometry { s, d, l, r in
                    DNNL.check(dnnl_dilated_deconvolution_backward_data_desc_init(&desc, dnnl_deconvolution_direct, &diffSrc, &wei, &diffDst,
                                                                                  s, d, l, r), "describing \(name), backward data")
                }
                return DNNLPrimitive(operation: &desc, hint: hint, plain: plain, what: name + " backward data")
            }
            var desc = dnnl_convolution_desc_t()
            geometry { s, d, l, r in
                DNNL.check(dnnl_dilated_convolution_backward_data_desc_init(&desc, dnnl_convolution_direct, &diffSrc, &wei, &diffDst,
                                                                            s, d, l, r), "describing \(name), backward data")
            }
            return DNNLPrimitive(operation: &desc, hint: hint, plain: plain, what: name + " backward data")
        }
    }

    /// The weight (and bias, if `hasBias`) gradient: arguments src, diff_dst, diff_weights
    /// (, diff_bias).
    func backwardWeights(threads: Int) -> DNNLPrimitive {
        DNNLCache.primitive(DNNLKey(operation: transposed ? .deconvolutionBackwardWeights : .convolutionBackwardWeights, dims: dims,
                                    threads: threads)) {
            let hint = forward(threads: threads)
            var src = DNNL.anyDescriptor(sourceDims), diffWei = DNNL.anyDescriptor(weightsDims)
            var diffBias = DNNL.anyDescriptor([outChannels]), diffDst = DNNL.anyDescriptor(destinationDims)
            var plain: [(index: Int32, layout: dnnl_memory_desc_t, isOutput: Bool)] = [
                (DNNL_ARG_SRC, plainSource, false), (DNNL_ARG_DIFF_DST, plainDestination, false),
                (DNNL_ARG_DIFF_WEIGHTS, weightsLayout, true)]
            if hasBias { plain.append((DNNL_ARG_DIFF_BIAS, plainBias, true)) }
            if transposed {
                var desc = dnnl_deconvolution_desc_t()
                geometry(bias: diffBias) { biasPointer, s, d, l, r in
                    DNNL.check(dnnl_dilated_deconvolution_backward_weights_desc_init(&desc, dnnl_deconvolution_direct, &src, &diffWei,
                                                                                     biasPointer, &diffDst, s, d, l, r),
                               "describing \(name), backward weights")
                }
                return DNNLPrimitive(operation: &desc, hint: hint, plain: plain, what: name + " backward weights")
            }
            var desc = dnnl_convolution_desc_t()
            geometry(bias: diffBias) { biasPointer, s, d, l, r in
                DNNL.check(dnnl_dilated_convolution_backward_weights_desc_init(&desc, dnnl_convolution_direct, &src, &diffWei,
                                                                               biasPointer, &diffDst, s, d, l, r),
                           "describing \(name), backward weights")
            }
            return DNNLPrimitive(operation: &desc, hint: hint, plain: plain, what: name + " backward weights")
        }
    }
}
