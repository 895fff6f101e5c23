import Tensors

/// What a kernel sees of one node: its attributes, its input values (nil for an absent optional
/// input) and the model's opset, for the operators whose inputs or defaults changed between opsets.
struct OperatorContext {
    let node: Node
    let inputs: [Value?]
    let opset: Int
    /// For a Conv whose activation the plan fused into it: the activation to apply.
    var activation: ConvolutionActivation? = nil
    /// For Conv and ConvTranspose with a constant weight: where its reordered copy is kept.
    var weightCache: ConvolutionWeightCache? = nil
    /// How the rank-4 input 0 is stored (Conv, ConvTranspose, pooling).
    var layout: FeatureMapLayout = .channelsFirst
    /// How a Conv's output is to be stored (a first layer reads the image channels-first and
    /// writes channels-last); other kernels write in `layout`, or [N, C, 1, 1].
    var outputLayout: FeatureMapLayout = .channelsFirst

    func failure(_ reason: String) -> ONNXError { node.failure(reason) }

    /// Input `i`, which the operator requires.
    func input(_ i: Int) throws -> Value {
        guard i < inputs.count, let v = inputs[i] else { throw failure("input \(i) is missing") }
        return v
    }

    func optionalInput(_ i: Int) -> Value? { i < inputs.count ? inputs[i] : nil }

    /// Input `i` as float data; an integer tensor here means the graph mixes types the operator does not.
    func float(_ i: Int) throws -> Tensor {
        guard case let .float(t) = try input(i) else { throw failure("input \(i) must be float, it is int64") }
        return t
    }

    /// An optional integer list given as input `i` (opset ≥ 10/13 style) or else as attribute `key`.
    func integers(input i: Int, orAttribute key: String) -> [Int]? {
        if let v = optionalInput(i) { return v.integers }
        return node.ints(key)
    }

    /// `axis` in -rank..<rank made non-negative.
    func axis(_ axis: Int, rank: Int) throws -> Int {
        guard axis >= -rank && axis < Swift.max(rank, 1) else { throw failure("axis \(axis) is out of range for rank \(rank)") }
        return axis < 0 ? axis + rank : axis
    }

    /// Throws unless a result of `shape` is a sane allocation: sizes computed from data (Resize's
    /// sizes, ConstantOfShape, Expand, Pad) must not ask for more than the context's
    /// `maximumValuesFromData`.
    func checkSize(_ shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw failure("negative dimension in the output shape \(shape)") }
        guard Self.fits(shape) else {
            throw failure("the output shape \(shape) is too large (over \(ExecutionContext.current.maximumValuesFromData) values)")
        }
    }

    /// Whether a tensor of `shape` (non-negative sizes) holds at most the context's
    /// `maximumValuesFromData` values.
    static func fits(_ shape: [Int]) -> Bool {
        let limit = ExecutionContext.current.maximumValuesFromData
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= limit else { return false }
            count = product
        }
        return true
    }

    /// The shape two inputs broadcast to, or a clear error; like any shape made from the model's
    /// data, one too large to allocate is an error too ([65536, 1] + [1, 65536]).
    func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let n = Swift.max(a.count, b.count)
        let pa = Array(repeating: 1, count: n - a.count) + a, pb = Array(repeating: 1, count: n - b.count) + b
        let shape = try (0..<n).map { i in
            guard pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1 else { throw failure("shapes \(a) and \(b) do not broadcast") }
            return pa[i] == 1 ? pb[i] : pa[i]
        }
        try checkSize(shape)
        return shape
    }

    /// The product of sizes taken from the model's data, or an error where it overflows.
    func product(_ sizes: [Int]) throws -> Int {
        try sizes.reduce(1) { product, d in
            let (next, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else { throw failure("the sizes \(sizes) multiply past the largest integer") }
            return next
        }
    }

    /// Spatial geometry attributes of Conv and the pools for a 2-D window: strides, dilations and
    /// begin/end pads, with auto_pad resolved for the given input and kernel sizes.
    func window(input: (Int, Int), kernel: (Int, Int), transposed: Bool = false) throws -> WindowGeometry {
        let strides = node.ints("strides") ?? [1, 1], dilations = node.ints("dilations") ?? [1, 1]
        guard strides.count == 2, dilations.count == 2, strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }) else {
            throw failure("strides \(strides) and dilations \(dilations) must be two positive values (2-D only)")
        }
        var pads = node.ints("pads") ?? [0, 0, 0, 0]
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else { throw failure("pads \(pads) must be four non-negative values") }
        let autoPad = try node.choice("auto_pad", default: "NOTSET", in: ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
        let sizes = [input.0, input.1], kernels = [kernel.0, kernel.1]
        switch autoPad {
        case "VALID": pads = [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            for d in 0..<2 {
                let extent = (kernels[d] - 1) * dilations[d] + 1
                let total: Int
                if transposed {
                    total = Swift.max(0, strides[d] * (sizes[d] - 1) + extent - sizes[d] * strides[d])
                } else {
                    let out = (sizes[d] + strides[d] - 1) / strides[d]
                    total = Swift.max(0, (out - 1) * strides[d] + extent - sizes[d])
                }
                let small = total / 2, large = total - small
                (pads[d], pads[d + 2]) = autoPad == "SAME_UPPER" ? (small, large) : (large, small)
            }
        default: break
        }
        return WindowGeometry(kernel: kernel, stride: (strides[0], strides[1]), dilation: (dilations[0], dilations[1]),
                              padBegin: (pads[0], pads[1]), padEnd: (pads[2], pads[3]))
    }
}

/// A 2-D sliding window: (height, width) pairs.
struct WindowGeometry {
    var kernel: (Int, Int)
    var stride: (Int, Int)
    var dilation: (Int, Int)
    var padBegin: (Int, Int)
    var padEnd: (Int, Int)

    /// Output size along one axis (0 = height), floor or ceil division as the pools' ceil_mode says.
    func outputSize(_ size: Int, axis: Int, ceil: Bool = false) -> Int {
        let (k, s, d) = axis == 0 ? (kernel.0, stride.0, dilation.0) : (kernel.1, stride.1, dilation.1)
        let padded = size + (axis == 0 ? padBegin.0 + padEnd.0 : padBegin.1 + padEnd.1) - ((k - 1) * d + 1)
        guard padded >= 0 else { return 0 }
        var out = (ceil ? (padded + s - 1) / s : padded / s) + 1
        // A ceil-mode window must start inside the input or the begin padding (ONNX and PyTorch).
        if ceil && (out - 1) * s >= size + (axis == 0 ? padBegin.0 : padBegin.1) { out -= 1 }
        return out
    }
}
