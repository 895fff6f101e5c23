import Autoencoder
import Experts
import FileSupport
import Foundation
import Progress
import SafeTensors
import Tensors

/// Tapped features z_Φ and autoencoder codes z_Θ of a range of scenes, computed once and kept
/// as safetensors so that training a translator never re-runs the expert.
///
/// One file per layer and one for the codes of each range of scenes, named by the digest of what
/// its rows are (`Rows`): a change of the expert, the preprocessing, the pooling, the autoencoder
/// or the images finds no file and extracts anew. Files are written atomically (temporary file +
/// rename), so an interrupted extraction leaves nothing behind that could be mistaken for a
/// complete cache.
public struct FeatureCache {
    /// Bumped whenever the code that extracts or stores rows changes, retiring every file before it.
    static let formatVersion = 2

    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// What to extract: scenes `range` of a split, as made with `seed`.
    public struct Request: Codable, Hashable {
        public let split: String
        public let seed: UInt64
        public let range: Range<Int>
        public init(split: String, seed: UInt64, range: Range<Int>) { (self.split, self.seed, self.range) = (split, seed, range) }
    }

    /// What one cache file holds: the rows of one producer for the scenes of a request, drawn
    /// from the images `scenes` identifies. Its digest names the file.
    struct Rows: Encodable {
        enum Producer: Encodable {
            /// A layer of an expert (`Expert.identity`), stored at `shape` (pooled where smaller than the tap's).
            case layer(expert: Digest, name: String, shape: [Int])
            /// The autoencoder's codes (the digest of its weights).
            case codes(autoencoder: Digest)
        }
        var format = FeatureCache.formatVersion
        let producer: Producer
        let scenes: Digest
        let request: Request
    }

    /// Features for every layer in `layers` and the codes, from the cache where present.
    /// The expert is identified by `Expert.identity`, the autoencoder by `autoencoderID` (the
    /// digest of its weights). `workingShapes` gives the stored shape of layers whose maps
    /// are average-pooled to a smaller grid as they are extracted (`WorkingSize`); the others are
    /// stored as the expert gives them.
    ///
    /// With `shardSize`, the range is cached as consecutive shards of that many scenes (the last
    /// one shorter), each in files of its own, as a plan's feature tasks extract them one shard
    /// per task (docs/scale.md); they are read back into one tensor per layer.
    public func load(expert: Expert, layers: [String], workingShapes: [String: [Int]] = [:], autoencoder: ConvAutoencoder,
                     autoencoderID: Digest, source: any ImageSource, request: Request, batch: Int = 250, shardSize: Int? = nil)
        throws -> (features: [String: Tensor], codes: Tensor) {
        let shards = Self.shards(of: request.range, size: shardSize)
        func shard(_ range: Range<Int>) throws -> (features: [String: Tensor], codes: Tensor) {
            try loadShard(expert: expert, layers: layers, workingShapes: workingShapes, autoencoder: autoencoder, autoencoderID: autoencoderID,
                          source: source, request: Request(split: request.split, seed: request.seed, range: range), batch: batch)
        }
        if shards.count == 1 { return try shard(request.range) }
        // Each shard is copied into the full tensors as it is read: a large layer is held once, plus one shard.
        var features: [String: Tensor] = [:], codes = Tensor.zeros([0])
        for (k, range) in shards.enumerated() {
            let part = try shard(range)
            if k == 0 {
                for (layer, t) in part.features { features[layer] = Tensor.zeros([request.range.count] + t.shape.dropFirst()) }
                codes = Tensor.zeros([request.range.count] + part.codes.shape.dropFirst())
            }
            let row = range.lowerBound - request.range.lowerBound
            for (layer, t) in part.features { Self.copy(t, into: &features[layer]!, row: row) }
            Self.copy(part.codes, into: &codes, row: row)
        }
        return (features, codes)
    }

    /// `range` cut into consecutive shards of `size` scenes (the last one shorter); the whole
    /// range when `size` is nil.
    public static func shards(of range: Range<Int>, size: Int?) -> [Range<Int>] {
        guard let size, size > 0, size < range.count else { return [range] }
        return stride(from: range.lowerBound, to: range.upperBound, by: size).map { $0..<min($0 + size, range.upperBound) }
    }

    /// One range of scenes, each layer and the codes in a file of its own.
    func loadShard(expert: Expert, layers: [String], workingShapes: [String: [Int]], autoencoder: ConvAutoencoder,
                   autoencoderID: Digest, source: any ImageSource, request: Request, batch: Int)
        throws -> (features: [String: Tensor], codes: Tensor) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tapShapes = Dictionary(expert.layers.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
        let shapes = tapShapes.merging(workingShapes) { _, working in working }
        func file(_ stem: String, _ producer: Rows.Producer) -> URL {
            let digest = Digest.of(Rows(producer: producer, scenes: source.dataIdentity, request: request))
            return directory.appendingPathComponent("\(stem)-\(request.split)-\(digest).safetensors")
        }
        let layerFiles = Dictionary(uniqueKeysWithValues: layers.map { layer in
            (layer, file("\(FileNameComponent.safe(expert.name))-\(FileNameComponent.safe(layer))",
                         .layer(expert: expert.identity, name: layer, shape: shapes[layer] ?? [])))
        })
        let codeFile = file("autoencoder", .codes(autoencoder: autoencoderID))

        let n = request.range.count
        // A file that is unreadable or not of the shape it must have is recomputed, never trusted.
        var features: [String: Tensor] = [:]
        for (layer, url) in layerFiles {
            if let shape = shapes[layer], let t = try? Self.read(url, shape: [n] + shape) { features[layer] = t }
        }
        var codes = try? Self.read(codeFile, shape: [n, autoencoder.latentDim])
        let missing = layers.filter { features[$0] == nil }
        if missing.isEmpty, let codes { return (features, codes) }

        // One pass over the scenes for everything that is missing.
        // Written in place batch by batch: the features of a large layer are held once, not twice.
        var buffers: [String: Tensor] = [:]
        for layer in missing { buffers[layer] = Tensor.zeros([n] + (shapes[layer] ?? [])) }
        var codeBuffer = codes == nil ? Tensor.zeros([n, autoencoder.latentDim]) : Tensor.zeros([0])
        let bar = ProgressBar("extract \(expert.name) \(request.split)", total: n, unit: "scenes")
        for start in stride(from: 0, to: n, by: batch) {
            let lo = request.range.lowerBound + start, hi = min(lo + batch, request.range.upperBound)
            let input = source.input(lo..<hi)
            if !missing.isEmpty {
                let f = try expert.features(input, layers: missing)
                for layer in missing {
                    let want = [hi - lo] + (shapes[layer] ?? [])
                    guard var t = f[layer], t.shape.count == want.count else {
                        throw FeatureCacheError("\(expert.name) layer '\(layer)' gave shape \(f[layer]?.shape ?? []) for \(hi - lo) scenes, "
                                                + "but its probe says \(want): correct the layer's shape in the probe file")
                    }
                    if t.rank == 4, t.shape != want, t.shape[0...1] == want[0...1], t.shape[2] >= want[2], t.shape[3] >= want[3] {
                        t = t.adaptiveAveragePooled(height: want[2], width: want[3])
                    }
                    guard t.shape == want else {
                        throw FeatureCacheError("\(expert.name) layer '\(layer)' gave shape \(f[layer]?.shape ?? []) for \(hi - lo) scenes, "
                                                + "but its probe says \(want): correct the layer's shape in the probe file")
                    }
                    Self.copy(t, into: &buffers[layer]!, row: start)
                }
            }
            if codes == nil {
                let mean = Autograd.withoutGradients { autoencoder.encode(input.images).mean }
                Self.copy(mean, into: &codeBuffer, row: start)
            }
            bar.update(hi - request.range.lowerBound)
        }
        bar.finish()
        for layer in missing {
            let t = buffers.removeValue(forKey: layer)!
            try Self.write(t, to: layerFiles[layer]!)
            features[layer] = t
        }
        if codes == nil {
            try Self.write(codeBuffer, to: codeFile)
            codes = codeBuffer
        }
        return (features, codes!)
    }

    /// Copies a batch [b, ...] into rows row..<row+b of `target`.
    static func copy(_ batch: Tensor, into target: inout Tensor, row: Int) {
        let per = target.count / max(target.shape[0], 1)
        batch.withUnsafeBufferPointer { src in
            target.withUnsafeMutableBufferPointer { dst in
                (dst.baseAddress! + row * per).update(from: src.baseAddress!, count: src.count)
            }
        }
    }

    // Features of a large layer run to hundreds of MB: both directions copy between the file's
    // bytes and the tensor's storage directly, with no array in between.
    static func read(_ url: URL, shape: [Int]) throws -> Tensor {
        let file = try SafeTensorsFile.read(contentsOf: url)
        guard try file.entry("values").shape == shape else { throw FeatureCacheError("\(url.path) is not of shape \(shape)") }
        return try Tensor(shape: shape) { try file.copyFloats("values", into: $0) }
    }

    static func write(_ t: Tensor, to url: URL) throws {
        var file = SafeTensorsFile(metadata: ["content": "cached features or codes, one row per scene"])
        try t.withUnsafeBufferPointer { try file.setFloats("values", shape: t.shape, buffer: $0) }
        try file.write(to: url)
    }
}

public struct FeatureCacheError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
