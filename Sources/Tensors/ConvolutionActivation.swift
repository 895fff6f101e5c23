import CDNNL

/// An elementwise function applied to a convolution's output inside the convolution itself
/// (a oneDNN post-op): the output is written once, already activated, instead of being written,
/// read and written again by a separate pass. Imported networks fuse their Conv → Relu /
/// HardSwish / HardSigmoid / Clip steps this way (ExecutionPlan's fusions).
public enum ConvolutionActivation: Hashable, Sendable {
    /// max(0, x)
    case relu
    /// x · min(max(x + 3, 0), 6) / 6 (ONNX HardSwish; MobileNetV3's Mul(x, HardSigmoid(x, 1/6, 1/2))).
    case hardSwish
    /// max(0, min(1, alpha · x + beta))
    case hardSigmoid(alpha: Float, beta: Float)
    /// min(max(x, low), high)
    case clip(low: Float, high: Float)

    /// The same function as separate tensor operations (the reference the fused form is tested
    /// against, and what runs where oneDNN does not).
    public func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: return x.relu()
        case .hardSwish: return x * (x * (1 / 6) + 0.5).clamped(0, 1)
        case let .hardSigmoid(alpha, beta): return (x * alpha + beta).clamped(0, 1)
        case let .clip(low, high): return x.clamped(low, high)
        }
    }

    /// Appends the function to a oneDNN post-op chain.
    func append(to postOps: dnnl_post_ops_t) {
        func eltwise(_ algorithm: dnnl_alg_kind_t, _ alpha: Float = 0, _ beta: Float = 0) {
            DNNL.check(dnnl_post_ops_append_eltwise(postOps, 1, algorithm, alpha, beta), "adding a post-op")
        }
        switch self {
        case .relu: eltwise(dnnl_eltwise_relu)
        case .hardSwish: eltwise(dnnl_eltwise_hardswish)
        case let .hardSigmoid(alpha, beta):
            eltwise(dnnl_eltwise_linear, alpha, beta)
            eltwise(dnnl_eltwise_clip, 0, 1)
        case let .clip(low, high): eltwise(dnnl_eltwise_clip, low, high)
        }
    }
}
