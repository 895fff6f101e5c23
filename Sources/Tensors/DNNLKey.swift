/// What identifies a oneDNN primitive: the operation, every shape and parameter that goes into
/// its descriptor, and the thread count (oneDNN fixes its work split when it creates a
/// primitive, so a primitive made for two threads would start two from inside a job).
struct DNNLKey: Hashable {
    enum Operation: Hashable {
        case convolutionForward, convolutionBackwardData, convolutionBackwardWeights
        case deconvolutionForward, deconvolutionBackwardData, deconvolutionBackwardWeights
        /// Forward for inference only (`dnnl_forward_inference`): no gradient will be asked for,
        /// which lets oneDNN fuse an activation and pick kernels that keep nothing for backward.
        case convolutionInference, deconvolutionInference
    }
    let operation: Operation
    let dims: [Int]
    let threads: Int
    /// A post-op applied to the output (inference primitives only).
    var activation: ConvolutionActivation? = nil
}
