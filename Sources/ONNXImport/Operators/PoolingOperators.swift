import Tensors

/// Max and average pooling over 2-D windows with ONNX's geometry (asymmetric pads, ceil mode,
/// dilation, count_include_pad), and the global pools. Direct loops: pooling is a small share of
/// an inference pass, and every plane is independent, so planes are spread over the workers.
enum PoolingOperators {
    static let kernels: [String: Kernel] = [
        "MaxPool": { c in try pool(c, max: true) },
        "AveragePool": { c in try pool(c, max: false) },
        "GlobalAveragePool": { c in
            let x = try c.float(0)
            guard x.rank >= 3 else { throw c.failure("input \(x.shape) has no spatial axes") }
            if c.layout == .channelsLast {  // [N, H, W, C]: the mean over the middle axes is [N, C, 1, 1] in both layouts
                let s = x.shape
                return [.float(x.reshaped([s[0], s[1] * s[2], s[3]]).mean(axes: [1]).reshaped([s[0], s[3], 1, 1]))]
            }
            return [.float(x.mean(axes: Array(2..<x.rank), keepDims: true))]
        },
        "GlobalMaxPool": { c in
            let x = try c.float(0)
            guard x.rank == 4 else { throw c.failure("input \(x.shape) is not [N, C, H, W]") }
            let plane = x.shape[2] * x.shape[3]
            let y = x.withUnsafeBufferPointer { src in
                Tensor(shape: [x.shape[0], x.shape[1], 1, 1]) { dst in
                    for p in 0..<dst.count { dst[p] = src[(p * plane)..<((p + 1) * plane)].max() ?? 0 }
                }
            }
            return [.float(y)]
        },
    ]

    static func pool(_ c: OperatorContext, max isMax: Bool) throws -> [Value] {
        let x = try c.float(0)
        guard x.rank == 4 else { throw c.failure("input \(x.shape) is not [N, C, H, W] (only 2-D pooling is supported)") }
        guard c.node.outputs.count <= 1 || c.node.outputs[1].isEmpty else { throw c.failure("the Indices output is not supported") }
        guard let k = c.node.ints("kernel_shape"), k.count == 2, k.allSatisfy({ $0 >= 1 }) else {
            throw c.failure("kernel_shape must be two positive values")
        }
        let logical = c.layout.logicalShape(x.shape)
        let (h, w) = (logical[2], logical[3])
        let g = try c.window(input: (h, w), kernel: (k[0], k[1]))
        let ceil = c.node.int("ceil_mode", default: 0) != 0
        let includePad = c.node.int("count_include_pad", default: 0) != 0
        let oh = g.outputSize(h, axis: 0, ceil: ceil), ow = g.outputSize(w, axis: 1, ceil: ceil)
        guard oh > 0 && ow > 0 else { throw c.failure("the window is larger than the padded input \(x.shape)") }
        if c.layout == .channelsLast { return [.float(channelsLastPool(x, g, oh: oh, ow: ow, max: isMax, includePad: includePad))] }
        let planes = x.shape[0] * x.shape[1]
        let out = x.withUnsafeBufferPointer { src in
            Tensor(shape: [x.shape[0], x.shape[1], oh, ow]) { o in
                let dst = o.baseAddress!
                forEachWorkerRange(planes) { range in
                    for p in range {
                        let s = src.baseAddress! + p * h * w, d = dst + p * oh * ow
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                var best = -Float.infinity, total: Float = 0
                                let count = window(g, oy: oy, ox: ox, h: h, w: w, includePad: includePad) { at in
                                    best = Swift.max(best, s[at]); total += s[at]
                                }
                                d[oy * ow + ox] = isMax ? best : total / Float(count)
                            }
                        }
                    }
                }
            }
        }
        return [.float(out)]
    }

    /// Calls `tap` with the flat position y·w + x of every input position in the window of
    /// output (oy, ox), in order, and returns the count an average divides by: the positions
    /// inside the input, or with count_include_pad those inside the padded input (positions past
    /// the padding, from ceil mode, never count); at least 1.
    @inline(__always)
    private static func window(_ g: WindowGeometry, oy: Int, ox: Int, h: Int, w: Int, includePad: Bool, _ tap: (Int) -> Void) -> Int {
        let y0 = oy * g.stride.0 - g.padBegin.0, x0 = ox * g.stride.1 - g.padBegin.1
        var inside = 0, padded = 0
        for ky in 0..<g.kernel.0 {
            let y = y0 + ky * g.dilation.0
            for kx in 0..<g.kernel.1 {
                let x = x0 + kx * g.dilation.1
                if y < h + g.padEnd.0 && x < w + g.padEnd.1 { padded += 1 }
                guard y >= 0 && y < h && x >= 0 && x < w else { continue }
                tap(y * w + x)
                inside += 1
            }
        }
        return Swift.max(1, includePad ? padded : inside)
    }

    /// `pool` on a channels-last map [N, H, W, C]: the same windows, taps and order of summation
    /// (so the same results), with every tap a contiguous run of C values the compiler
    /// vectorises. On NCHW planes each tap was one scalar: resnet18's one MaxPool had taken 15% of
    /// its inference time.
    private static func channelsLastPool(_ x: Tensor, _ g: WindowGeometry, oh: Int, ow: Int, max isMax: Bool, includePad: Bool) -> Tensor {
        let (n, h, w, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        return x.withUnsafeBufferPointer { src in
            Tensor(shape: [n, oh, ow, channels]) { o in
                let dst = o.baseAddress!, source = src.baseAddress!
                forEachWorkerRange(n * oh) { rows in
                    for row in rows {
                        let b = row / oh, oy = row % oh
                        for ox in 0..<ow {
                            let d = dst + (row * ow + ox) * channels, image = source + b * h * w * channels
                            d.update(repeating: isMax ? -Float.infinity : 0, count: channels)
                            let count = window(g, oy: oy, ox: ox, h: h, w: w, includePad: includePad) { at in
                                let s = image + at * channels
                                if isMax { for c in 0..<channels { d[c] = Swift.max(d[c], s[c]) } } else { for c in 0..<channels { d[c] += s[c] } }
                            }
                            if !isMax { for c in 0..<channels { d[c] /= Float(count) } }
                        }
                    }
                }
            }
        }
    }
}
