/// Convolutions of small maps through a channels-last column matrix.
///
/// On 8×8 and 4×4 outputs, im2col of [C, H, W] images copies runs of one output row: 4–8 floats
/// per call, and its adjoint adds them back as scattered short runs. Here each image is first
/// transposed into a zero-padded [H + 2p, W + 2p, C] buffer. The column matrix then has one row
/// per output position, K = KH·KW·C long, ordered (kernel row, kernel column, channel): at
/// dilation 1 a kernel row's KW taps are neighbouring pixels, so a column row is KH runs of KW·C
/// contiguous floats (256–512 on the autoencoder's small maps), and its adjoint adds the same
/// runs back. Weights are reordered per call to [O, KH, KW, C] so that one product still does the
/// whole convolution.
extension ConvGeometry {
    var channelsLastHeight: Int { height + 2 * padding }
    var channelsLastWidth: Int { width + 2 * padding }
    /// Floats of one padded channels-last image.
    var channelsLastCount: Int { channelsLastHeight * channelsLastWidth * channels }

    /// Enough channels that a run is long, and a map small enough that im2col's runs are short.
    func usesChannelsLast(outChannels: Int) -> Bool {
        let context = ExecutionContext.current
        return context.channelsLastConvolutions && !isPointwise && !isShiftable(outChannels: outChannels)
            && channels >= context.channelsLastMinimumChannels && outW <= context.channelsLastMaximumOutputWidth
    }

    /// Copies `image` [C, H, W] into `padded` [H + 2p, W + 2p, C], zeros around it.
    func toChannelsLast(_ image: UnsafePointer<Float>, _ padded: UnsafeMutablePointer<Float>) {
        let plane = height * width, pw = channelsLastWidth
        padded.update(repeating: 0, count: channelsLastCount)
        for y in 0..<height {
            for x in 0..<width {
                let dst = padded + ((y + padding) * pw + x + padding) * channels, src = image + (y * width + x)
                for c in 0..<channels { dst[c] = src[c * plane] }
            }
        }
    }

    /// Writes the inside of `padded` [H + 2p, W + 2p, C] to `image` [C, H, W].
    func fromChannelsLast(_ padded: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>) {
        let plane = height * width, pw = channelsLastWidth
        for y in 0..<height {
            for x in 0..<width {
                let src = padded + ((y + padding) * pw + x + padding) * channels, dst = image + (y * width + x)
                for c in 0..<channels { dst[c * plane] = src[c] }
            }
        }
    }

    /// Calls `body(row, source, length)` for every contiguous run of the column matrix: `row` is
    /// the output position, `source` the run's offset in the padded image, and the run fills
    /// columns from `column` of the row.
    @inline(__always)
    private func forEachRun(_ body: (_ row: Int, _ column: Int, _ source: Int, _ length: Int) -> Void) {
        let pw = channelsLastWidth
        // Dilation 1: a kernel row is one run of KW·C floats; otherwise KW runs of C.
        let (runs, length) = dilation == 1 ? (1, kernelW * channels) : (kernelW, channels)
        for oh in 0..<outH {
            for ow in 0..<outW {
                let row = oh * outW + ow
                for kh in 0..<kernelH {
                    let start = ((oh * stride + kh * dilation) * pw + ow * stride) * channels
                    for r in 0..<runs {
                        body(row, (kh * runs + r) * length, start + r * dilation * channels, length)
                    }
                }
            }
        }
    }

    /// Column matrix [count·positions, KH·KW·C] of `count` consecutive images [C, H, W], each
    /// transposed into `padded` (`channelsLastCount` floats) first.
    func channelsLastColumns(_ images: UnsafePointer<Float>, count: Int, padded: UnsafeMutablePointer<Float>,
                             into cols: UnsafeMutablePointer<Float>) {
        let k = rows
        for j in 0..<count {
            toChannelsLast(images + j * channels * height * width, padded)
            let image = cols + j * positions * k
            forEachRun { row, column, source, length in
                (image + (row * k + column)).update(from: padded + source, count: length)
            }
        }
    }

    /// Adds one image's column matrix back onto a padded channels-last image: the adjoint of
    /// `channelsLastColumns`.
    func addChannelsLastColumns(_ cols: UnsafePointer<Float>, _ padded: UnsafeMutablePointer<Float>) {
        let k = rows
        forEachRun { row, column, source, length in
            let src = cols + (row * k + column), dst = padded + source
            for i in 0..<length { dst[i] += src[i] }
        }
    }
}

extension Tensor {
    /// Weights [O, C, KH, KW] as [O, KH, KW, C], or back (`inverse`).
    static func channelsLastWeights(_ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                    outChannels: Int, geo: ConvGeometry, inverse: Bool = false) {
        let taps = geo.kernelH * geo.kernelW, c = geo.channels
        reorderWeights(w, out, outChannels: outChannels, inChannels: c, taps: taps, inverse: inverse) { o, ci, t in
            (o * taps + t) * c + ci
        }
    }

    /// Forward: per group of images, the column matrix and one product Wᶜˡ · colsᵀ. With
    /// `keeping` (groups·group·P·K floats), group gi's columns stay at gi·group·P·K.
    static func convolveChannelsLast(_ x: Tensor, weight: Tensor, bias: Tensor?, geo: ConvGeometry, group: Int,
                                     keeping kept: Tensor? = nil) -> Tensor {
        let n = x.shape[0], outC = weight.shape[0]
        let k = geo.rows, p = geo.positions, inSize = geo.channels * geo.height * geo.width
        let groups = (n + group - 1) / group
        let out = Tensor(uninitializedShape: [n, outC, geo.outH, geo.outW])
        let wl = Tensor(uninitializedShape: [outC, k])
        channelsLastWeights(weight.storage.pointer, wl.storage.pointer, outChannels: outC, geo: geo)
        let px = x.storage.pointer, pw = wl.storage.pointer, po = out.storage.pointer
        let pb = bias?.storage.pointer, pk = kept?.storage.pointer

        Parallel.chunks(groups) { _, range in
            let ownCount = pk == nil ? group * p * k : 1, tmpCount = outC * group * p
            let own = Memory.allocateFloats(ownCount), tmp = Memory.allocateFloats(tmpCount)
            let padded = Memory.allocateFloats(geo.channelsLastCount)
            defer {
                Memory.free(own, count: ownCount); Memory.free(tmp, count: tmpCount)
                Memory.free(padded, count: geo.channelsLastCount)
            }
            for gi in range {
                let first = gi * group, count = min(group, n - first), ld = count * p
                let cols = pk.map { $0 + gi * group * p * k } ?? own
                geo.channelsLastColumns(px + first * inSize, count: count, padded: padded, into: cols)
                gemm(transA: false, transB: true, m: outC, n: ld, k: k, a: pw, lda: k, b: cols, ldb: k, c: tmp, ldc: ld, split: false)
                scatterGroup(tmp, channels: outC, positions: p, first: first, count: count, bias: pb, into: po)
            }
        }
        return out
    }

    /// Weight gradient: per group dWᶜˡ += G · cols, accumulated per worker, the workers' sums
    /// added and reordered to [O, C, KH, KW] at the end. `columns` are the forward's, if it kept
    /// them; otherwise they are built again.
    static func channelsLastWeightGradient(_ g: Tensor, x: Tensor, weightShape: [Int], geo: ConvGeometry, group: Int,
                                           columns: Tensor?) -> Tensor {
        let n = x.shape[0], outC = weightShape[0]
        let k = geo.rows, p = geo.positions, inSize = geo.channels * geo.height * geo.width
        let groups = (n + group - 1) / group
        let px = x.storage.pointer, pg = g.storage.pointer, pk = columns?.storage.pointer
        let total = summedOverWorkers(groups: groups, shape: [outC, k]) { range, pdw in
            let colsCount = pk == nil ? group * p * k : 1, goutCount = group > 1 ? outC * group * p : 1
            let cols = Memory.allocateFloats(colsCount), gout = Memory.allocateFloats(goutCount)
            let paddedCount = pk == nil ? geo.channelsLastCount : 1
            let padded = Memory.allocateFloats(paddedCount)
            defer { Memory.free(cols, count: colsCount); Memory.free(gout, count: goutCount); Memory.free(padded, count: paddedCount) }
            for gi in range {
                let first = gi * group, count = min(group, n - first), ld = count * p
                let gmat = groupMatrix(pg, channels: outC, positions: p, first: first, count: count, buffer: gout)
                var b = UnsafePointer(cols)
                if let pk { b = UnsafePointer(pk + gi * group * p * k) } else {
                    geo.channelsLastColumns(px + first * inSize, count: count, padded: padded, into: cols)
                }
                gemm(transA: false, transB: false, m: outC, n: k, k: ld, a: gmat, lda: ld, b: b, ldb: k,
                     beta: 1, c: pdw, ldc: k, split: false)
            }
        }
        let gw = Tensor(uninitializedShape: weightShape)
        channelsLastWeights(total.storage.pointer, gw.storage.pointer, outChannels: outC, geo: geo, inverse: true)
        return gw
    }

    /// Input gradient: per group the column gradient Gᵀ · Wᶜˡ, each image's rows added back onto
    /// a zeroed padded image, which is then transposed into the input gradient.
    static func channelsLastInputGradient(_ g: Tensor, weight: Tensor, geo: ConvGeometry, group: Int) -> Tensor {
        let n = g.shape[0], outC = weight.shape[0]
        let k = geo.rows, p = geo.positions, inSize = geo.channels * geo.height * geo.width
        let groups = (n + group - 1) / group
        let wl = Tensor(uninitializedShape: [outC, k])
        channelsLastWeights(weight.storage.pointer, wl.storage.pointer, outChannels: outC, geo: geo)
        let gx = Tensor(uninitializedShape: [n, geo.channels, geo.height, geo.width])
        let pw = wl.storage.pointer, pg = g.storage.pointer, pgx = gx.storage.pointer

        Parallel.chunks(groups) { _, range in
            let colsCount = group * p * k, goutCount = group > 1 ? outC * group * p : 1
            let cols = Memory.allocateFloats(colsCount), gout = Memory.allocateFloats(goutCount)
            let padded = Memory.allocateFloats(geo.channelsLastCount)
            defer {
                Memory.free(cols, count: colsCount); Memory.free(gout, count: goutCount)
                Memory.free(padded, count: geo.channelsLastCount)
            }
            for gi in range {
                let first = gi * group, count = min(group, n - first), ld = count * p
                let gmat = groupMatrix(pg, channels: outC, positions: p, first: first, count: count, buffer: gout)
                gemm(transA: true, transB: false, m: ld, n: k, k: outC, a: gmat, lda: ld, b: pw, ldb: k, c: cols, ldc: k,
                     split: false)
                for j in 0..<count {
                    padded.update(repeating: 0, count: geo.channelsLastCount)
                    geo.addChannelsLastColumns(cols + j * p * k, padded)
                    geo.fromChannelsLast(padded, pgx + (first + j) * inSize)
                }
            }
        }
        return gx
    }
}
