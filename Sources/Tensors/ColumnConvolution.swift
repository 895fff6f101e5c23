// The reference convolution's kernels (one group of channels): per group of images one column
// matrix [C·KH·KW, count·P] (im2col) and one product with the weights [O, C·KH·KW]; the groups of
// images are spread over the cores, each product on one thread. The weight gradient reads the
// forward's column matrices where it kept them.
extension ConvGeometry {
    /// Writes the column matrix of `count` consecutive images [C, H, W] (from `images`) into
    /// `cols` (row stride count·positions), using `scratch` for strided kernels. A pointwise
    /// kernel's rows are the images' channels.
    func columnMatrix(_ images: UnsafePointer<Float>, count: Int, into cols: UnsafeMutablePointer<Float>,
                      scratch: UnsafeMutablePointer<Float>?) {
        let ld = count * positions, inSize = channels * height * width
        for j in 0..<count {
            if isPointwise {
                for r in 0..<rows { (cols + r * ld + j * positions).update(from: images + j * inSize + r * positions, count: positions) }
            } else {
                im2col(images + j * inSize, cols + j * positions, ld: ld, scratch: scratch)
            }
        }
    }
}

extension Tensor {
    /// The forward computation, without recording: im2col + one product per group of images.
    /// With `keeping`, group gi's columns are written at offset gi·group·rows·positions of it.
    static func convolveColumns(_ x: Tensor, weight: Tensor, bias: Tensor?, geo: ConvGeometry, group: Int,
                                keeping kept: Tensor? = nil) -> Tensor {
        let n = x.shape[0], outC = weight.shape[0]
        let k = geo.rows, p = geo.positions, inSize = geo.channels * geo.height * geo.width
        let groups = (n + group - 1) / group
        let out = Tensor(uninitializedShape: [n, outC, geo.outH, geo.outW])
        let px = x.storage.pointer, pw = weight.storage.pointer, po = out.storage.pointer
        let pb = bias?.storage.pointer, pk = kept?.storage.pointer

        Parallel.chunks(groups) { _, range in
            let ownCount = (geo.isPointwise && group == 1) || pk != nil ? 1 : k * group * p
            let tmpCount = group > 1 ? outC * group * p : 1
            let buffers = PooledFloats(ownCount, tmpCount, geo.scratchCount)
            defer { buffers.release() }
            let (own, tmp, scratch) = (buffers[0], buffers[1], buffers[2])
            for gi in range {
                let first = gi * group, count = min(group, n - first), ld = count * p
                let cols = pk.map { $0 + gi * group * k * p } ?? own
                var b: UnsafePointer<Float> = UnsafePointer(cols)
                if geo.isPointwise && count == 1 { b = UnsafePointer(px + first * inSize) } else {
                    geo.columnMatrix(px + first * inSize, count: count, into: cols, scratch: scratch)
                }
                let c = count == 1 ? po + first * outC * p : tmp
                gemm(transA: false, transB: false, m: outC, n: ld, k: k, a: pw, lda: k, b: b, ldb: ld, c: c, ldc: ld)
                if count > 1 || pb != nil {
                    scatterGroup(c, channels: outC, positions: p, first: first, count: count, bias: pb, into: po)
                }
            }
        }
        return out
    }

    /// Weight gradient: per group G·colsᵀ, accumulated per worker and the workers' sums added at
    /// the end. `columns` are the forward's, if it kept them; otherwise they are built again.
    static func columnsWeightGradient(_ g: Tensor, x: Tensor, weightShape: [Int], geo: ConvGeometry, group: Int,
                                      columns: Tensor?) -> Tensor {
        let n = x.shape[0], outC = weightShape[0]
        let k = geo.rows, p = geo.positions, inSize = geo.channels * geo.height * geo.width
        let groups = (n + group - 1) / group
        let px = x.storage.pointer, pg = g.storage.pointer, pk = columns?.storage.pointer
        return summedOverWorkers(groups: groups, shape: [outC, k]) { range, pdw in
            forEachGradientGroup(range, of: pg, images: n, outChannels: outC, geo: geo, group: group,
                                 columns: pk == nil ? k * group * p : 1) { gi, first, count, gmat, cols, scratch in
                let ld = count * p
                var b: UnsafePointer<Float> = UnsafePointer(cols)
                if let pk { b = UnsafePointer(pk + gi * group * k * p) }
                else if geo.isPointwise && count == 1 { b = UnsafePointer(px + first * inSize) }
                else { geo.columnMatrix(px + first * inSize, count: count, into: cols, scratch: scratch) }
                gemm(transA: false, transB: true, m: outC, n: k, k: ld, a: gmat, lda: ld, b: b, ldb: ld, beta: 1, c: pdw, ldc: k)
            }
        }.reshaped(weightShape)
    }

    /// Input gradient. At stride 1 with at most "full" padding it is itself a convolution
    /// (`inputGradientByConvolution`); otherwise per group the column gradient Wᵀ·G, folded back
    /// onto the images (col2im) that its worker zeroed first.
    static func columnsInputGradient(_ g: Tensor, weight: Tensor, geo: ConvGeometry, group: Int) -> Tensor {
        if geo.strideH == 1 && geo.strideW == 1 && !geo.isPointwise
            && geo.padTop <= geo.dilationH * (geo.kernelH - 1) && geo.padLeft <= geo.dilationW * (geo.kernelW - 1) {
            return inputGradientByConvolution(g, weight: weight, geo: geo)
        }
        let n = g.shape[0], outC = weight.shape[0]
        let k = geo.rows, p = geo.positions, inSize = geo.channels * geo.height * geo.width
        let groups = (n + group - 1) / group
        let gx = Tensor(uninitializedShape: [n, geo.channels, geo.height, geo.width])
        let pw = weight.storage.pointer, pg = g.storage.pointer, pgx = gx.storage.pointer

        Parallel.chunks(groups) { _, range in
            forEachGradientGroup(range, of: pg, images: n, outChannels: outC, geo: geo, group: group,
                                 columns: k * group * p) { _, first, count, gmat, cols, scratch in
                let ld = count * p, images = pgx + first * inSize
                images.update(repeating: 0, count: count * inSize)
                if geo.isPointwise && count == 1 {
                    gemm(transA: true, transB: false, m: k, n: ld, k: outC, a: pw, lda: k, b: gmat, ldb: ld, beta: 1, c: images, ldc: ld)
                    return
                }
                gemm(transA: true, transB: false, m: k, n: ld, k: outC, a: pw, lda: k, b: gmat, ldb: ld, c: cols, ldc: ld)
                for j in 0..<count {
                    let image = images + j * inSize
                    if geo.isPointwise {
                        for r in 0..<k {
                            let d = image + r * p, s = cols + r * ld + j * p
                            for i in 0..<p { d[i] += s[i] }
                        }
                    } else {
                        geo.col2im(cols + j * p, ld: ld, image, scratch: scratch)
                    }
                }
            }
        }
        return gx
    }

    /// Calls `body(gi, first, count, gmat, cols, scratch)` for each group `gi` of images in
    /// `range` (images first..<first+count): `gmat` is the group's output gradient as one matrix
    /// [O, count·P] (`groupMatrix`), `cols` (`columns` floats) and `scratch` the worker's buffers.
    private static func forEachGradientGroup(
        _ range: Range<Int>, of g: UnsafePointer<Float>, images n: Int, outChannels outC: Int, geo: ConvGeometry, group: Int,
        columns: Int,
        _ body: (_ gi: Int, _ first: Int, _ count: Int, _ gmat: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>,
                 _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let buffers = PooledFloats(columns, group > 1 ? outC * group * geo.positions : 1, geo.scratchCount)
        defer { buffers.release() }
        for gi in range {
            let first = gi * group, count = min(group, n - first)
            let gmat = groupMatrix(g, channels: outC, positions: geo.positions, first: first, count: count, buffer: buffers[1])
            body(gi, first, count, gmat, buffers[0], buffers[2])
        }
    }

    /// For stride 1, the input gradient is itself a convolution: of the output gradient with the
    /// weights flipped in space and transposed in channels, padded by dilation·(k−1) − padding
    /// before (and whatever gives the input's size after).
    /// That is one well-shaped product (inner size O·KH·KW) instead of a thin one (inner size O)
    /// followed by a scatter-add (col2im).
    static func inputGradientByConvolution(_ g: Tensor, weight: Tensor, geo: ConvGeometry) -> Tensor {
        let outC = weight.shape[0], inC = weight.shape[1], kh = geo.kernelH, kw = geo.kernelW
        let flipped = Tensor(uninitializedShape: [inC, outC, kh, kw])
        let src = weight.storage.pointer, dst = flipped.storage.pointer
        for o in 0..<outC {
            for c in 0..<inC {
                for y in 0..<kh {
                    for x in 0..<kw {
                        dst[((c * outC + o) * kh + (kh - 1 - y)) * kw + (kw - 1 - x)] = src[((o * inC + c) * kh + y) * kw + x]
                    }
                }
            }
        }
        // Output row oh reads input rows oh − padTop + ky·d: input row i gets output rows
        // i + (d·(KH−1) − padTop) − ky'·d of the flipped kernel, a convolution padded by d·(KH−1) − padTop.
        let back = ConvGeometry(channels: outC, height: geo.outH, width: geo.outW, kernel: (kh, kw), strides: (1, 1),
                                padsBegin: (geo.dilationH * (kh - 1) - geo.padTop, geo.dilationW * (kw - 1) - geo.padLeft),
                                dilations: (geo.dilationH, geo.dilationW), outH: geo.height, outW: geo.width)
        return convolveColumns(g, weight: flipped, bias: nil, geo: back, group: groupSize(images: g.shape[0], positions: back.positions))
    }
}
