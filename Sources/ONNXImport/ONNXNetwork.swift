import Foundation
import Tensors

/// An ONNX model imported to run on the tensor engine, inference only. Every node output is a
/// tap; activations of any taps come back for a batch of images.
public final class ONNXNetwork {
    /// One tap: a node output in network order, with the node's op type and per-sample shape.
    public struct Tap: Equatable {
        public let name: String
        public let op: String
        public let shape: [Int]

        public init(name: String, op: String, shape: [Int]) { (self.name, self.op, self.shape) = (name, op, shape) }
    }

    public let url: URL
    /// The opset the model was exported with, and who exported it.
    public let opset: Int
    public let producer: String
    /// Per-sample input shape [C, H, W].
    public let inputShape: [Int]
    /// The batch size the model declares, if it fixes one (batches are then run in pieces of it).
    public let fixedBatch: Int?
    /// Every float node output that has the batch as its first axis, in network order.
    public private(set) var taps: [Tap] = []

    private let file: ModelFile
    private var plans: [Int: ExecutionPlan] = [:]
    private let lock = NSLock()

    /// Reads and checks the model, then plans it once for a small batch to list the taps.
    /// `inputSize` (height, width) is required when the model's image size is dynamic.
    public convenience init(contentsOf url: URL, inputSize: (height: Int, width: Int)? = nil) throws {
        try self.init(file: ModelFile(contentsOf: url), url: url, inputSize: inputSize)
    }

    /// The model whose file bytes are `data`, as if read from `url` (which errors name).
    public convenience init(data: Data, url: URL, inputSize: (height: Int, width: Int)? = nil) throws {
        try self.init(file: ModelFile(data: data, path: url.path), url: url, inputSize: inputSize)
    }

    private init(file: ModelFile, url: URL, inputSize: (height: Int, width: Int)?) throws {
        self.url = url
        self.file = file
        (opset, producer) = (file.opset, file.producer)
        if let node = file.nodes.first(where: { OperatorSet.kernels[$0.opType] == nil }) {
            throw ONNXError.unsupportedOperator(op: node.opType, node: node.name, supported: OperatorSet.supported)
        }
        let d = file.declaredInput
        let shapeText = ModelFile.describe(d)
        guard let channels = d[1] else { throw ONNXError.dynamicInputSize(path: url.path, input: file.inputName, shape: shapeText) }
        if let (h, w) = inputSize {
            guard h > 0, w > 0, h <= 4_096, w <= 4_096 else {
                throw ONNXError.badNode(op: "input", node: file.inputName, reason: "input size \(h)×\(w) must be within 1…4096")
            }
            if let dh = d[2], let dw = d[3], (dh, dw) != (h, w) {
                throw ONNXError.inputSizeMismatch(path: url.path, declared: [dh, dw], asked: [h, w])
            }
            inputShape = [channels, h, w]
        } else {
            guard let h = d[2], let w = d[3] else { throw ONNXError.dynamicInputSize(path: url.path, input: file.inputName, shape: shapeText) }
            inputShape = [channels, h, w]
        }
        fixedBatch = d[0]
        // The declared sizes come from the file: a batch of them must be one that can be allocated.
        let probe = [fixedBatch ?? Self.probeBatch] + inputShape
        guard OperatorContext.fits(probe) else {
            throw ONNXError.badNode(op: "input", node: file.inputName,
                                    reason: "a batch of \(ModelFile.describe(probe)) images is too large (over \(ExecutionContext.current.maximumValuesFromData) values)")
        }
        taps = try listTaps()
    }

    /// Images in the batch that lists the taps of a model without a fixed batch.
    static let probeBatch = 2

    /// Plans for a probe batch (two images, so that the batch axis can be told from others, or the
    /// fixed batch) and keeps the node outputs whose first axis is that batch.
    private func listTaps() throws -> [Tap] {
        let batch = fixedBatch ?? Self.probeBatch
        let (plan, _) = try values(Tensor.zeros([batch] + inputShape), wanted: [])
        var seen = Set<String>(), out: [Tap] = []
        for index in plan.steps {
            let node = plan.nodes[index]
            for name in node.outputs where !name.isEmpty && seen.insert(name).inserted {
                guard let shape = plan.shapes[name], shape.first == batch else { continue }
                out.append(Tap(name: name, op: node.opType, shape: Array(shape.dropFirst())))
            }
        }
        return out
    }

    /// The values `wanted` for a batch: the plan for its size runs, or is made by this batch.
    /// Plans are made under the lock, one at a time; a plan made runs from several threads at once.
    private func values(_ images: Tensor, wanted: Set<String>?) throws -> (ExecutionPlan, [String: Value]) {
        lock.lock()
        if let p = plans[images.shape[0]] {
            lock.unlock()
            return (p, try p.run(images, wanted: wanted ?? []))
        }
        defer { lock.unlock() }
        let p = try ExecutionPlan(file: file, input: images, keep: wanted)
        plans[images.shape[0]] = p
        return (p, p.takeInitialValues())
    }

    /// The activations of `names` for `images` [N] + inputShape, each [N] + the tap's shape.
    public func activations(_ images: Tensor, taps names: [String]) throws -> [String: Tensor] {
        guard images.rank == 4, Array(images.shape.dropFirst()) == inputShape else {
            throw ONNXError.badInputTensor(expected: [-1] + inputShape, got: images.shape)
        }
        for name in names where !taps.contains(where: { $0.name == name }) && name != file.inputName {
            throw ONNXError.unknownTap(name, closest: closest(to: name))
        }
        return try evaluate(images, names).mapValues(\.asFloat)  // taps are float values
    }

    /// The values of `names` (taps, or any other value computed from the input) for a batch.
    func evaluate(_ images: Tensor, _ names: [String]) throws -> [String: Value] {
        let n = images.shape[0]
        if let piece = fixedBatch, n != piece {
            // A model with a fixed batch runs in pieces of it, side by side on the workers (each
            // piece is a run of its own); the last piece is filled up with copies of the last
            // image, whose outputs are dropped.
            let starts = Array(stride(from: 0, to: n, by: piece))
            let parts = try Parallel.results(starts.count) { j -> [String: Value] in
                let start = starts[j], end = min(start + piece, n)
                var x = images.slice(axis: 0, start..<end)
                if end - start < piece {
                    x = Tensor.concat([x] + Array(repeating: images.slice(axis: 0, (n - 1)..<n), count: piece - (end - start)), axis: 0)
                }
                let values = try evaluate(x, names)
                return end - start < piece ? values.mapValues { $0.take(axis: 0, indices: Array(0..<(end - start))) } : values
            }
            return try joined(parts, names)
        }
        if let parts = try sideBySide(images, names) { return try joined(parts, names) }
        let (_, values) = try values(images, wanted: Set(names))
        return try Dictionary(uniqueKeysWithValues: names.map { name in
            guard let v = values[name] else { throw ONNXError.unknownTap(name, closest: closest(to: name)) }
            return (name, v)
        })
    }

    /// Fewest images in a piece of a batch split across the workers.
    static let smallestPiece = 4

    /// Whether batches may run in pieces (see `sideBySide`); decided by the first batch large
    /// enough to split, under the lock.
    private(set) var keepsImagesApart: Bool?

    /// The values of `names` for a batch run as one piece per worker, side by side, each piece on
    /// one thread from start to end, or nil where the batch should run whole. The convolutions of
    /// a network of many small layers wait for each other's threads at every layer when they
    /// split one batch; in pieces they never wait (docs/engine-speed.md). Only for graphs whose
    /// images do not meet (`ExecutionPlan.keepsImagesApart`), so the values are those of the whole
    /// batch.
    private func sideBySide(_ images: Tensor, _ names: [String]) throws -> [[String: Value]]? {
        let n = images.shape[0], count = min(Parallel.workers, n / Self.smallestPiece), wanted = Set(names)
        guard count > 1, fixedBatch == nil else { return nil }
        // Each piece is cut out by the job that runs it: in parallel, and into that core's cache.
        func piece(_ j: Int) -> Tensor { images.slice(axis: 0, (n * j / count)..<(n * (j + 1) / count)) }
        let verdict = lock.withLock { keepsImagesApart }
        if verdict == false { return nil }
        var first: [String: Value]?
        if verdict == nil {
            // The first piece plans its size (or runs), then its plan is compared with the probe's.
            let (plan, values) = try self.values(piece(0), wanted: wanted)
            let apart = lock.withLock {
                let apart = plans[Self.probeBatch].map { plan.keepsImagesApart(comparedWith: $0) } ?? false
                keepsImagesApart = apart
                return apart
            }
            guard apart else { return nil }
            first = values
        }
        return try Parallel.results(count) { j in
            if j == 0, let first { return first }
            return try self.values(piece(j), wanted: wanted).1
        }
    }

    /// Per name, the parts' values joined along the batch.
    private func joined(_ parts: [[String: Value]], _ names: [String]) throws -> [String: Value] {
        try Dictionary(uniqueKeysWithValues: names.map { name in
            guard let part = parts.first?[name] else { throw ONNXError.unknownTap(name, closest: closest(to: name)) }
            guard parts.count > 1 else { return (name, part) }
            guard let joined = Value.concat(parts.map { $0[name]! }, axis: 0) else { throw ONNXError.unknownTap(name, closest: []) }
            return (name, joined)
        })
    }

    /// True for a value folded into a constant when the graph was planned (not a tap).
    func isConstant(_ name: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return plans.values.first?.constants[name] != nil
    }

    /// The three tap names nearest to `name` by edit distance.
    public func closest(to name: String) -> [String] {
        let names = taps.map(\.name)
        return names.map { ($0, Self.editDistance($0, name)) }.sorted { $0.1 < $1.1 }.prefix(3).map(\.0)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
