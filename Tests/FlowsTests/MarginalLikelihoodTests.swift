import Foundation
import XCTest
@testable import Flows
import NN
import Tensors

/// The cINN's own marginal, the baseline of bits kept for layers with few values (issue 20):
/// its conditions and weights, its value against a direct sum, and the entropy bound it gives.
final class MarginalLikelihoodTests: XCTestCase {
    /// Rows of one-hot codes of `values` (of `count` possible values).
    private func oneHot(_ values: [Int], count: Int) -> Tensor {
        var rows = [Float](repeating: 0, count: values.count * count)
        for (i, v) in values.enumerated() { rows[i * count + v] = 1 }
        return Tensor(shape: [values.count, count], scalars: rows)
    }

    private func flow(conditionWidth: Int) throws -> ConditionalFlow {
        let model = try ConditionalFlow(configuration: FlowConfiguration(codeDimension: 4, blocks: 2, couplingWidth: 16,
                                                                         embeddingDimension: 8, seed: 3),
                                        embedder: EmbedderConfiguration(inputShape: [conditionWidth], outputDimension: 8,
                                                                        hiddenWidth: 16, hiddenLayers: 1))
        perturbParameters(model)
        return model
    }

    func testFewDistinctValuesGiveTheirFrequenciesOtherwiseASample() {
        let values = [0, 2, 2, 1, 2, 0, 2, 2]
        let exact = ConditionMixture(features: oneHot(values, count: 3), limit: 5, seed: 1)
        XCTAssertTrue(exact.isExact)
        XCTAssertEqual(exact.weights, [2.0 / 8, 5.0 / 8, 1.0 / 8], "first-appearance order: 0, 2, 1")
        XCTAssertEqual(exact.conditions.scalars, oneHot([0, 2, 1], count: 3).scalars)
        var rng = Xoshiro256(seed: 4)
        let continuous = Tensor.normal([50, 3], rng: &rng)
        let sampled = ConditionMixture(features: continuous, limit: 7, seed: 1)
        XCTAssertFalse(sampled.isExact)
        XCTAssertEqual(sampled.conditions.shape, [7, 3])
        XCTAssertEqual(sampled.weights, Array(repeating: 1.0 / 7, count: 7))
        XCTAssertEqual(ConditionMixture(features: continuous, limit: 7, seed: 1).conditions.scalars, sampled.conditions.scalars,
                       "the sample comes from the seed")
    }

    /// −log Σⱼ wⱼ q(z | Φⱼ), chunked and log-sum-exp'd, equals the sum of the per-condition
    /// likelihoods computed one condition at a time in Double.
    func testMarginalEqualsTheWeightedSumOfConditionalLikelihoods() throws {
        let model = try flow(conditionWidth: 3)
        model.prepare(training: try TranslationPairs(codes: Tensor.zeros([6, 4]), features: oneHot([0, 1, 2, 0, 1, 2], count: 3)))
        var rng = Xoshiro256(seed: 9)
        let codes = Tensor.normal([5, 4], rng: &rng)
        let conditions = oneHot([0, 1, 2], count: 3), weights = [0.5, 0.3, 0.2]
        let marginal = try model.marginalNegativeLogLikelihood(codes, conditions: conditions, weights: weights)
        model.eval()
        for i in 0..<5 {
            let z = codes.slice(axis: 0, i..<(i + 1))
            let density = (0..<3).map { j -> Double in
                let nll = Double(model.negativeLogLikelihood(z, features: conditions.slice(axis: 0, j..<(j + 1))).item) * 4
                return weights[j] * exp(-nll)
            }.reduce(0, +)
            XCTAssertEqual(marginal[i], -log(density), accuracy: 1e-4, "code \(i)")
        }
    }

    /// For conditions with few values, log q(z | Φᵢ) − log Σⱼ wⱼ q(z | Φⱼ) ≤ −log wᵢ per code,
    /// whatever the model: bits kept against the marginal cannot exceed the layer's entropy.
    func testBitsAgainstTheMarginalNeverExceedTheConditionsEntropy() throws {
        let model = try flow(conditionWidth: 4)
        let labels = (0..<40).map { $0 % 4 == 3 ? 3 : $0 % 3 }  // uneven frequencies
        let features = oneHot(labels, count: 4)
        model.prepare(training: try TranslationPairs(codes: Tensor.zeros([40, 4]), features: features))
        let mixture = ConditionMixture(features: features, limit: 16, seed: 0)
        var rng = Xoshiro256(seed: 5)
        let codes = Tensor.normal([40, 4], std: 2, rng: &rng)
        let marginal = try model.marginalNegativeLogLikelihood(codes, conditions: mixture.conditions, weights: mixture.weights)
        model.eval()
        let conditional = Autograd.withoutGradients { model.negativeLogLikelihood(codes, features: features).scalars.map { Double($0) * 4 } }
        let weightOf = Dictionary(uniqueKeysWithValues: (0..<mixture.weights.count).map { j in
            (mixture.conditions.slice(axis: 0, j..<(j + 1)).scalars, mixture.weights[j])
        })
        for i in 0..<40 {
            let w = try XCTUnwrap(weightOf[features.slice(axis: 0, i..<(i + 1)).scalars])
            XCTAssertLessThanOrEqual(marginal[i] - conditional[i], -log(w) + 1e-4, "code \(i)")
        }
    }
}
