/// The geometry of one 2-D convolution over a single image, and the im2col / col2im moves that
/// turn it into a matrix product: column matrix [C·KH·KW, HO·WO].
struct ConvGeometry {
    let channels, height, width, kernelH, kernelW, stride, padding, dilation: Int
    let outH, outW: Int

    init(channels: Int, height: Int, width: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int, dilation: Int) {
        (self.channels, self.height, self.width) = (channels, height, width)
        (self.kernelH, self.kernelW, self.stride, self.padding, self.dilation) = (kernelH, kernelW, stride, padding, dilation)
        outH = (height + 2 * padding - dilation * (kernelH - 1) - 1) / stride + 1
        outW = (width + 2 * padding - dilation * (kernelW - 1) - 1) / stride + 1
    }

    var rows: Int { channels * kernelH * kernelW }
    var positions: Int { outH * outW }
    /// A 1×1 kernel at stride 1 without padding reads the image as its own column matrix.
    var isPointwise: Bool { kernelH == 1 && kernelW == 1 && stride == 1 && padding == 0 }

    /// Range of output positions `o` whose input index o·stride − padding + offset is inside 0..<size.
    @inline(__always)
    private func validRange(offset: Int, size: Int, outSize: Int) -> Range<Int> {
        let shift = offset - padding
        // o·stride + shift ≥ 0  and  o·stride + shift ≤ size − 1
        let lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride
        let hiRaw = size - 1 - shift
        let hi = hiRaw < 0 ? -1 : min(outSize - 1, hiRaw / stride)
        return lo <= hi ? lo..<(hi + 1) : 0..<0
    }

    /// Strided kernels read every stride-th input column. Splitting each input row into its
    /// `stride` phases first (columns r, r+s, r+2s, … for r in 0..<s, each padded to `phaseWidth`)
    /// turns those reads into contiguous runs; for stride 1 the split is the image itself.
    var phaseWidth: Int { (width + stride - 1) / stride }
    /// Floats of the per-worker scratch that `im2col` and `col2im` need (0 for stride 1).
    var scratchCount: Int { stride == 1 ? 0 : channels * height * stride * phaseWidth }

    /// Calls `body` once per column-matrix row (channel c, kernel tap kh, kw) with the row's
    /// index, the output rows and columns whose input is inside the image, and the offset in the
    /// phase-split image (rows of `stride`·`phaseWidth`) that output (oh, 0) reads from, less
    /// oh·stride rows. Input column ow·s + kw·d − p lies in phase r at position ow + m.
    @inline(__always)
    private func forEachTap(_ body: (_ row: Int, _ ohRange: Range<Int>, _ owRange: Range<Int>, _ base: Int) -> Void) {
        let rowLength = stride * phaseWidth
        for c in 0..<channels {
            for kh in 0..<kernelH {
                let ohRange = validRange(offset: kh * dilation, size: height, outSize: outH)
                for kw in 0..<kernelW {
                    let owRange = validRange(offset: kw * dilation, size: width, outSize: outW)
                    let iw0 = kw * dilation - padding
                    let r = ((iw0 % stride) + stride) % stride
                    let base = (c * height + kh * dilation - padding) * rowLength + r * phaseWidth + (iw0 - r) / stride
                    body((c * kernelH + kh) * kernelW + kw, ohRange, owRange, base)
                }
            }
        }
    }

    /// Copies `image` [C, H, W] into `split` with each row's `stride` phases side by side, or
    /// (`merging`) adds `split` back onto `image`.
    private func splitPhases(_ image: UnsafeMutablePointer<Float>, _ split: UnsafeMutablePointer<Float>, merging: Bool) {
        let rowLength = stride * phaseWidth
        for row in 0..<(channels * height) {
            let plain = image + row * width, phased = split + row * rowLength
            for r in 0..<stride {
                let part = phased + r * phaseWidth
                var x = r, i = 0
                while x < width {
                    if merging { plain[x] += part[i] } else { part[i] = plain[x] }
                    x += stride; i += 1
                }
            }
        }
    }

    /// Writes the column matrix of `image` [C, H, W] into `cols` (row stride `ld`), using
    /// `scratch` (`scratchCount` floats) for strided kernels.
    func im2col(_ image: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, ld: Int, scratch: UnsafeMutablePointer<Float>?) {
        var split = image
        if stride > 1 {
            splitPhases(UnsafeMutablePointer(mutating: image), scratch!, merging: false)  // only reads `image`
            split = UnsafePointer(scratch!)
        }
        let rowStep = stride * stride * phaseWidth
        // "Same" convolutions at stride 1 (output width = input width): a tap's row is the image
        // plane shifted by a constant offset, so one contiguous copy from its first to its last
        // valid element fills it; what wrapped across a row edge is then zeroed. Rows of 8–32
        // floats are too short for per-row copies to run at memory speed.
        let shifted = stride == 1 && outW == width
        forEachTap { rowIndex, ohRange, owRange, base in
            let row = cols + rowIndex * ld
            if shifted {
                guard !ohRange.isEmpty, !owRange.isEmpty else { row.update(repeating: 0, count: positions); return }
                let first = ohRange.lowerBound * outW + owRange.lowerBound
                let end = (ohRange.upperBound - 1) * outW + owRange.upperBound
                row.update(repeating: 0, count: first)
                (row + first).update(from: split + (base + first), count: end - first)
                (row + end).update(repeating: 0, count: positions - end)
                if owRange.count < outW {
                    for oh in ohRange {
                        let dst = row + oh * outW
                        for ow in 0..<owRange.lowerBound { dst[ow] = 0 }
                        for ow in owRange.upperBound..<outW { dst[ow] = 0 }
                    }
                }
                return
            }
            for oh in 0..<outH {
                let dst = row + oh * outW
                guard ohRange.contains(oh), !owRange.isEmpty else {
                    for ow in 0..<outW { dst[ow] = 0 }
                    continue
                }
                let src = split + (base + oh * rowStep)
                for ow in 0..<owRange.lowerBound { dst[ow] = 0 }
                for ow in owRange { dst[ow] = src[ow] }
                for ow in owRange.upperBound..<outW { dst[ow] = 0 }
            }
        }
    }

    /// Adds the column matrix `cols` (row stride `ld`) back into `image` [C, H, W]: the adjoint
    /// of im2col, with the same `scratch`.
    func col2im(_ cols: UnsafePointer<Float>, ld: Int, _ image: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>?) {
        let split = stride == 1 ? image : scratch!
        if stride > 1 { split.update(repeating: 0, count: scratchCount) }
        let rowStep = stride * stride * phaseWidth
        forEachTap { rowIndex, ohRange, owRange, base in
            let row = cols + rowIndex * ld
            for oh in ohRange {
                let src = row + oh * outW, dst = split + (base + oh * rowStep)
                for ow in owRange { dst[ow] += src[ow] }
            }
        }
        if stride > 1 { splitPhases(image, split, merging: true) }
    }
}

extension Tensor {
    /// 2-D convolution (cross-correlation, as PyTorch): x [N, C, H, W], weight [O, C, KH, KW],
    /// bias [O]. On oneDNN or, if the bound context says so, on one of the OpenBLAS routes
    /// (`ConvolutionRoute`); either way recorded with the one backward rule of
    /// `ConvolutionBackward`.
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                              stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
        precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1],
                     "conv2d: input \(x.shape) does not fit weight \(weight.shape) (want [N, C, H, W] and [O, C, KH, KW])")
        precondition(stride >= 1 && padding >= 0 && dilation >= 1, "conv2d: bad stride/padding/dilation")
        let n = x.shape[0], outC = weight.shape[0]
        let geo = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                               kernelH: weight.shape[2], kernelW: weight.shape[3],
                               stride: stride, padding: padding, dilation: dilation)
        precondition(geo.outH > 0 && geo.outW > 0, "conv2d: kernel larger than the padded input \(x.shape)")
        if let bias { precondition(bias.shape == [outC], "conv2d: bias \(bias.shape) for \(outC) channels") }
        let (out, backward) = ExecutionContext.current.convolutionsOnDNNL
            ? onDNNL(dnnlShape(geo, batch: n, outChannels: outC, hasBias: bias != nil), x: x, weight: weight, bias: bias)
            : onOpenBLAS(x, weight: weight, bias: bias, geo: geo)
        return backward.record(out, x: x, weight: weight, bias: bias)
    }

    /// The forward of `conv2d` on its OpenBLAS route, and the route's gradient kernels with what
    /// they need of the forward.
    private static func onOpenBLAS(_ x: Tensor, weight: Tensor, bias: Tensor?, geo: ConvGeometry) -> (Tensor, ConvolutionBackward) {
        let n = x.shape[0], xv = x.detached, wv = weight.detached
        let route = geo.route(outChannels: wv.shape[0])
        if route == .shifted {
            return (convolveShifted(x, weight: weight, bias: bias, geo: geo), ConvolutionBackward(
                inputGradient: { inputGradientByConvolution($0, weight: wv, geo: geo) },
                weightGradient: { g, _ in (shiftedWeightGradient(g, x: xv, weightShape: wv.shape, geo: geo), nil) }))
        }
        let group = groupSize(images: n, positions: geo.positions)
        // The weight gradient needs the same column matrices: keep them when they are small
        // enough rather than building them twice.
        let keep = Autograd.isRecording && weight.requiresGrad && !geo.isPointwise
            && n * geo.rows * geo.positions <= ExecutionContext.current.keptColumnLimit
        let columns = keep ? Tensor(uninitializedShape: [(n + group - 1) / group * group * geo.rows * geo.positions]) : nil
        if route == .channelsLast {
            return (convolveChannelsLast(x, weight: weight, bias: bias, geo: geo, group: group, keeping: columns), ConvolutionBackward(
                inputGradient: { channelsLastInputGradient($0, weight: wv, geo: geo, group: group) },
                weightGradient: { g, _ in
                    (channelsLastWeightGradient(g, x: xv, weightShape: wv.shape, geo: geo, group: group, columns: columns), nil)
                }))
        }
        return (convolveColumns(x, weight: weight, bias: bias, geo: geo, group: group, keeping: columns), ConvolutionBackward(
            inputGradient: { columnsInputGradient($0, weight: wv, geo: geo, group: group) },
            weightGradient: { g, _ in (columnsWeightGradient(g, x: xv, weightShape: wv.shape, geo: geo, group: group, columns: columns), nil) }))
    }

    /// Images per matrix product: enough for ≥ the context's `groupColumns` columns, at most the
    /// batch.
    static func groupSize(images n: Int, positions p: Int) -> Int {
        Swift.max(1, Swift.min(n, (ExecutionContext.current.groupColumns + p - 1) / p))
    }

    /// Copies weights [O, C, KH·KW] into another order of the same three axes, element (o, c, t)
    /// going to `index(o, c, t)`; with `inverse`, back from that order. The shifted and
    /// channels-last routes each want their own.
    static func reorderWeights(_ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, outChannels: Int,
                               inChannels: Int, taps: Int, inverse: Bool = false, index: (Int, Int, Int) -> Int) {
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                for t in 0..<taps {
                    let standard = (o * inChannels + c) * taps + t, other = index(o, c, t)
                    if inverse { out[standard] = w[other] } else { out[other] = w[standard] }
                }
            }
        }
    }

    /// Images first..<first+count of a batch [n, C, P] as one matrix [C, count·P], image j's
    /// channel c at row c, columns j·P..<(j+1)·P: a group's operand for one product. One image is
    /// that matrix as it lies in the batch; several are copied into `buffer`.
    static func groupMatrix(_ batch: UnsafePointer<Float>, channels: Int, positions p: Int, first: Int, count: Int,
                            buffer: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        guard count > 1 else { return batch + first * channels * p }
        let ld = count * p
        for j in 0..<count {
            for c in 0..<channels { (buffer + c * ld + j * p).update(from: batch + ((first + j) * channels + c) * p, count: p) }
        }
        return UnsafePointer(buffer)
    }

    /// A group's product [C, count·P] back into images first..<first+count of a batch [n, C, P],
    /// plus a per-channel bias. `matrix` may be the batch's own group when count is 1.
    static func scatterGroup(_ matrix: UnsafePointer<Float>, channels: Int, positions p: Int, first: Int, count: Int,
                             bias: UnsafePointer<Float>?, into batch: UnsafeMutablePointer<Float>) {
        let ld = count * p
        for j in 0..<count {
            for c in 0..<channels {
                let dst = batch + ((first + j) * channels + c) * p, src = matrix + c * ld + j * p
                let v: Float = bias?[c] ?? 0
                for i in 0..<p { dst[i] = src[i] + v }
            }
        }
    }

    /// A weight gradient summed over `groups` groups of images on the workers: each worker adds
    /// the products of its groups (`body` gets them and the worker's memory) into its own zeroed
    /// tensor of `shape`, and the workers' tensors are added at the end (`summed`).
    static func summedOverWorkers(groups: Int, shape: [Int],
                                  _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let partials = (0..<Parallel.workers).map { _ in Tensor(shape: shape, repeating: 0) }
        Parallel.chunks(groups) { worker, range in body(range, partials[worker].storage.pointer) }
        return summed(partials)
    }

    /// A weight gradient's per-worker partial sums added in worker order: the order, and so the
    /// bits, depend only on the number of workers.
    static func summed(_ partials: [Tensor]) -> Tensor {
        var total = partials[0]
        for part in partials.dropFirst() { total.addInPlace(part) }
        return total
    }
}
