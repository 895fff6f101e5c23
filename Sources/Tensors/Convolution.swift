/// The geometry of one 2-D convolution over a single image (one group of its channels), and the
/// im2col / col2im moves that turn it into a matrix product: column matrix [C·KH·KW, HO·WO].
/// Strides, dilations and the padding before the first row and column are per axis; the padding
/// after the last only sets the output size.
struct ConvGeometry {
    let channels, height, width, kernelH, kernelW: Int
    let strideH, strideW, padTop, padLeft, dilationH, dilationW: Int
    let outH, outW: Int

    /// A convolution with the same stride, padding and dilation on both axes and on both sides.
    init(channels: Int, height: Int, width: Int, kernelH: Int, kernelW: Int, stride: Int, padding: Int, dilation: Int) {
        self.init(channels: channels, height: height, width: width, kernel: (kernelH, kernelW), strides: (stride, stride),
                  padsBegin: (padding, padding), dilations: (dilation, dilation),
                  outH: (height + 2 * padding - dilation * (kernelH - 1) - 1) / stride + 1,
                  outW: (width + 2 * padding - dilation * (kernelW - 1) - 1) / stride + 1)
    }

    /// A convolution with `outH` × `outW` outputs: the end padding is whatever gives that size
    /// (negative for a transposed convolution's output padding seen from its output).
    init(channels: Int, height: Int, width: Int, kernel: (Int, Int), strides: (Int, Int), padsBegin: (Int, Int),
         dilations: (Int, Int), outH: Int, outW: Int) {
        (self.channels, self.height, self.width, kernelH, kernelW) = (channels, height, width, kernel.0, kernel.1)
        (strideH, strideW, padTop, padLeft, dilationH, dilationW) = (strides.0, strides.1, padsBegin.0, padsBegin.1, dilations.0, dilations.1)
        (self.outH, self.outW) = (outH, outW)
    }

    var rows: Int { channels * kernelH * kernelW }
    var positions: Int { outH * outW }
    /// A 1×1 kernel at stride 1 without padding reads the image as its own column matrix.
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0 && outH == height && outW == width
    }

    /// Range of output positions `o` whose input index o·stride − padding + offset is inside 0..<size.
    @inline(__always)
    private func validRange(offset: Int, size: Int, outSize: Int, stride: Int, padding: Int) -> Range<Int> {
        let shift = offset - padding
        // o·stride + shift ≥ 0  and  o·stride + shift ≤ size − 1
        let lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride
        let hiRaw = size - 1 - shift
        let hi = hiRaw < 0 ? -1 : min(outSize - 1, hiRaw / stride)
        return lo <= hi ? lo..<(hi + 1) : 0..<0
    }

    /// Strided kernels read every stride-th input column. Splitting each input row into its
    /// `strideW` phases first (columns r, r+s, r+2s, … for r in 0..<s, each padded to `phaseWidth`)
    /// turns those reads into contiguous runs; for stride 1 the split is the image itself.
    var phaseWidth: Int { (width + strideW - 1) / strideW }
    /// Floats of the per-worker scratch that `im2col` and `col2im` need (0 for stride 1).
    var scratchCount: Int { strideW == 1 ? 0 : channels * height * strideW * phaseWidth }
    /// Floats from one output row's input rows to the next's, in the phase-split image.
    private var rowStep: Int { strideH * strideW * phaseWidth }

    /// Calls `body` once per column-matrix row (channel c, kernel tap kh, kw) with the row's
    /// index, the output rows and columns whose input is inside the image, and the offset in the
    /// phase-split image (rows of `strideW`·`phaseWidth`) that output (oh, 0) reads from, less
    /// oh·`rowStep`. Input column ow·s + kw·d − p lies in phase r at position ow + m.
    @inline(__always)
    private func forEachTap(_ body: (_ row: Int, _ ohRange: Range<Int>, _ owRange: Range<Int>, _ base: Int) -> Void) {
        let rowLength = strideW * phaseWidth
        for c in 0..<channels {
            for kh in 0..<kernelH {
                let ohRange = validRange(offset: kh * dilationH, size: height, outSize: outH, stride: strideH, padding: padTop)
                for kw in 0..<kernelW {
                    let owRange = validRange(offset: kw * dilationW, size: width, outSize: outW, stride: strideW, padding: padLeft)
                    let iw0 = kw * dilationW - padLeft
                    let r = ((iw0 % strideW) + strideW) % strideW
                    let base = (c * height + kh * dilationH - padTop) * rowLength + r * phaseWidth + (iw0 - r) / strideW
                    body((c * kernelH + kh) * kernelW + kw, ohRange, owRange, base)
                }
            }
        }
    }

    /// Copies `image` [C, H, W] into `split` with each row's `strideW` phases side by side, or
    /// (`merging`) adds `split` back onto `image`.
    private func splitPhases(_ image: UnsafeMutablePointer<Float>, _ split: UnsafeMutablePointer<Float>, merging: Bool) {
        let rowLength = strideW * phaseWidth
        for row in 0..<(channels * height) {
            let plain = image + row * width, phased = split + row * rowLength
            for r in 0..<strideW {
                let part = phased + r * phaseWidth
                var x = r, i = 0
                while x < width {
                    if merging { plain[x] += part[i] } else { part[i] = plain[x] }
                    x += strideW; i += 1
                }
            }
        }
    }

    /// Writes the column matrix of `image` [C, H, W] into `cols` (row stride `ld`), using
    /// `scratch` (`scratchCount` floats) for strided kernels.
    func im2col(_ image: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, ld: Int, scratch: UnsafeMutablePointer<Float>?) {
        var split = image
        if strideW > 1 {
            splitPhases(UnsafeMutablePointer(mutating: image), scratch!, merging: false)  // only reads `image`
            split = UnsafePointer(scratch!)
        }
        // "Same" convolutions at stride 1 (output width = input width): a tap's row is the image
        // plane shifted by a constant offset, so one contiguous copy from its first to its last
        // valid element fills it; what wrapped across a row edge is then zeroed. Rows of 8–32
        // floats are too short for per-row copies to run at memory speed.
        let shifted = strideH == 1 && strideW == 1 && outW == width
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
        let split = strideW == 1 ? image : scratch!
        if strideW > 1 { split.update(repeating: 0, count: scratchCount) }
        forEachTap { rowIndex, ohRange, owRange, base in
            let row = cols + rowIndex * ld
            for oh in ohRange {
                let src = row + oh * outW, dst = split + (base + oh * rowStep)
                for ow in owRange { dst[ow] += src[ow] }
            }
        }
        if strideW > 1 { splitPhases(image, split, merging: true) }
    }
}

extension Tensor {
    /// 2-D convolution (cross-correlation, as PyTorch): x [N, C, H, W], weight [O, C, KH, KW],
    /// bias [O]. On oneDNN or on the reference im2col kernels, as the bound context says
    /// (`ConvolutionShape.backend`); either way recorded with the one backward rule of
    /// `ConvolutionBackward`.
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                              stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
        precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1],
                     "conv2d: input \(x.shape) does not fit weight \(weight.shape) (want [N, C, H, W] and [O, C, KH, KW])")
        precondition(stride >= 1 && padding >= 0 && dilation >= 1, "conv2d: bad stride/padding/dilation")
        let (kh, kw) = (weight.shape[2], weight.shape[3])
        let oh = outputSize(x.shape[2], kernel: kh, stride: stride, begin: padding, end: padding, dilation: dilation)
        let ow = outputSize(x.shape[3], kernel: kw, stride: stride, begin: padding, end: padding, dilation: dilation)
        precondition(oh > 0 && ow > 0, "conv2d: kernel larger than the padded input \(x.shape)")
        if let bias { precondition(bias.shape == [weight.shape[0]], "conv2d: bias \(bias.shape) for \(weight.shape[0]) channels") }
        let shape = ConvolutionShape(batch: x.shape[0], inChannels: x.shape[1], height: x.shape[2], width: x.shape[3],
                                     outChannels: weight.shape[0], outHeight: oh, outWidth: ow, kernel: (kh, kw),
                                     strides: (stride, stride), padsBegin: (padding, padding), padsEnd: (padding, padding),
                                     dilations: (dilation, dilation), groups: 1, hasBias: bias != nil, transposed: false)
        let (out, backward) = shape.backend.forward(shape, x: x, weight: weight, bias: bias)
        return backward.record(out, x: x, weight: weight, bias: bias)
    }

    /// Images per matrix product: enough for ≥ the context's `groupColumns` columns, at most the
    /// batch.
    static func groupSize(images n: Int, positions p: Int) -> Int {
        Swift.max(1, Swift.min(n, (ExecutionContext.current.groupColumns + p - 1) / p))
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
