import Tensors

// Parameter-free layers, so they can sit in a Sequential.
public final class ReLU: Module, UnaryLayer { public func forward(_ x: Tensor) -> Tensor { x.relu() } }
public final class Tanh: Module, UnaryLayer { public func forward(_ x: Tensor) -> Tensor { x.tanh() } }
public final class Sigmoid: Module, UnaryLayer { public func forward(_ x: Tensor) -> Tensor { x.sigmoid() } }
public final class Identity: Module, UnaryLayer { public func forward(_ x: Tensor) -> Tensor { x } }

public final class LeakyReLU: Module, UnaryLayer {
    public let slope: Float
    public init(_ slope: Float = 0.01) { self.slope = slope }
    public func forward(_ x: Tensor) -> Tensor { x.leakyRelu(slope) }
}

/// [N, ...] → [N, rest].
public final class Flatten: Module, UnaryLayer { public func forward(_ x: Tensor) -> Tensor { x.flattened() } }

/// Nearest-neighbour upsampling by an integer factor (torch.nn.Upsample(scale_factor=k)).
public final class Upsample: Module, UnaryLayer {
    public let factor: Int
    public let bilinear: Bool
    public init(factor: Int, bilinear: Bool = false) { (self.factor, self.bilinear) = (factor, bilinear) }
    public func forward(_ x: Tensor) -> Tensor {
        bilinear ? x.resizedBilinear(height: x.shape[2] * factor, width: x.shape[3] * factor)
                 : x.resizedNearest(height: x.shape[2] * factor, width: x.shape[3] * factor)
    }
}

public final class MaxPool2d: Module, UnaryLayer {
    public let kernel: Int, stride: Int, padding: Int
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) { (self.kernel, self.stride, self.padding) = (kernel, stride ?? kernel, padding) }
    public func forward(_ x: Tensor) -> Tensor { x.maxPool2d(kernel: kernel, stride: stride, padding: padding) }
}

public final class AvgPool2d: Module, UnaryLayer {
    public let kernel: Int, stride: Int, padding: Int
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) { (self.kernel, self.stride, self.padding) = (kernel, stride ?? kernel, padding) }
    public func forward(_ x: Tensor) -> Tensor { x.avgPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// torch.nn.AdaptiveAvgPool2d(1).
public final class GlobalAvgPool2d: Module, UnaryLayer { public func forward(_ x: Tensor) -> Tensor { x.globalAvgPool2d() } }
