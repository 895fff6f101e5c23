import Foundation
import Tensors

/// Resize (opsets 10–18) and Upsample (7–9) over the two spatial axes of [N, C, H, W], nearest
/// and linear, with every coordinate transformation mode PyTorch and TensorFlow export. Each
/// output row and column reads from a precomputed source index (and weight, for linear).
enum ResizeOperators {
    static let kernels: [String: Kernel] = ["Resize": resize, "Upsample": upsample]

    static let coordinateModes = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"]
    static let nearestModes = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]

    struct Rule {
        var mode: String            // nearest or linear
        var coordinates: String     // one of coordinateModes
        var nearest: String         // one of nearestModes
    }

    static func resize(_ c: OperatorContext) throws -> [Value] {
        let x = try c.float(0)
        guard x.rank == 4 else { throw c.failure("input \(x.shape) is not [N, C, H, W] (only 2-D resizing is supported)") }
        if c.node.int("antialias", default: 0) != 0 { throw c.failure("antialias is not supported") }
        if let axes = c.node.ints("axes"), axes.sorted() != [2, 3] && axes.sorted() != [-2, -1] && axes.sorted() != [0, 1, 2, 3] {
            throw c.failure("axes \(axes) are not supported (the spatial axes only)")
        }
        let mode = try c.node.choice("mode", default: "nearest", in: ["nearest", "linear"])
        var rule = Rule(mode: mode, coordinates: "asymmetric", nearest: "floor")
        if c.opset >= 11 {
            rule.coordinates = try c.node.choice("coordinate_transformation_mode", default: "half_pixel", in: coordinateModes)
            rule.nearest = try c.node.choice("nearest_mode", default: "round_prefer_floor", in: nearestModes)
        }
        // Opset 10: (X, scales); from 11: (X, roi, scales, sizes), an empty tensor meaning absent.
        let scalesInput = c.opset < 11 ? c.optionalInput(1) : c.optionalInput(2)
        let sizesInput = c.opset < 11 ? nil : c.optionalInput(3)
        if let sizes = sizesInput, sizes.elementCount > 0 {
            let s = sizes.integers
            guard s.count == 4 || s.count == 2, s.allSatisfy({ $0 > 0 }) else { throw c.failure("sizes \(s) must be 4 (or 2 spatial) positive values") }
            let (oh, ow) = (s[s.count - 2], s[s.count - 1])
            if s.count == 4, s[0] != x.shape[0] || s[1] != x.shape[1] { throw c.failure("only the spatial axes can be resized") }
            return [.float(try run(c, x, height: oh, width: ow, scales: (Double(oh) / Double(x.shape[2]), Double(ow) / Double(x.shape[3])), rule))]
        }
        guard let scales = scalesInput?.doubles, scales.count == 4 || scales.count == 2 else {
            throw c.failure("needs scales (4 values) or sizes")
        }
        return [.float(try resized(c, x, scales: scales, rule))]
    }

    static func upsample(_ c: OperatorContext) throws -> [Value] {
        let x = try c.float(0)
        guard x.rank == 4 else { throw c.failure("input \(x.shape) is not [N, C, H, W]") }
        let mode = try c.node.choice("mode", default: "nearest", in: ["nearest", "linear", "bilinear"])
        guard let scales = c.opset < 9 ? c.node.floats("scales").map({ $0.map(Double.init) }) : c.optionalInput(1)?.doubles, scales.count == 4 else {
            throw c.failure("needs 4 scales")
        }
        return [.float(try resized(c, x, scales: scales, Rule(mode: mode == "nearest" ? "nearest" : "linear", coordinates: "asymmetric", nearest: "floor")))]
    }

    static func resized(_ c: OperatorContext, _ x: Tensor, scales: [Double], _ rule: Rule) throws -> Tensor {
        let (sh, sw) = (scales[scales.count - 2], scales[scales.count - 1])
        if scales.count == 4, scales[0] != 1 || scales[1] != 1 { throw c.failure("only the spatial axes can be scaled (scales \(scales))") }
        guard sh > 0, sw > 0 else { throw c.failure("scales \(scales) must be positive") }
        guard sh < 4_096, sw < 4_096 else { throw c.failure("scales \(scales) are too large") }
        let oh = Int((Double(x.shape[2]) * sh).rounded(.down)), ow = Int((Double(x.shape[3]) * sw).rounded(.down))
        guard oh > 0, ow > 0 else { throw c.failure("scales \(scales) leave no output for input \(x.shape)") }
        return try run(c, x, height: oh, width: ow, scales: (sh, sw), rule)
    }

    /// Source position of output coordinate `o` along an axis of `size` resized to `out` by `scale`.
    static func source(_ o: Int, size: Int, out: Int, scale: Double, _ mode: String) -> Double {
        let o = Double(o)
        switch mode {
        case "half_pixel": return (o + 0.5) / scale - 0.5
        case "pytorch_half_pixel": return out > 1 ? (o + 0.5) / scale - 0.5 : 0
        // The resized length is input · scale, unrounded, when scales are given (the specification's length_resized).
        case "align_corners":
            let length = Double(size) * scale
            return length == 1 ? 0 : o * Double(size - 1) / (length - 1)
        case "tf_half_pixel_for_nn": return (o + 0.5) / scale
        default: return o / scale
        }
    }

    /// For each output index along an axis: the two source indices and the second one's weight.
    static func table(size: Int, out: Int, scale: Double, _ rule: Rule) -> [(Int, Int, Float)] {
        (0..<out).map { o in
            let p = source(o, size: size, out: out, scale: scale, rule.coordinates)
            if rule.mode == "nearest" {
                var i: Double
                switch rule.nearest {
                case "floor": i = p.rounded(.down)
                case "ceil": i = p.rounded(.up)
                case "round_prefer_ceil": i = (p - p.rounded(.down) == 0.5) ? p.rounded(.up) : p.rounded()
                default: i = (p - p.rounded(.down) == 0.5) ? p.rounded(.down) : p.rounded()
                }
                let k = min(max(Int(i), 0), size - 1)
                return (k, k, 0)
            }
            let q = min(max(p, 0), Double(size - 1))
            let lo = Int(q.rounded(.down)), hi = min(lo + 1, size - 1)
            return (lo, hi, Float(q - Double(lo)))
        }
    }

    static func run(_ c: OperatorContext, _ x: Tensor, height oh: Int, width ow: Int, scales: (Double, Double), _ rule: Rule) throws -> Tensor {
        try c.checkSize([x.shape[0], x.shape[1], oh, ow])
        let (h, w) = (x.shape[2], x.shape[3]), planes = x.shape[0] * x.shape[1]
        // Sizes can ask for pixels of an empty image: there is no source pixel to read them from.
        guard h > 0, w > 0 else { throw c.failure("cannot resize the empty image \(x.shape) to \(oh)×\(ow)") }
        let rows = table(size: h, out: oh, scale: scales.0, rule), cols = table(size: w, out: ow, scale: scales.1, rule)
        return x.withUnsafeBufferPointer { src in
            Tensor(shape: [x.shape[0], x.shape[1], oh, ow]) { o in
                let dst = o.baseAddress!
                forEachWorkerRange(planes) { range in
                    for p in range {
                        let s = src.baseAddress! + p * h * w, d = dst + p * oh * ow
                        for (oy, (y0, y1, wy)) in rows.enumerated() {
                            let r0 = s + y0 * w, r1 = s + y1 * w, line = d + oy * ow
                            for (ox, (x0, x1, wx)) in cols.enumerated() {
                                let top = r0[x0] + (r0[x1] - r0[x0]) * wx, bottom = r1[x0] + (r1[x1] - r1[x0]) * wx
                                line[ox] = top + (bottom - top) * wy
                            }
                        }
                    }
                }
            }
        }
    }
}
