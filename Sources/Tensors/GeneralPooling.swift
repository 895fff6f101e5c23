// Inference pooling with every parameter ONNX has (asymmetric pads, per-axis kernels and strides,
// dilated max pooling, count_include_pad), on oneDNN primitives cached per shape. Nothing is
// recorded on the tape. Ceil mode is the caller's: enlarge padsEnd until the last window fits.
extension Tensor {
    /// Max pooling of x [N, C, H, W] → [N, C, OH, OW], OH = ⌊(H + padsBegin.0 + padsEnd.0 −
    /// dilations.0·(KH−1) − 1) / strides.0⌋ + 1 (likewise OW). Padding never wins (it is −∞).
    /// Pairs are (height, width).
    public static func maxPool2d(_ x: Tensor, kernel: (Int, Int), strides: (Int, Int), padsBegin: (Int, Int) = (0, 0),
                                 padsEnd: (Int, Int) = (0, 0), dilations: (Int, Int) = (1, 1)) -> Tensor {
        pool(x, .max, kernel: kernel, strides: strides, padsBegin: padsBegin, padsEnd: padsEnd, dilations: dilations, op: "maxPool2d")
    }

    /// Average pooling of x [N, C, H, W] → [N, C, OH, OW] (OH as for `maxPool2d` without
    /// dilation). With `countIncludePad` every window divides by KH·KW, padding counted as zeros
    /// (also the part of padsEnd a caller adds for ceil mode); without, by the number of its
    /// elements inside the input.
    public static func avgPool2d(_ x: Tensor, kernel: (Int, Int), strides: (Int, Int), padsBegin: (Int, Int) = (0, 0),
                                 padsEnd: (Int, Int) = (0, 0), countIncludePad: Bool) -> Tensor {
        pool(x, countIncludePad ? .averageIncludingPadding : .averageExcludingPadding, kernel: kernel, strides: strides,
             padsBegin: padsBegin, padsEnd: padsEnd, dilations: (1, 1), op: "avgPool2d")
    }

    private static func pool(_ x: Tensor, _ algorithm: DNNLPooling.Algorithm, kernel: (Int, Int), strides: (Int, Int),
                             padsBegin: (Int, Int), padsEnd: (Int, Int), dilations: (Int, Int), op: String) -> Tensor {
        precondition(x.rank == 4, "\(op) needs [N, C, H, W], got \(x.shape)")
        checkGeometry(op, kernel: kernel, strides: strides, padsBegin: padsBegin, padsEnd: padsEnd, dilations: dilations)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = outputSize(h, kernel: kernel.0, stride: strides.0, begin: padsBegin.0, end: padsEnd.0, dilation: dilations.0)
        let ow = outputSize(w, kernel: kernel.1, stride: strides.1, begin: padsBegin.1, end: padsEnd.1, dilation: dilations.1)
        precondition(oh > 0 && ow > 0, "\(op): the window \(kernel) is larger than the padded input \(x.shape)")
        // Every window must reach into the input: one entirely in the padding has no element to
        // take the maximum of, or nothing to divide by. (Ceil mode's extra end padding keeps the
        // last window starting inside, as PyTorch and ONNX define it.)
        precondition(padsBegin.0 < dilations.0 * (kernel.0 - 1) + 1 && padsBegin.1 < dilations.1 * (kernel.1 - 1) + 1
                     && (oh - 1) * strides.0 - padsBegin.0 < h && (ow - 1) * strides.1 - padsBegin.1 < w,
                     "\(op): pads \(padsBegin) / \(padsEnd) leave a \(kernel) window with no input element")
        let out = Tensor(uninitializedShape: [n, c, oh, ow])
        guard out.count > 0 else { return out }
        let shape = DNNLPooling(batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow, kernel: kernel,
                                strides: strides, padsBegin: padsBegin, padsEnd: padsEnd, dilations: dilations, algorithm: algorithm)
        let threads = DNNL.threads
        shape.forward(threads: threads, training: false)
            .execute([UnsafeMutableRawPointer(x.storage.pointer), UnsafeMutableRawPointer(out.storage.pointer)], threads: threads)
        return out
    }
}
