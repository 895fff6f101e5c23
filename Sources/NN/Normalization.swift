import Tensors

/// Batch normalisation over channels of [N, C] or [N, C, H, W], as torch.nn.BatchNorm1d/2d:
/// batch statistics in training (running averages updated with `momentum`, unbiased variance),
/// running statistics in evaluation. Keys: weight, bias, running_mean, running_var, num_batches_tracked.
public final class BatchNorm: Module, UnaryLayer {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let numBatchesTracked: Buffer
    public let momentum: Float, epsilon: Float

    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        weight = Parameter(Tensor.ones([channels]))
        bias = Parameter(Tensor.zeros([channels]))
        runningMean = Buffer(Tensor.zeros([channels]))
        runningVar = Buffer(Tensor.ones([channels]))
        numBatchesTracked = Buffer(Tensor.zeros([]), isInteger: true)
        (self.momentum, self.epsilon) = (momentum, epsilon)
    }

    public func forward(_ x: Tensor) -> Tensor {
        if isTraining {
            let (y, mean, variance) = Tensor.batchNorm(x, weight: weight.value, bias: bias.value, epsilon: epsilon)
            let m = Float(x.count / x.shape[1])
            let unbiased = m > 1 ? m / (m - 1) : 1
            runningMean.value.withUnsafeMutableBufferPointer { r in
                for c in r.indices { r[c] = (1 - momentum) * r[c] + momentum * mean[c] }
            }
            runningVar.value.withUnsafeMutableBufferPointer { r in
                for c in r.indices { r[c] = (1 - momentum) * r[c] + momentum * variance[c] * unbiased }
            }
            numBatchesTracked.value = Tensor(numBatchesTracked.value.item + 1)
            return y
        }
        // y = (x − μ)/σ · γ + β as one per-channel affine map.
        let inv = (runningVar.value + epsilon).sqrt()
        let scale = weight.value / inv
        return Tensor.channelAffine(x, scale: scale, shift: bias.value - runningMean.value * scale)
    }
}

/// Activation normalisation (Glow; net2net's ActNorm): y = (x + loc) · scale per channel, with
/// loc = −mean and scale = 1/(std + 1e-6) set from the first training batch. The `initialized`
/// buffer is saved with the weights so a loaded model is not re-initialised.
/// The log-determinant of the map is H·W·Σ log|scale| per sample.
public final class ActNorm: Module, UnaryLayer {
    public let loc: Parameter
    public let scale: Parameter
    public let initialized: Buffer

    public init(_ channels: Int) {
        loc = Parameter(Tensor.zeros([channels]))
        scale = Parameter(Tensor.ones([channels]))
        initialized = Buffer(Tensor(0), isInteger: true)
    }

    public var isInitialized: Bool { initialized.value.item != 0 }

    /// Sets loc and scale from a batch so that the output has zero mean and unit variance per channel.
    public func initialize(from x: Tensor) {
        let axes = [0] + Array(2..<x.rank)
        let mean = x.detached.mean(axes: axes)
        let std = (x.detached - mean.reshaped([1, x.shape[1]] + Array(repeating: 1, count: x.rank - 2)))
            .squared().mean(axes: axes).sqrt()
        loc.assign(-mean)
        scale.assign(1 / (std + 1e-6))
        initialized.value = Tensor(1)
    }

    public func forward(_ x: Tensor) -> Tensor {
        if isTraining && !isInitialized { Autograd.withoutGradients { initialize(from: x) } }
        // (x + loc)·scale in one pass over x.
        return Tensor.channelAffine(x, scale: scale.value, shift: loc.value * scale.value)
    }

    /// Inverse map x = y / scale − loc.
    public func reverse(_ y: Tensor) -> Tensor {
        let view = [1, y.shape[1]] + Array(repeating: 1, count: y.rank - 2)
        return y / scale.value.reshaped(view) - loc.value.reshaped(view)
    }

    /// log|det ∂y/∂x| per sample.
    public func logDeterminant(spatialSize: Int = 1) -> Tensor {
        scale.value.abs().log().sum() * Float(spatialSize)
    }
}
