import CDNNL

/// One 2-D pooling as oneDNN sees it (NCHW in and out), and its forward and backward primitives.
/// Dilations are PyTorch's (1 = dense). Max pooling pads with −∞; average pooling divides by
/// KH·KW (`countIncludePad`) or by the number of window elements inside the input.
struct DNNLPooling {
    enum Algorithm: UInt32 {
        case max, averageIncludingPadding, averageExcludingPadding
        var dnnl: dnnl_alg_kind_t {
            switch self {
            case .max: return dnnl_pooling_max
            case .averageIncludingPadding: return dnnl_pooling_avg_include_padding
            case .averageExcludingPadding: return dnnl_pooling_avg_exclude_padding
            }
        }
    }

    let batch, channels, height, width, outHeight, outWidth: Int
    let kernel, strides, padsBegin, padsEnd, dilations: (Int, Int)
    let algorithm: Algorithm

    var dims: [Int] {
        [batch, channels, height, width, outHeight, outWidth, kernel.0, kernel.1, strides.0, strides.1,
         padsBegin.0, padsBegin.1, padsEnd.0, padsEnd.1, dilations.0, dilations.1]
    }
    var sourceDims: [Int] { [batch, channels, height, width] }
    var destinationDims: [Int] { [batch, channels, outHeight, outWidth] }
    private var name: String { "pooling \(algorithm) \(dims)" }

    private func describe(_ body: (UnsafePointer<Int64>, UnsafePointer<Int64>, UnsafePointer<Int64>, UnsafePointer<Int64>,
                                   UnsafePointer<Int64>) -> Void) {
        let s = [Int64(strides.0), Int64(strides.1)], k = [Int64(kernel.0), Int64(kernel.1)]
        let d = [Int64(dilations.0 - 1), Int64(dilations.1 - 1)]
        let l = [Int64(padsBegin.0), Int64(padsBegin.1)], r = [Int64(padsEnd.0), Int64(padsEnd.1)]
        body(s, k, d, l, r)
    }

    /// The forward primitive (src, dst). For training, max pooling also writes a workspace (the
    /// winners) that the backward primitive reads: `workspaceBytes` of it.
    func forward(threads: Int, training: Bool) -> DNNLPrimitive {
        DNNLCache.primitive(DNNLKey(operation: .poolingForward(algorithm: algorithm.rawValue, training: training), dims: dims,
                                    threads: threads)) {
            var src = DNNL.memoryDescriptor(sourceDims, dnnl_nchw), dst = DNNL.anyDescriptor(destinationDims)
            var desc = dnnl_pooling_v2_desc_t()
            describe { s, k, d, l, r in
                DNNL.check(dnnl_pooling_v2_forward_desc_init(&desc, training ? dnnl_forward_training : dnnl_forward_inference,
                                                             algorithm.dnnl, &src, &dst, s, k, d, l, r), "describing \(name)")
            }
            return DNNLPrimitive(operation: &desc, plain: [
                (DNNL_ARG_SRC, DNNL.memoryDescriptor(sourceDims, dnnl_nchw), false),
                (DNNL_ARG_DST, DNNL.memoryDescriptor(destinationDims, dnnl_nchw), true)], what: name)
        }
    }

    /// The backward primitive (diff_dst, diff_src; and the forward's workspace for max pooling).
    func backward(threads: Int) -> DNNLPrimitive {
        DNNLCache.primitive(DNNLKey(operation: .poolingBackward(algorithm: algorithm.rawValue), dims: dims, threads: threads)) {
            let hint = forward(threads: threads, training: true)
            var diffSrc = DNNL.memoryDescriptor(sourceDims, dnnl_nchw), diffDst = DNNL.memoryDescriptor(destinationDims, dnnl_nchw)
            var desc = dnnl_pooling_v2_desc_t()
            describe { s, k, d, l, r in
                DNNL.check(dnnl_pooling_v2_backward_desc_init(&desc, algorithm.dnnl, &diffSrc, &diffDst, s, k, d, l, r),
                           "describing \(name), backward")
            }
            return DNNLPrimitive(operation: &desc, hint: hint, plain: [
                (DNNL_ARG_DIFF_DST, DNNL.memoryDescriptor(destinationDims, dnnl_nchw), false),
                (DNNL_ARG_DIFF_SRC, DNNL.memoryDescriptor(sourceDims, dnnl_nchw), true)], what: name + " backward")
        }
    }
}
