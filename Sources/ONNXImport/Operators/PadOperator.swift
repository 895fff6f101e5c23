import Tensors

/// Pad: constant, reflect and edge modes on any axes, negative pads cropping. Each output index
/// along an axis maps to a source index (or to the constant), and the output is filled row by row.
enum PadOperator {
    static let kernels: [String: Kernel] = ["Pad": pad]

    static func pad(_ c: OperatorContext) throws -> [Value] {
        let x = try c.float(0), rank = x.rank
        let mode = try c.node.choice("mode", default: "constant", in: ["constant", "reflect", "edge"])
        let (pads, value) = try padsAndValue(c, rank: rank)
        if rank == 0 { return [.float(x)] }  // a scalar has no axis to pad (the rows below need one)
        let shape = try (0..<rank).map { d -> Int in
            // Pads come from the file: their sum with the size may not even fit an Int.
            let (grown, overflow) = x.shape[d].addingReportingOverflow(pads[d])
            let (n, overflowAgain) = grown.addingReportingOverflow(pads[rank + d])
            guard !overflow, !overflowAgain else { throw c.failure("pads \(pads) are too large") }
            guard n >= 0 else { throw c.failure("pads \(pads) crop more than the input \(x.shape)") }
            if mode != "constant" && (pads[d] > 0 || pads[rank + d] > 0) {
                guard x.shape[d] > (mode == "reflect" ? pads[d] : 0) && x.shape[d] > (mode == "reflect" ? pads[rank + d] : 0) else {
                    throw c.failure("\(mode) padding of \(pads[d])/\(pads[rank + d]) needs a larger axis than \(x.shape[d])")
                }
            }
            return n
        }
        try c.checkSize(shape)
        let maps = (0..<rank).map { sourceIndices(count: shape[$0], input: x.shape[$0], before: pads[$0], mode: mode) }
        var strides = Array(repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * x.shape[d + 1] }
        // Row by row (all axes but the last): the source row comes from the leading axes' maps,
        // the columns inside the input are one contiguous copy, the padded ones come from the map.
        let width = shape[rank - 1], rows = shape.dropLast().reduce(1, *), columns = maps[rank - 1]
        let inside = columns.indices.filter { columns[$0] >= 0 && (pads[rank - 1] < 0 || columns[$0] == $0 - pads[rank - 1]) }
        let copy = inside.isEmpty ? 0..<0 : inside.first!..<(inside.first! + inside.count)
        let padded = columns.indices.filter { !copy.contains($0) }
        let out = x.withUnsafeBufferPointer { src in
            Tensor(shape: shape) { dst in
                guard !dst.isEmpty else { return }
                forEachWorkerRange(rows) { range in
                    // The row's index over the leading axes, divided out once and then counted up.
                    var index = Array(repeating: 0, count: rank - 1), rest = range.lowerBound
                    for d in stride(from: rank - 2, through: 0, by: -1) { index[d] = rest % shape[d]; rest /= shape[d] }
                    for row in range {
                        defer {
                            var d = rank - 2
                            while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
                        }
                        var offset = 0, outside = false
                        for d in 0..<(rank - 1) {
                            let s = maps[d][index[d]]
                            if s < 0 { outside = true; break }
                            offset += s * strides[d]
                        }
                        let line = dst.baseAddress! + row * width
                        if outside { line.update(repeating: value, count: width); continue }
                        for o in padded { line[o] = columns[o] < 0 ? value : src[offset + columns[o]] }
                        if !copy.isEmpty { (line + copy.lowerBound).update(from: src.baseAddress! + offset + columns[copy.lowerBound], count: copy.count) }
                    }
                }
            }
        }
        return [.float(out)]
    }

    /// The pads (begin of every axis, then end of every axis) and the constant, from the
    /// attributes before opset 11 and from inputs 1–3 after (opset 18's `axes` pad those only).
    static func padsAndValue(_ c: OperatorContext, rank: Int) throws -> (pads: [Int], value: Float) {
        var pads: [Int], value: Float = 0
        if c.opset < 11 {
            pads = c.node.ints("pads") ?? []
            value = c.node.float("value", default: 0)
        } else {
            pads = try c.input(1).integers
            if let v = c.optionalInput(2), v.elementCount > 0 { value = Float(v.doubles[0]) }
        }
        if let axesValue = c.optionalInput(3) {
            let axes = try axesValue.integers.map { try c.axis($0, rank: rank) }
            guard pads.count == 2 * axes.count else { throw c.failure("\(pads.count) pads for \(axes.count) axes") }
            var full = Array(repeating: 0, count: 2 * rank)
            for (i, a) in axes.enumerated() { full[a] = pads[i]; full[rank + a] = pads[axes.count + i] }
            pads = full
        }
        guard pads.count == 2 * rank else { throw c.failure("\(pads.count) pads for a rank-\(rank) input") }
        return (pads, value)
    }

    /// The source index of each of `count` output indices along an axis of `input` indices with
    /// `before` padded in front; -1 reads the constant.
    static func sourceIndices(count: Int, input n: Int, before: Int, mode: String) -> [Int] {
        (0..<count).map { o in
            let i = o - before
            if i >= 0 && i < n { return i }
            switch mode {
            case "edge": return min(max(i, 0), n - 1)
            case "reflect":
                let period = 2 * (n - 1)
                guard period > 0 else { return 0 }
                var r = i % period
                if r < 0 { r += period }
                return r < n ? r : period - r
            default: return -1
            }
        }
    }
}
