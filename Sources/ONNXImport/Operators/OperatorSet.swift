/// Runs one node: its input values in, its output values out, in order.
typealias Kernel = (OperatorContext) throws -> [Value]

/// Every operator the importer runs, by ONNX op type (default domain). Anything else is refused
/// when the model is loaded, naming the op, the node and this list.
enum OperatorSet {
    static let kernels: [String: Kernel] = [
        ElementwiseOperators.kernels, ShapeOperators.kernels, LinearAlgebraOperators.kernels, PoolingOperators.kernels,
        ResizeOperators.kernels, PadOperator.kernels, ConvolutionOperators.kernels,
    ].reduce(into: [:]) { all, part in all.merge(part) { a, _ in a } }

    static var supported: [String] { kernels.keys.sorted() }
}
