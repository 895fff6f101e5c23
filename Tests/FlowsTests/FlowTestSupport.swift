import Foundation
import XCTest
@testable import Flows
import NN
import Tensors

/// Moves every parameter away from its initialisation (zero-initialised coupling outputs, unit
/// ActNorm scales), so blocks have non-zero log-determinants in the tests.
func perturbParameters(_ module: Module, scale: Float = 0.3, seed: UInt64 = 99) {
    var rng = Xoshiro256(seed: seed)
    for (_, p) in module.namedParameters() {
        p.assign(p.value + Tensor.normal(p.value.shape, std: scale, rng: &rng))
    }
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
    return zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
}

func parameterSnapshot(_ module: Module) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.0, $0.1.value.scalars) })
}

/// log|det M| of a square matrix by LU with partial pivoting, in Double.
func logAbsDeterminant(_ matrix: [[Double]]) -> Double {
    var a = matrix
    let n = a.count
    var total = 0.0
    for k in 0..<n {
        let pivot = (k..<n).max { Swift.abs(a[$0][k]) < Swift.abs(a[$1][k]) }!
        a.swapAt(k, pivot)
        total += Foundation.log(Swift.abs(a[k][k]))
        for i in (k + 1)..<n {
            let f = a[i][k] / a[k][k]
            for j in k..<n { a[i][j] -= f * a[k][j] }
        }
    }
    return total
}

/// Linear-Gaussian toy data: features c ~ N(0, I_F), codes z = A·c + σ·ε. The true conditional
/// NLL is 0.5·log(2πeσ²) nats per dimension.
func linearGaussianPairs(count: Int, featureDimension: Int, codeDimension: Int, sigma: Float,
                         matrix: Tensor, seed: UInt64) throws -> TranslationPairs {
    var rng = Xoshiro256(seed: seed)
    let c = Tensor.normal([count, featureDimension], rng: &rng)
    let z = Tensor.matmul(c, matrix, transposeB: true) + Tensor.normal([count, codeDimension], std: sigma, rng: &rng)
    return try TranslationPairs(codes: z, features: c)
}
