/// What identifies a oneDNN primitive: the operation, every shape and parameter that goes into
/// its descriptor, and the thread count (oneDNN fixes its work split when it creates a
/// primitive, so a primitive made for two threads would start two from inside a job).
struct DNNLKey: Hashable {
    enum Operation: Hashable {
        case convolutionForward, convolutionBackwardData, convolutionBackwardWeights
        case deconvolutionForward, deconvolutionBackwardData, deconvolutionBackwardWeights
    }
    let operation: Operation
    let dims: [Int]
    let threads: Int
}
