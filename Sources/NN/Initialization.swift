import Foundation
import Tensors

/// PyTorch's default initialisation for Linear and Conv layers (kaiming_uniform with a = √5,
/// which is uniform in ±1/√fan_in for weights and biases alike).
enum Init {
    static func uniformFanIn(_ shape: [Int], fanIn: Int, rng: inout Xoshiro256) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, rng: &rng)
    }
}
