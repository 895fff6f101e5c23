import Tensors

/// Operators that move or reinterpret data without arithmetic: the shape arithmetic PyTorch
/// exports (Shape, Gather, Unsqueeze, Concat, Slice, Cast, …), folded into constants at plan
/// time, and the layout operators that run on float data (Reshape, Transpose, Concat, Split, …).
enum ShapeOperators {
    static let kernels: [String: Kernel] = [
        "Identity": { c in [try c.input(0)] },
        // Inference: Dropout passes its input through (and an all-true mask if one is asked for).
        "Dropout": { c in
            let x = try c.input(0)
            return c.node.outputs.count > 1 ? [x, .integer(IntegerTensor(shape: x.shape, values: Array(repeating: 1, count: x.elementCount)))] : [x]
        },
        "Shape": shape,
        "Size": { c in [.integer(IntegerTensor(shape: [], values: [Int64(try c.input(0).elementCount)]))] },
        "Constant": constant,
        "ConstantOfShape": constantOfShape,
        "Cast": cast,
        "Reshape": reshape,
        "Flatten": flatten,
        "Squeeze": squeeze,
        "Unsqueeze": unsqueeze,
        "Transpose": transpose,
        "Concat": concat,
        "Split": split,
        "Slice": slice,
        "Gather": gather,
        "Expand": expand,
    ]

    static func shape(_ c: OperatorContext) throws -> [Value] {
        let dims = try c.input(0).shape, rank = dims.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let start = clamp(c.node.int("start", default: 0)), end = clamp(c.node.int("end", default: rank))
        let picked = start < end ? Array(dims[start..<end]) : []
        return [.integer(IntegerTensor(shape: [picked.count], values: picked.map(Int64.init)))]
    }

    static func constant(_ c: OperatorContext) throws -> [Value] {
        let a = c.node.attributes
        do {
            if let t = a["value"] { return [try TensorDecoding.value(t.t)] }
        } catch let f as TensorDecoding.Failure { throw c.failure(f.reason) }
        if let f = a["value_float"] { return [.float(Tensor(shape: [], scalars: [f.f]))] }
        if let f = a["value_floats"] { return [.float(Tensor(shape: [f.floats.count], scalars: f.floats))] }
        if let i = a["value_int"] { return [.integer(IntegerTensor(shape: [], values: [i.i]))] }
        if let i = a["value_ints"] { return [.integer(IntegerTensor(shape: [i.ints.count], values: i.ints))] }
        throw c.failure("needs a value, value_float(s) or value_int(s) attribute (sparse and string constants are not supported)")
    }

    static func constantOfShape(_ c: OperatorContext) throws -> [Value] {
        let dims = try c.input(0).integers
        try c.checkSize(dims)
        var fill = Value.float(Tensor(shape: [1], scalars: [0]))
        if let t = c.node.attributes["value"] {
            do { fill = try TensorDecoding.value(t.t) } catch let f as TensorDecoding.Failure { throw c.failure(f.reason) }
            guard fill.elementCount == 1 else { throw c.failure("value must hold one element") }
        }
        let count = dims.reduce(1, *)
        switch fill {
        case let .float(t): return [.float(Tensor(shape: dims, repeating: t.scalars[0]))]
        case let .integer(t): return [.integer(IntegerTensor(shape: dims, values: Array(repeating: t.values[0], count: count)))]
        }
    }

    static func cast(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), to = c.node.int("to", default: 0)
        typealias T = Onnx_TensorProto.DataType
        switch T(rawValue: to) {
        case .float?, .double?: return [.float(x.asFloat)]
        // Values keep float32 storage but are rounded to half precision, as the cast would.
        case .float16?: return [.float(ElementwiseOperators.map(x.asFloat) { Float(Float16($0)) })]
        case .int64?, .int32?, .int16?, .int8?, .uint8?, .uint16?, .uint32?, .uint64?: return [.integer(x.asInteger)]
        case .bool?:
            return [.integer(IntegerTensor(shape: x.shape, values: x.doubles.map { $0 != 0 ? 1 : 0 }))]
        default: throw c.failure("cannot cast to type \(to)")
        }
    }

    static func reshape(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0)
        let asked = c.opset < 5 ? (c.node.ints("shape") ?? []) : try c.input(1).integers
        let allowZero = c.node.int("allowzero", default: 0) == 1
        var dims = try asked.enumerated().map { i, d -> Int in
            if d == 0 && !allowZero {
                guard i < x.shape.count else { throw c.failure("shape \(asked) copies dimension \(i) of \(x.shape), which does not exist") }
                return x.shape[i]
            }
            guard d >= -1 else { throw c.failure("bad dimension \(d) in shape \(asked)") }
            return d
        }
        let known = try c.product(dims.filter { $0 != -1 })
        if let free = dims.firstIndex(of: -1) {
            guard dims.filter({ $0 == -1 }).count == 1, known > 0, x.elementCount % known == 0 else {
                throw c.failure("cannot reshape \(x.shape) to \(asked)")
            }
            dims[free] = x.elementCount / known
        }
        guard try c.product(dims) == x.elementCount else { throw c.failure("cannot reshape \(x.shape) to \(asked)") }
        return [x.reshaped(dims)]
    }

    static func flatten(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), rank = x.shape.count
        let axis = c.node.int("axis", default: 1)
        guard axis >= -rank && axis <= rank else { throw c.failure("axis \(axis) is out of range for rank \(rank)") }
        let a = axis < 0 ? axis + rank : axis
        return [x.reshaped([x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *)])]
    }

    static func squeeze(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), rank = x.shape.count
        let axes = try (c.opset < 13 ? c.node.ints("axes") : c.optionalInput(1)?.integers).map { try $0.map { try c.axis($0, rank: rank) } }
        if let axes, let bad = axes.first(where: { x.shape[$0] != 1 }) {
            throw c.failure("cannot squeeze axis \(bad) of \(x.shape): its size is not 1")
        }
        let keep = x.shape.indices.filter { d in axes.map { !$0.contains(d) } ?? (x.shape[d] != 1) }
        return [x.reshaped(keep.map { x.shape[$0] })]
    }

    static func unsqueeze(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0)
        guard let raw = c.opset < 13 ? c.node.ints("axes") : c.optionalInput(1)?.integers else { throw c.failure("needs axes") }
        let rank = x.shape.count + raw.count
        let axes = try Set(raw.map { try c.axis($0, rank: rank) })
        guard axes.count == raw.count else { throw c.failure("repeated axes \(raw)") }
        var shape: [Int] = [], source = x.shape.makeIterator()
        for d in 0..<rank { shape.append(axes.contains(d) ? 1 : source.next()!) }
        return [x.reshaped(shape)]
    }

    static func transpose(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), rank = x.shape.count
        let perm = c.node.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.sorted() == Array(0..<rank) else { throw c.failure("perm \(perm) is not a permutation of 0..<\(rank)") }
        return [x.permuted(perm)]
    }

    static func concat(_ c: OperatorContext) throws -> [Value] {
        let parts = try c.inputs.indices.map { try c.input($0) }
        guard let first = parts.first else { throw c.failure("no inputs") }
        let axis = try c.axis(c.node.int("axis", default: 0), rank: first.shape.count)
        for p in parts where p.shape.count != first.shape.count
            || p.shape.indices.contains(where: { $0 != axis && p.shape[$0] != first.shape[$0] }) {
            throw c.failure("cannot join \(parts.map(\.shape)) along axis \(axis)")
        }
        guard let joined = Value.concat(parts, axis: axis) else { throw c.failure("inputs mix float and int64 data") }
        return [joined]
    }

    static func split(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), rank = x.shape.count
        let axis = try c.axis(c.node.int("axis", default: 0), rank: rank), n = x.shape[axis], parts = c.node.outputs.count
        guard parts > 0 else { throw c.failure("has no outputs to split into") }
        var sizes = c.opset < 13 ? c.node.ints("split") : c.optionalInput(1)?.integers
        if sizes == nil {
            // Equal parts; opset 18's num_outputs allows a smaller last part.
            let size = (n + parts - 1) / parts
            sizes = (0..<parts).map { min(size, max(0, n - $0 * size)) }
        }
        // Each size at most n, so that their sum cannot overflow.
        guard let sizes, sizes.count == parts, sizes.allSatisfy({ (0...n).contains($0) }), sizes.reduce(0, +) == n else {
            throw c.failure("cannot split \(n) entries of axis \(axis) into \(parts) outputs of sizes \(sizes ?? [])")
        }
        var start = 0
        return sizes.map { s in
            defer { start += s }
            return x.take(axis: axis, indices: Array(start..<(start + s)))
        }
    }

    static func slice(_ c: OperatorContext) throws -> [Value] {
        var x = try c.input(0)
        let rank = x.shape.count
        let starts: [Int], ends: [Int], axes: [Int], steps: [Int]
        if c.opset < 10 {
            starts = c.node.ints("starts") ?? []; ends = c.node.ints("ends") ?? []
            axes = c.node.ints("axes") ?? Array(0..<starts.count); steps = Array(repeating: 1, count: starts.count)
        } else {
            starts = try c.input(1).integers; ends = try c.input(2).integers
            axes = c.optionalInput(3)?.integers ?? Array(0..<starts.count)
            steps = c.optionalInput(4)?.integers ?? Array(repeating: 1, count: starts.count)
        }
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw c.failure("starts, ends, axes and steps differ in length")
        }
        for i in starts.indices {
            let axis = try c.axis(axes[i], rank: rank), n = x.shape[axis], step = steps[i]
            guard step != 0 else { throw c.failure("step 0") }
            // Clamping as the specification says: [0, n] for positive steps, [-1, n-1] for negative.
            func clamp(_ v: Int) -> Int {
                let w = v < 0 ? v + n : v
                return step > 0 ? min(max(w, 0), n) : min(max(w, -1), n - 1)
            }
            let s = clamp(starts[i]), e = clamp(ends[i])
            let indices = Array(stride(from: s, to: e, by: step))
            if indices.count != n || step != 1 { x = x.take(axis: axis, indices: indices) }
        }
        return [x]
    }

    static func gather(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), indices = try c.input(1)
        let axis = try c.axis(c.node.int("axis", default: 0), rank: x.shape.count), n = x.shape[axis]
        let picked = try indices.integers.map { i -> Int in
            guard i >= -n && i < n else { throw c.failure("index \(i) is out of range for axis \(axis) of size \(n)") }
            return i < 0 ? i + n : i
        }
        let taken = x.take(axis: axis, indices: picked)
        return [taken.reshaped(Array(x.shape[..<axis]) + indices.shape + Array(x.shape[(axis + 1)...]))]
    }

    static func expand(_ c: OperatorContext) throws -> [Value] {
        let x = try c.input(0), shape = try c.broadcastShape(x.shape, try c.input(1).integers)
        try c.checkSize(shape)
        switch x {
        case let .float(t): return [.float(t.broadcast(to: shape))]
        case .integer: return [x.picking(ElementwiseOperators.broadcastIndices(x.shape, to: shape), shape: shape)]
        }
    }
}
