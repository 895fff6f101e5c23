import FileSupport
import Foundation
import ONNXImport
import Tensors

/// A network the user brings as an ONNX file, run by the importer. Its identity covers the file
/// and the probe's preprocessing and input size; its taps are the graph's node outputs; scenes
/// reach it through that preprocessing.
public final class ImportedExpert: Expert {
    public let name: String
    public let identity: Digest
    /// The .onnx file's digest, for the report.
    public let modelDigest: Digest
    public let weightsFile: URL?
    public let layers: [(name: String, shape: [Int])]
    public let network: ONNXNetwork
    public let preprocessing: Preprocessing

    public init(network: ONNXNetwork, preprocessing: Preprocessing) throws {
        if let problem = preprocessing.problem(channels: network.inputShape[0]) {
            throw ExpertError.corruptProbe(path: ImportedProbe.probeURL(for: network.url).path, reason: "preprocessing: \(problem)")
        }
        (self.network, self.preprocessing) = (network, preprocessing)
        name = network.url.lastPathComponent
        weightsFile = network.url
        modelDigest = try Digest.of(file: network.url)
        identity = Digest.of(Identity(model: modelDigest, input: network.inputShape, preprocessing: preprocessing))
        layers = network.taps.map { ($0.name, $0.shape) }
    }

    /// Everything a feature value of an imported network depends on. `recipe` is bumped when
    /// the code that feeds the network changes (`Preprocessing.apply`'s resizing, say).
    struct Identity: Encodable {
        var recipe = 1
        let model: Digest
        let input: [Int]
        let preprocessing: Preprocessing
    }

    /// Scenes per forward pass: about 4 M input values (27 images at 224×224), so that the
    /// intermediates of a large network stay in the tens of MB whatever batch the caller passes.
    var piece: Int { max(1, (1 << 22) / network.inputShape.reduce(1, *)) }

    public func features(_ input: ExpertInput, layers wanted: [String]) throws -> [String: Tensor] {
        try Autograd.withoutGradients {
            let n = input.images.shape[0]
            let parts = try stride(from: 0, to: n, by: piece).map { start -> [String: Tensor] in
                // A user's images are fitted from their originals at the network's size; scenes are resized by `apply`.
                let (h, w) = (network.inputShape[1], network.inputShape[2])
                let images = try input.slice(start..<min(n, start + piece)).images(height: h, width: w)
                let x = preprocessing.apply(images, height: h, width: w)
                return try network.activations(x, taps: wanted)
            }
            if parts.count == 1 { return parts[0] }
            return Dictionary(uniqueKeysWithValues: wanted.map { name in (name, Tensor.concat(parts.map { $0[name]! }, axis: 0)) })
        }
    }
}
