import Tensors

/// Runs layers in order; children are named "0", "1", … as in torch.nn.Sequential.
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]
    public init(_ layers: [any UnaryLayer]) { self.layers = layers }
    public convenience init(_ layers: any UnaryLayer...) { self.init(layers) }

    public override func members() -> [(name: String, member: Any)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public func forward(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }
}
