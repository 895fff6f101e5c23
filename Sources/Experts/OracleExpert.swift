import Tensors

/// An expert with known invariances and no training: each layer is a fixed function of the scene
/// (pixels, or the ground truth it was drawn from). It checks the diagnosis itself: the report
/// must find exactly the invariances documented in probes/oracle.json.
public final class OracleExpert: Expert {
    public let name = "oracle"
    public init() {}

    public let layers: [(name: String, shape: [Int])] = [
        ("pixels", [3, 32, 32]),  // identity: keeps everything
        ("gray", [1, 32, 32]),    // HSV value max(R, G, B): ignores hue and saturation
        ("lowres", [3, 4, 4]),    // 8×8 average pooling: ignores fine detail
        ("mask", [1, 32, 32]),    // garment silhouette: ignores colour and background
        ("class", [10]),          // one-hot garment class: ignores everything else
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
                    var onehot = [Float](repeating: 0, count: n * 10)
                    for (i, c) in input.classes.enumerated() { onehot[i * 10 + c] = 1 }
                    out[layer] = Tensor(shape: [n, 10], scalars: onehot)
                default:
                    preconditionFailure("oracle has no layer \(layer); resolve names through Probe first")
                }
            }
            return out
        }
    }
}

/// A trained network (DeepLabLite or ResNetClassifier) as a frozen expert.
public final class NetworkExpert: Expert {
    public let name: String
    public let layers: [(name: String, shape: [Int])]
    private let run: (Tensor, (String, Tensor) -> Void) -> Void

    public init(deeplab: DeepLabLite) {
        deeplab.eval(); deeplab.freeze()
        name = "deeplab"; layers = DeepLabLite.taps
        run = { x, tap in _ = deeplab.forward(x, tap: tap) }
    }

    public init(resnet: ResNetClassifier) {
        resnet.eval(); resnet.freeze()
        name = "resnet"; layers = ResNetClassifier.taps
        run = { x, tap in _ = resnet.forward(x, tap: tap) }
    }

    public func features(_ input: ExpertInput, layers wanted: [String]) -> [String: Tensor] {
        Autograd.withoutGradients {
            var out: [String: Tensor] = [:]
            let set = Set(wanted)
            run(input.images) { name, t in if set.contains(name) { out[name] = t } }
            return out
        }
    }
}
