import Foundation
import NN
import Tensors

/// The cINN translator τ of one layer: z_Θ = τ(v | z_Φ), v ~ N(0, I). An embedder turns expert
/// features into the condition; a coupling flow maps codes to residuals (`encode`, the forward
/// direction of `InvertibleBlock`) and back (`decode`). Keys: embedder.…, flow.blocks.…
public final class ConditionalFlow: Module, Translator {
    public let embedder: ConditionEmbedder
    public let flow: FlowNetwork
    public let configuration: FlowConfiguration

    public init(configuration: FlowConfiguration, embedder embedderConfiguration: EmbedderConfiguration) throws {
        var rng = Xoshiro256(seed: configuration.seed)
        self.configuration = configuration
        embedder = try ConditionEmbedder(embedderConfiguration, for: configuration, rng: &rng)
        flow = try FlowNetwork.coupling(dimension: configuration.codeDimension,
                                        conditionDimension: configuration.embeddingDimension,
                                        blocks: configuration.blocks, width: configuration.couplingWidth,
                                        hiddenLayers: configuration.couplingHiddenLayers,
                                        scaleClamp: configuration.scaleClamp, rng: &rng)
    }

    public var isConditional: Bool { true }
    public var lossUnit: String { "nats/dim" }
    public var codeDimension: Int { configuration.codeDimension }

    public func prepare(training: TranslationPairs) {
        if !embedder.standardizer.isFitted, let f = training.features { embedder.standardizer.fit(f) }
    }

    /// Condition vectors [N, embeddingDimension] for features [N, …].
    public func embed(_ features: Tensor) -> Tensor { embedder(features) }

    /// v = τ⁻¹(z | Φ) and log|det ∂v/∂z| per sample.
    public func encode(_ codes: Tensor, features: Tensor) -> (residual: Tensor, logDeterminant: Tensor) {
        let (v, ld) = flow.forward(codes, condition: embed(features))
        return (v, ld)
    }

    /// z = τ(v | Φ).
    public func decode(_ residuals: Tensor, features: Tensor) -> Tensor {
        flow.reverse(residuals, condition: embed(features)).output
    }

    /// −log p(z | Φ) per sample in nats per dimension, with the Gaussian constant.
    public func negativeLogLikelihood(_ codes: Tensor, features: Tensor) -> Tensor {
        let (v, ld) = encode(codes, features: features)
        return GaussianLikelihood.nllPerDimension(residual: v, logDeterminant: ld)
    }

    /// −log q(z) per code in nats over all dimensions, where q(z) = Σⱼ wⱼ·q(z | Φⱼ) is the density
    /// of codes this cINN implies when its conditions are drawn from `conditions` (features
    /// [M, …], weights summing to 1). For conditions with few distinct values (a one-hot class)
    /// and their empirical frequencies, log q(z | Φ) − log q(z) = log wᵢ + log q(Φᵢ | z) ≤ −log wᵢ:
    /// measured against this marginal, a layer can never keep more than its own entropy.
    public func marginalNegativeLogLikelihood(_ codes: Tensor, conditions: Tensor, weights: [Double]) throws -> [Double] {
        try embedder.check(conditions, "conditions")
        let m = conditions.shape[0], d = codeDimension
        guard m == weights.count, m > 0, codes.rank == 2, codes.shape[1] == d else {
            throw FlowError.inputShape("marginal: codes \(codes.shape), conditions \(conditions.shape), \(weights.count) weights")
        }
        let logWeights = weights.map { log($0) }
        return inferring {
            let embedded = embed(conditions)  // [M, E], once for every code
            // Codes in chunks of about 16k (code, condition) rows: bounded memory at any M.
            let chunk = max(1, 16_384 / m), n = codes.shape[0]
            var out: [Double] = []
            out.reserveCapacity(n)
            for start in stride(from: 0, to: n, by: chunk) {
                let count = min(chunk, n - start)
                let z = codes.gather(axis: 0, indices: (start..<(start + count)).flatMap { Array(repeating: $0, count: m) })
                let c = embedded.gather(axis: 0, indices: Array((0..<count).map { _ in Array(0..<m) }.joined()))
                let (v, ld) = flow.forward(z, condition: c)
                let nll = GaussianLikelihood.nllPerDimension(residual: v, logDeterminant: ld).scalars  // [count·M]
                for i in 0..<count {
                    // −log Σⱼ exp(log wⱼ − d·nllᵢⱼ), stably.
                    let terms = (0..<m).map { logWeights[$0] - Double(d) * Double(nll[i * m + $0]) }
                    let top = terms.max()!
                    out.append(-(top + log(terms.reduce(0) { $0 + exp($1 - top) })))
                }
            }
            return out
        }
    }

    public func loss(codes: Tensor, features: Tensor?) -> Tensor {
        negativeLogLikelihood(codes, features: features!).mean()
    }

    /// `count` codes per input: [N, count, D], from residuals v ~ N(0, temperature²·I). Runs in
    /// evaluation mode whatever the model's mode.
    public func sample(features: Tensor, count: Int, temperature: Float = 1, rng: inout Xoshiro256) throws -> Tensor {
        try embedder.check(features)
        let n = features.shape[0], d = codeDimension
        return inferring {  // inference must never trigger ActNorm's data-dependent init
            let c = embed(features)
            let repeated = c.gather(axis: 0, indices: (0..<n).flatMap { Array(repeating: $0, count: count) })
            let v = Tensor.normal([n * count, d], std: temperature, rng: &rng)
            return flow.reverse(v, condition: repeated).output.reshaped([n, count, d])
        }
    }

    /// Exemplar transfer: the residual of y's code under y's features, rendered under x's features,
    /// τ(τ⁻¹(z_Θ(y) | Φ(y)) | Φ(x)). Row i of the result pairs row i of each input.
    public func translate(_ codes: Tensor, fromFeatures: Tensor, toFeatures: Tensor) throws -> Tensor {
        try embedder.check(fromFeatures, "fromFeatures")
        try embedder.check(toFeatures, "toFeatures")
        guard codes.shape == [fromFeatures.shape[0], codeDimension], toFeatures.shape[0] == codes.shape[0] else {
            throw FlowError.inputShape("translate: codes \(codes.shape), fromFeatures \(fromFeatures.shape), "
                                       + "toFeatures \(toFeatures.shape): want the same N and codes [N, \(codeDimension)]")
        }
        return inferring {
            decode(encode(codes, features: fromFeatures).residual, features: toFeatures)
        }
    }

    public var checkpointMetadata: [String: String] {
        ["flows.kind": "conditional_flow",
         "flows.flow_configuration": CheckpointCoding.encode(configuration),
         "flows.embedder_configuration": CheckpointCoding.encode(embedder.configuration)]
    }
}
