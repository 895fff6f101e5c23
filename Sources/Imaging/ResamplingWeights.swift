/// The weights of Pillow's BILINEAR resampling along one axis: for each output position, the
/// first source index, how many sources it reads, and their weights in 22-bit fixed point.
///
/// The filter is a triangle (tent) of radius 1 output pixel: when shrinking by a factor s > 1 its
/// support is stretched to s source pixels each side, so every source pixel contributes (an
/// antialiasing filter, a weighted box average, not point sampling); when enlarging it is plain
/// linear interpolation. Output pixel i covers source interval [start + i·scale, start + (i+1)·scale)
/// with its centre at start + (i + 0.5)·scale; source pixel j sits at j + 0.5. Weights are
/// normalised to sum 1, then rounded to 22 fractional bits as Pillow's Resample.c does, so the
/// 8-bit results agree with `Image.resize(size, Image.BILINEAR, box)` bit for bit.
struct ResamplingWeights {
    /// Fractional bits of the fixed-point weights: 32 bits less 8 for the sample and 2 for headroom.
    static let precisionBits = 22

    let outputSize: Int
    /// The most sources any output reads: the stride of `weights`.
    let taps: Int
    /// Per output: the first source index and the number of sources read.
    let first: [Int]
    let count: [Int]
    /// `outputSize * taps` weights, zero past each output's `count`.
    let weights: [Int32]

    /// `start` and `end` bound the source interval in pixels (a crop box side). They are Float,
    /// as in Pillow's C code, which receives the box as C floats: rounding them the same way keeps
    /// fractional crops bit-identical.
    init(inputSize: Int, start: Float, end: Float, outputSize: Int) {
        let scale = Double(end - start) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filterScale  // the triangle's radius is 1, stretched when shrinking
        let taps = Int(support.rounded(.up)) * 2 + 1
        let reciprocal = 1 / filterScale
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * taps)
        var row = [Double](repeating: 0, count: taps)
        let one = Double(1 << Self.precisionBits)
        for i in 0..<outputSize {
            let centre = Double(start) + (Double(i) + 0.5) * scale
            // Int(_:) truncates toward zero like a C cast; a negative lower end clamps to 0 anyway.
            let lo = max(Int(centre - support + 0.5), 0)
            let hi = min(Int(centre + support + 0.5), inputSize)
            let n = max(hi - lo, 0)
            var total = 0.0
            for j in 0..<n {
                let w = max(0, 1 - abs((Double(j + lo) - centre + 0.5) * reciprocal))
                row[j] = w
                total += w
            }
            for j in 0..<n {
                let w = total != 0 ? row[j] / total : row[j]
                // Round half away from zero, then truncate, as Pillow converts to fixed point.
                weights[i * taps + j] = Int32(w < 0 ? w * one - 0.5 : w * one + 0.5)
            }
            first[i] = lo
            count[i] = n
        }
        self.outputSize = outputSize
        self.taps = taps
        self.first = first
        self.count = count
        self.weights = weights
    }

    /// The weights, first indices and counts as raw pointers for the resampling loops.
    func withUnsafeBuffers<R>(_ body: (UnsafePointer<Int32>, UnsafePointer<Int>, UnsafePointer<Int>) -> R) -> R {
        weights.withUnsafeBufferPointer { w in
            first.withUnsafeBufferPointer { f in
                count.withUnsafeBufferPointer { c in body(w.baseAddress!, f.baseAddress!, c.baseAddress!) }
            }
        }
    }
}
