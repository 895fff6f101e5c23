import Flows
import Foundation
import Metrics
import Report
import Tensors

/// Bits kept of one layer: how much shorter the cINN codes a test scene's z_Θ given the layer's
/// features than a model of p(z_Θ) without them does, in bits over the whole code, averaged over
/// test scenes (docs/diagnosis.md, "Bits kept").
///
/// Two models of p(z_Θ) can serve as the baseline, and the one with the lower mean NLL on the
/// selection codes is used: the unconditional flow, and the cINN's own marginal Σⱼ wⱼ·q(z | Φⱼ) over
/// training features (`ConditionMixture`). The marginal has exactly the cINN's capacity and
/// training, and for a layer with few distinct values it bounds bits kept by the layer's entropy;
/// the flow is the better density where a layer keeps so much that a few hundred conditions
/// cannot cover p(z_Θ).
struct BitsKept {
    let kept: MeanWithError
    let baseline: BitsBaseline
    let overUnconditional: MeanWithError
    /// Only computed when the marginal is the baseline: on every test code it costs one flow pass
    /// per condition.
    let overMarginal: MeanWithError?

    /// Selection codes of the first look (below).
    static let screenedCodes = 128

    /// - Parameters:
    ///   - conditional, unconditional: per test scene, NLL in nats per dimension of the cINN
    ///     (with the scene's features) and of the unconditional flow.
    static func measure(cinn: ConditionalFlow, unconditionalFlow: UnconditionalFlow, conditional: [Double], unconditional: [Double],
                        selectionCodes: Tensor, testCodes: Tensor, mixture: ConditionMixture) throws -> BitsKept {
        let d = Double(cinn.codeDimension)
        func bits(_ baseline: [Double]) -> MeanWithError {
            let perScene = zip(baseline, conditional).map { ($0 - $1) * d / log(2) }
            return MeanWithError(mean: SampleStatistics.mean(perScene), standardError: SampleStatistics.standardError(perScene))
        }
        let overUnconditional = bits(unconditional)
        func flowNLL(_ codes: Tensor) throws -> [Double] {
            unconditionalFlow.inChunks(try TranslationPairs(codes: codes, features: nil)) { z, _ in
                unconditionalFlow.negativeLogLikelihood(z).scalars
            }.joined().map(Double.init)
        }
        func marginalNLL(_ codes: Tensor) throws -> [Double] {
            try cinn.marginalNegativeLogLikelihood(codes, conditions: mixture.conditions, weights: mixture.weights).map { $0 / d }
        }
        // Per selection code, how much longer the marginal codes it than the flow (nats/dim).
        func excess(_ codes: Tensor) throws -> [Double] { zip(try marginalNLL(codes), try flowNLL(codes)).map { $0 - $1 } }
        // A first look at a few codes rejects the marginal where it is clearly worse (a layer that
        // keeps much: hundreds of bits worse), so that case costs seconds; otherwise all of them decide.
        let screen = Autograd.withoutGradients { selectionCodes.slice(axis: 0, 0..<min(screenedCodes, selectionCodes.shape[0])) }
        let first = try excess(screen)
        let clearlyWorse = SampleStatistics.mean(first) > 3 * SampleStatistics.standardError(first)
        guard !clearlyWorse, SampleStatistics.mean(screen.shape[0] == selectionCodes.shape[0] ? first : try excess(selectionCodes)) < 0 else {
            return BitsKept(kept: overUnconditional, baseline: .unconditional, overUnconditional: overUnconditional, overMarginal: nil)
        }
        let overMarginal = bits(try marginalNLL(testCodes))
        return BitsKept(kept: overMarginal, baseline: .marginal, overUnconditional: overUnconditional, overMarginal: overMarginal)
    }
}
