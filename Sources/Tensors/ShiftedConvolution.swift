/// "Same" convolutions at stride 1 without a column matrix.
///
/// The input is copied once into a zero-padded buffer [C, L] holding a group of images one after
/// the other: rows of w = W+p floats (the image row, then p zeros, which are also the left
/// padding of the next row), p zero rows after each image (also the top padding of the next),
/// and p rows + p floats of zeros in front. With P = (H+p)·w floats per image, the input pixel
/// (j, y, x) sits at p·w + p + j·P + y·w + x. Outputs are computed on the grid q = j·P + y·w + x,
/// and kernel tap (ky, kx) reads the buffer at q + d·ky·w + d·kx: each tap's input is a plain
/// matrix view of the buffer (leading dimension L) and the convolution is k² accumulating
/// products with inner size C. Grid positions in the padding are computed and discarded (13% for
/// 16×16 maps). Products are cut small enough for OpenBLAS's small-matrix path, which reads
/// them in place: the padded buffer is then the only copy of the input, where im2col wrote k².
extension ConvGeometry {
    /// Square odd kernel at stride 1 with padding d·(k−1)/2, whose padded planes are at most the
    /// context's `shiftedMaximumPlaneRatio` × the image, and enough input channels that a product
    /// of inner size C is worth a call (the RGB layer keeps im2col, inner size 27).
    var isShiftable: Bool {
        let context = ExecutionContext.current
        return stride == 1 && kernelH == kernelW && kernelH % 2 == 1 && kernelH > 1
            && padding == dilation * (kernelH - 1) / 2 && channels >= context.shiftedMinimumChannels
            && Double(paddedPlane) <= context.shiftedMaximumPlaneRatio * Double(height * width) && context.shiftedProducts
    }
    /// Shiftable, and enough output channels: a product with few rows is thin either way, and
    /// im2col's single product has k² times the inner size.
    func isShiftable(outChannels: Int) -> Bool { isShiftable && outChannels >= ExecutionContext.current.shiftedMinimumOutChannels }
    var paddedWidth: Int { width + padding }
    var paddedPlane: Int { (height + padding) * paddedWidth }
    /// Floats per channel of a group's padded buffer (its leading dimension).
    func paddedLength(images count: Int) -> Int { padding * paddedWidth + padding + count * paddedPlane }
    /// Grid positions a group of `count` images needs: up to its last image's last output.
    func gridCount(images count: Int) -> Int { (count - 1) * paddedPlane + (height - 1) * paddedWidth + width }
    /// Buffer offset of tap t (= ky·k + kx).
    @inline(__always) func tapOffset(_ t: Int) -> Int { dilation * ((t / kernelW) * paddedWidth + t % kernelW) }

    /// Copies `count` images [C, H, W] (consecutive, from `images`) into `padded` [C, L].
    func pad(_ images: UnsafePointer<Float>, count: Int, into padded: UnsafeMutablePointer<Float>) {
        spread(images, channels: channels, count: count, lead: padding * paddedWidth + padding,
               length: paddedLength(images: count), into: padded)
    }

    /// Lays `count` consecutive images [channels, H, W] out on the padded grid: channel c is a
    /// stretch of `length` floats at c·length, image j's row y starts at lead + j·P + y·(W+p), and
    /// everything between and after the rows is zero. The input's padded buffer (lead = the top
    /// and left padding) and the output gradient on the grid (lead 0) are both this layout.
    func spread(_ images: UnsafePointer<Float>, channels: Int, count: Int, lead: Int, length: Int,
                into buffer: UnsafeMutablePointer<Float>) {
        let plane = height * width
        for c in 0..<channels {
            let dst = buffer + c * length
            // Zeros run from the end of one copied row to the start of the next.
            var done = 0
            for j in 0..<count {
                let src = images + (j * channels + c) * plane
                for y in 0..<height {
                    let start = lead + j * paddedPlane + y * paddedWidth
                    (dst + done).update(repeating: 0, count: start - done)
                    (dst + start).update(from: src + y * width, count: width)
                    done = start + width
                }
            }
            (dst + done).update(repeating: 0, count: length - done)
        }
    }

    /// Lays `count` images [C, H, W] out as the transpose of their padded buffer, [L, C]: row i
    /// holds every channel's value at buffer position i (zero in the padding). The weight
    /// gradient reads it as plain [grid, C] matrices, one per tap, with unit stride along C.
    func padTransposed(_ images: UnsafePointer<Float>, count: Int, into buffer: UnsafeMutablePointer<Float>) {
        let lead = padding * paddedWidth + padding, plane = height * width
        buffer.update(repeating: 0, count: paddedLength(images: count) * channels)
        for j in 0..<count {
            for c in 0..<channels {
                let src = images + (j * channels + c) * plane
                for y in 0..<height {
                    let row = buffer + (lead + j * paddedPlane + y * paddedWidth) * channels + c, s = src + y * width
                    for x in 0..<width { row[x * channels] = s[x] }
                }
            }
        }
    }
}

extension Tensor {
    /// Multiply-adds up to which OpenBLAS 0.3.21 takes a product on its small-matrix path
    /// (M·N·K ≤ 100³ with its SkylakeX/Cooperlake kernels), which reads the operands in place
    /// instead of packing them. On the autoencoder's shapes that path runs at 95–108 GFLOP/s per
    /// core against 64–85 for the packed one (docs/engine-speed.md, "The OpenBLAS routes"), so the
    /// shifted products are cut to fit it.
    static let smallProductLimit = 1_000_000

    /// Widest piece (grid columns, a multiple of 16) of a product with `rows`·`inner` fixed that
    /// stays on the small-matrix path, at most the context's `shiftedBlockColumns`; that many
    /// when even 64 columns would not fit.
    static func smallProductWidth(_ rows: Int, _ inner: Int) -> Int {
        let blockColumns = ExecutionContext.current.shiftedBlockColumns
        let fits = smallProductLimit / Swift.max(rows * inner, 1) / 16 * 16
        return fits >= 64 ? Swift.min(fits, blockColumns) : blockColumns
    }

    /// Images per padded buffer: about the context's `shiftedGroupColumns` grid columns, and at
    /// least two groups when there are two images, so that both cores get work. Products are
    /// never split further (see `gemm`'s `split`), so the numbers do not depend on the number of
    /// cores.
    static func shiftedGroupSize(images n: Int, geo: ConvGeometry) -> Int {
        Swift.max(1, Swift.min((n + 1) / 2, ExecutionContext.current.shiftedGroupColumns / geo.paddedPlane))
    }

    /// Weights [O, C, k, k] as k² tap matrices [O, C], tap-major, or back (`inverse`).
    static func tapMatrices(_ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, outChannels: Int,
                            geo: ConvGeometry, inverse: Bool = false) {
        let inC = geo.channels
        reorderWeights(w, out, outChannels: outChannels, inChannels: inC, taps: geo.kernelH * geo.kernelW,
                       inverse: inverse) { o, c, t in (t * outChannels + o) * inC + c }
    }

    /// Forward of a shiftable convolution: per group of images and block of grid columns, k²
    /// accumulating products.
    static func convolveShifted(_ x: Tensor, weight: Tensor, bias: Tensor?, geo: ConvGeometry) -> Tensor {
        let n = x.shape[0], outC = weight.shape[0], inC = geo.channels
        let group = shiftedGroupSize(images: n, geo: geo), groups = (n + group - 1) / group
        let taps = geo.kernelH * geo.kernelW, plane = geo.height * geo.width, pp = geo.paddedPlane
        let out = Tensor(uninitializedShape: [n, outC, geo.height, geo.width])
        let wt = Tensor(uninitializedShape: [taps, outC, inC])
        tapMatrices(weight.storage.pointer, wt.storage.pointer, outChannels: outC, geo: geo)
        let px = x.storage.pointer, pwt = wt.storage.pointer, po = out.storage.pointer
        let pb = bias?.storage.pointer
        let widest = smallProductWidth(outC, inC)

        Parallel.chunks(groups) { _, range in
            let padCount = inC * geo.paddedLength(images: group), gridCount = outC * geo.gridCount(images: group)
            let padded = Memory.allocateFloats(padCount), grid = Memory.allocateFloats(gridCount)
            defer { Memory.free(padded, count: padCount); Memory.free(grid, count: gridCount) }
            for gi in range {
                let first = gi * group, count = Swift.min(group, n - first)
                let ld = geo.paddedLength(images: count), q = geo.gridCount(images: count)
                geo.pad(px + first * inC * plane, count: count, into: padded)
                // Equal blocks (multiples of 16, at most `widest`) so that no block is a thin remainder.
                let blocks = (q + widest - 1) / widest
                let width = ((q + blocks - 1) / blocks + 15) / 16 * 16
                var q0 = 0
                while q0 < q {
                    let bq = Swift.min(width, q - q0)
                    for t in 0..<taps {
                        gemm(transA: false, transB: false, m: outC, n: bq, k: inC, a: pwt + t * outC * inC, lda: inC,
                             b: padded + (geo.tapOffset(t) + q0), ldb: ld, beta: t == 0 ? 0 : 1, c: grid + q0, ldc: q,
                             split: false)
                    }
                    q0 += bq
                }
                // Valid grid positions to the output, plus bias.
                for j in 0..<count {
                    for o in 0..<outC {
                        let dst = po + ((first + j) * outC + o) * plane, src = grid + o * q + j * pp
                        let v: Float = pb?[o] ?? 0
                        for y in 0..<geo.height {
                            let d = dst + y * geo.width, s = src + y * geo.paddedWidth
                            for i in 0..<geo.width { d[i] = s[i] + v }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Weight gradient of a shiftable convolution: per tap, dW_t = G·X_t with G the output
    /// gradient on the padded grid (zero at discarded positions) and X_t the tap's [grid, C] view
    /// of the transposed padded input. Per-worker partials are summed at the end, as on the im2col
    /// path. X_t has unit stride along C so that the products, cut into grid chunks that fit
    /// OpenBLAS's small-matrix path, need no packing (the products with Xᵀ read from the [C, L]
    /// buffer only took that path at 32×32: 79–90 against 102–107 GFLOP/s per core;
    /// docs/engine-speed.md, "The OpenBLAS routes").
    static func shiftedWeightGradient(_ g: Tensor, x: Tensor, weightShape: [Int], geo: ConvGeometry) -> Tensor {
        let n = x.shape[0], outC = weightShape[0], inC = geo.channels
        let group = shiftedGroupSize(images: n, geo: geo), groups = (n + group - 1) / group
        let taps = geo.kernelH * geo.kernelW, plane = geo.height * geo.width
        let px = x.storage.pointer, pg = g.storage.pointer
        let chunk = smallProductWidth(outC, inC)

        let total = summedOverWorkers(groups: groups, shape: [taps, outC, inC]) { range, pdw in
            let padCount = inC * geo.paddedLength(images: group), gridCount = outC * geo.gridCount(images: group)
            let transposed = Memory.allocateFloats(padCount), grid = Memory.allocateFloats(gridCount)
            defer { Memory.free(transposed, count: padCount); Memory.free(grid, count: gridCount) }
            for gi in range {
                let first = gi * group, count = Swift.min(group, n - first), q = geo.gridCount(images: count)
                geo.padTransposed(px + first * inC * plane, count: count, into: transposed)
                // Output gradient onto the grid, zero at the discarded positions.
                geo.spread(pg + first * outC * plane, channels: outC, count: count, lead: 0, length: q, into: grid)
                var q0 = 0
                while q0 < q {
                    let bq = Swift.min(chunk, q - q0)
                    for t in 0..<taps {
                        gemm(transA: false, transB: false, m: outC, n: inC, k: bq, a: grid + q0, lda: q,
                             b: transposed + (geo.tapOffset(t) + q0) * inC, ldb: inC, beta: 1, c: pdw + t * outC * inC,
                             ldc: inC, split: false)
                    }
                    q0 += bq
                }
            }
        }
        let gw = Tensor(uninitializedShape: weightShape)
        tapMatrices(total.storage.pointer, gw.storage.pointer, outChannels: outC, geo: geo, inverse: true)
        return gw
    }
}
