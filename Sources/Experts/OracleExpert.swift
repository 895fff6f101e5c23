import Datasets
import FileSupport
import Foundation
import NN
import Tensors

/// An expert with known invariances and no training: each layer is a fixed function of the scene
/// (pixels, or the ground truth it was drawn from). It checks the diagnosis itself: the report
/// must find exactly the invariances documented in probes/oracle.json.
public final class OracleExpert: Expert {
    public let name = "oracle"
    /// Fixed functions: the same features whatever is installed, until their code changes
    /// (bump the recipe then).
    public let identity = Digest.of(["expert": "oracle", "recipe": "1"])
    public let weightsFile: URL? = nil
    public init() {}

    public let layers: [(name: String, shape: [Int])] = [
        ("pixels", [3, 32, 32]),  // identity: keeps everything
        ("gray", [1, 32, 32]),    // HSV value max(R, G, B): ignores hue and saturation
        ("lowres", [3, 4, 4]),    // 8×8 average pooling: ignores fine detail
        ("mask", [1, 32, 32]),    // garment silhouette: ignores colour and background
        ("class", [10]),          // one-hot garment class: ignores everything else
        ("class_kind", [14]),     // one-hot class ⊕ one-hot background kind: log2(10) + 2 bits at most
    ]

    public func features(_ input: ExpertInput, layers wanted: [String]) -> [String: Tensor] {
        Autograd.withoutGradients {
            let x = input.images
            let n = x.shape[0], h = x.shape[2], w = x.shape[3]
            var out: [String: Tensor] = [:]
            for layer in wanted {
                switch layer {
                case "pixels":
                    out[layer] = x
                case "gray":
                    // The value channel of HSV is max(R, G, B): the same for every hue and
                    // saturation of a colour of given value.
                    out[layer] = x.max(axis: 1, keepDims: true)
                case "lowres":
                    out[layer] = x.avgPool2d(kernel: 8)
                case "mask":
                    out[layer] = Tensor(shape: [n, 1, h, w], scalars: input.labelMaps.map { $0 == 10 ? 0 : 1 })
                case "class":
                    out[layer] = Self.oneHot([(input.classes, 10)])
                case "class_kind":
                    out[layer] = Self.oneHot([(input.classes, 10), (input.backgroundKinds, BackgroundKind.allCases.count)])
                default:
                    preconditionFailure("oracle has no layer \(layer); resolve names through Probe first")
                }
            }
            return out
        }
    }

    /// Rows of concatenated one-hot codes, one block per (values, number of values).
    static func oneHot(_ blocks: [(values: [Int], count: Int)]) -> Tensor {
        let n = blocks[0].values.count, width = blocks.reduce(0) { $0 + $1.count }
        var rows = [Float](repeating: 0, count: n * width)
        var offset = 0
        for block in blocks {
            for (i, v) in block.values.enumerated() { rows[i * width + offset + v] = 1 }
            offset += block.count
        }
        return Tensor(shape: [n, width], scalars: rows)
    }
}

/// A trained network (DeepLabLite or ResNetClassifier) as a frozen expert.
public final class NetworkExpert: Expert {
    public let name: String
    public let identity: Digest
    public let weightsFile: URL?
    public let layers: [(name: String, shape: [Int])]
    private let run: (Tensor, (String, Tensor) -> Void) -> Void

    /// `weights`: the file the network was loaded from; its digest is the identity (else the
    /// digest of the weights themselves, for a network that was never saved).
    public init(deeplab: DeepLabLite, weights: URL? = nil) throws {
        deeplab.eval(); deeplab.freeze()
        name = "deeplab"; layers = DeepLabLite.taps
        (weightsFile, identity) = (weights, try weights.map { try Digest.of(file: $0) } ?? Self.digest(deeplab.stateDict()))
        run = { x, tap in _ = deeplab.forward(x, tap: tap) }
    }

    public init(resnet: ResNetClassifier, weights: URL? = nil) throws {
        resnet.eval(); resnet.freeze()
        name = "resnet"; layers = ResNetClassifier.taps
        (weightsFile, identity) = (weights, try weights.map { try Digest.of(file: $0) } ?? Self.digest(resnet.stateDict()))
        run = { x, tap in _ = resnet.forward(x, tap: tap) }
    }

    /// The digest of a network's weights in memory: its keys and values, in order.
    static func digest(_ state: [StateEntry]) -> Digest {
        var hash = ContentHash()
        for entry in state {
            Array(entry.key.utf8).withUnsafeBytes { hash.add($0) }
            entry.value.withUnsafeBufferPointer { hash.add(UnsafeRawBufferPointer($0)) }
        }
        return hash.digest
    }

    /// The networks were trained on 32×32 scenes: a user's images reach them fitted from their
    /// originals at that size, whatever the autoencoder's.
    public func features(_ input: ExpertInput, layers wanted: [String]) throws -> [String: Tensor] {
        let images = try input.images(height: 32, width: 32)
        return Autograd.withoutGradients {
            var out: [String: Tensor] = [:]
            let set = Set(wanted)
            run(images) { name, t in if set.contains(name) { out[name] = t } }
            return out
        }
    }
}
