/// An implementation of every convolution a `ConvolutionShape` describes: the one interface behind
/// which oneDNN and the reference sit. Trained convolutions (`conv2d`, `convTranspose2d`) take
/// `forward`, whose gradient kernels the one backward rule (`ConvolutionBackward`) records; frozen
/// ones (`convolution2d`, `convolutionTranspose2d`) take `inference`, which also applies a fused
/// activation and keeps `shape`'s layouts.
protocol ConvolutionBackend {
    /// The output of x [N, C, H, W] convolved with `weight` (+ `bias`), and the kernels of its
    /// input and weight gradients.
    static func forward(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?) -> (Tensor, ConvolutionBackward)
    /// The output, with `activation` applied, for maps stored as `shape`'s layouts say; nothing
    /// is recorded. `weightCache` may keep weights in the implementation's own layout.
    static func inference(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?,
                          activation: ConvolutionActivation?, weightCache: ConvolutionWeightCache?) -> Tensor
}

/// oneDNN's primitives (DNNLConvolution.swift, DNNLTrainingConvolution.swift,
/// DNNLInferenceConvolution.swift).
enum OneDNNConvolution: ConvolutionBackend {
    static func forward(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?) -> (Tensor, ConvolutionBackward) {
        Tensor.onDNNL(shape, x: x, weight: weight, bias: bias)
    }

    static func inference(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?,
                          activation: ConvolutionActivation?, weightCache: ConvolutionWeightCache?) -> Tensor {
        Tensor.dnnlInference(shape, x: x, weight: weight, bias: bias, activation: activation, weightCache: weightCache)
    }
}

/// The reference kernels (ReferenceConvolution.swift): im2col and matrix products.
enum ReferenceConvolution: ConvolutionBackend {
    static func forward(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?) -> (Tensor, ConvolutionBackward) {
        Tensor.onReference(shape, x: x, weight: weight, bias: bias)
    }

    static func inference(_ shape: ConvolutionShape, x: Tensor, weight: Tensor, bias: Tensor?,
                          activation: ConvolutionActivation?, weightCache: ConvolutionWeightCache?) -> Tensor {
        Tensor.referenceInference(shape, x: x, weight: weight, bias: bias, activation: activation)
    }
}

extension ConvolutionShape {
    /// The implementation the bound context chooses for this shape: oneDNN unless the context
    /// turns it off (`DIAGNOSE_DNNL=0`) or oneDNN cannot describe the shape.
    var backend: any ConvolutionBackend.Type {
        ExecutionContext.current.convolutionsOnDNNL && oneDNNDescribes ? OneDNNConvolution.self : ReferenceConvolution.self
    }
}
