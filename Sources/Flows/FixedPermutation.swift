import NN
import Tensors

/// A fixed random permutation of the dimensions, v[:, j] = x[:, indices[j]]; log-det 0. The
/// indices are drawn once from the model's seed and saved with the weights as an integer buffer,
/// so a loaded model permutes exactly as the trained one. Key: indices [D].
public final class FixedPermutation: Module, InvertibleBlock {
    public let indices: Buffer
    public let dimension: Int
    public var conditionDimension: Int? { nil }
    public var blockDescription: String { "FixedPermutation(\(dimension))" }

    public init(dimension: Int, rng: inout Xoshiro256) {
        self.dimension = dimension
        indices = Buffer(Tensor(shape: [dimension], scalars: rng.permutation(dimension).map(Float.init)), isInteger: true)
    }

    /// The permutation as integers (read from the buffer, so it follows loaded weights).
    public var order: [Int] { indices.value.scalars.map { Int($0) } }

    public func forward(_ x: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(x, condition)
        return (x.gather(axis: 1, indices: order), Tensor.zeros([x.shape[0]]))
    }

    public func reverse(_ v: Tensor, condition: Tensor?) -> (output: Tensor, logDeterminant: Tensor) {
        checkCall(v, condition)
        let p = order
        var inverse = [Int](repeating: 0, count: p.count)
        for (j, i) in p.enumerated() { inverse[i] = j }
        return (v.gather(axis: 1, indices: inverse), Tensor.zeros([v.shape[0]]))
    }
}
