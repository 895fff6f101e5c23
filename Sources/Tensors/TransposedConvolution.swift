// Transposed convolution: the adjoint of conv2d, so it reuses the same im2col geometry with the
// roles of input and output swapped (the geometry describes a conv from our output to our input).
extension Tensor {
    /// x [N, Cin, H, W], weight [Cin, Cout, KH, KW] (PyTorch's ConvTranspose2d layout), bias [Cout].
    /// Output size (H−1)·stride − 2·padding + dilation·(KH−1) + outputPadding + 1.
    public static func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
                                       padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1) -> Tensor {
        precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[0],
                     "convTranspose2d: input \(x.shape) does not fit weight \(weight.shape) (want [N, Cin, H, W] and [Cin, Cout, KH, KW])")
        precondition(outputPadding >= 0 && outputPadding < Swift.max(stride, dilation), "convTranspose2d: outputPadding too large")
        let (h, w, kh, kw) = (x.shape[2], x.shape[3], weight.shape[2], weight.shape[3])
        let oh = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + outputPadding + 1
        let ow = (w - 1) * stride - 2 * padding + dilation * (kw - 1) + outputPadding + 1
        precondition(oh > 0 && ow > 0, "convTranspose2d: empty output for input \(x.shape)")
        if let bias { precondition(bias.shape == [weight.shape[1]], "convTranspose2d: bias \(bias.shape) for \(weight.shape[1]) channels") }
        let shape = ConvolutionShape(batch: x.shape[0], inChannels: x.shape[1], height: h, width: w, outChannels: weight.shape[1],
                                     outHeight: oh, outWidth: ow, kernel: (kh, kw), strides: (stride, stride),
                                     padsBegin: (padding, padding), padsEnd: (padding, padding), dilations: (dilation, dilation),
                                     groups: 1, hasBias: bias != nil, transposed: true)
        let (out, backward) = shape.backend.forward(shape, x: x, weight: weight, bias: bias)
        return backward.record(out, x: x, weight: weight, bias: bias)
    }

    /// The reference transposed convolution (one group of channels): per image a product Wᵀ·x
    /// folded onto the output (col2im), and its gradient kernels: per image the output
    /// gradient's column matrix (im2col) times the weights for the input, times the input for
    /// the weights. `geo` is the convolution from the output back to x.
    static func transposedColumns(_ x: Tensor, weight: Tensor, bias: Tensor?, geo: ConvGeometry) -> (Tensor, ConvolutionBackward) {
        let n = x.shape[0], inC = x.shape[1], outC = geo.channels, oh = geo.height, ow = geo.width
        let rows = geo.rows, p = geo.positions, outSize = outC * oh * ow
        let out = Tensor(shape: [n, outC, oh, ow], repeating: 0)
        let px = x.storage.pointer, pw = weight.storage.pointer, po = out.storage.pointer
        let pb = bias?.storage.pointer
        Parallel.chunks(n) { _, range in
            let buffers = PooledFloats(rows * p, geo.scratchCount)
            defer { buffers.release() }
            let (cols, scratch) = (buffers[0], buffers[1])
            for i in range {
                gemm(transA: true, transB: false, m: rows, n: p, k: inC, a: pw, lda: rows,
                     b: px + i * inC * p, ldb: p, c: cols, ldc: p)
                geo.col2im(cols, ld: p, po + i * outSize, scratch: scratch)
                if let pb {
                    for c in 0..<outC { let v = pb[c], plane = po + i * outSize + c * oh * ow; for j in 0..<(oh * ow) { plane[j] += v } }
                }
            }
        }
        let xv = x.detached, wv = weight.detached
        // Calls `body(worker, image, columns)` with the column matrix of each image's output gradient.
        func forEachGradientColumns(_ g: Tensor, _ body: (_ worker: Int, _ image: Int, _ cols: UnsafeMutablePointer<Float>) -> Void) {
            let pg = g.storage.pointer
            Parallel.chunks(n) { worker, range in
                let buffers = PooledFloats(rows * p, geo.scratchCount)
                defer { buffers.release() }
                let (cols, scratch) = (buffers[0], buffers[1])
                for i in range {
                    geo.im2col(pg + i * outSize, cols, ld: p, scratch: scratch)
                    body(worker, i, cols)
                }
            }
        }
        return (out, ConvolutionBackward(inputGradient: { g in
            let gx = Tensor(uninitializedShape: xv.shape), pgx = gx.storage.pointer, pwv = wv.storage.pointer
            forEachGradientColumns(g) { _, i, cols in
                gemm(transA: false, transB: false, m: inC, n: p, k: rows, a: pwv, lda: rows, b: cols, ldb: p, c: pgx + i * inC * p, ldc: p)
            }
            return gx
        }, weightGradient: { g, _ in
            let partials = (0..<Parallel.workers).map { _ in Tensor(shape: [inC, rows], repeating: 0) }
            let pxv = xv.storage.pointer
            forEachGradientColumns(g) { worker, i, cols in
                gemm(transA: false, transB: true, m: inC, n: rows, k: p, a: pxv + i * inC * p, lda: p,
                     b: cols, ldb: p, beta: 1, c: partials[worker].storage.pointer, ldc: rows)
            }
            return (summed(partials).reshaped(wv.shape), nil)
        }))
    }
}
