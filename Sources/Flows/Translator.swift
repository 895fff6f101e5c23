import NN
import Tensors

/// What the trainer needs from a model: the cINN, the unconditional flow and the MLP baseline
/// all conform, so one training loop (stability guards, schedule, best checkpoint) serves all.
public protocol Translator: Module {
    /// Whether the model reads expert features (the trainer then requires them).
    var isConditional: Bool { get }
    /// Name of `loss`'s unit for reports: "nats/dim" (flows) or "mse/dim" (MLP).
    var lossUnit: String { get }
    /// One-time preparation from the training set (feature standardisation statistics); a model
    /// loaded from a checkpoint is already prepared and keeps its statistics.
    func prepare(training: TranslationPairs)
    /// Mean per-dimension objective of a batch (a differentiable scalar): NLL in nats per
    /// dimension including 0.5·log(2π) for flows, squared error per dimension for the MLP.
    func loss(codes: Tensor, features: Tensor?) -> Tensor
    /// Kind and configuration for checkpoints (see `TranslatorCheckpoint`).
    var checkpointMetadata: [String: String] { get }
}

extension Translator {
    /// Mean `loss` over a whole set, in evaluation mode and without gradients, in chunks of 512.
    public func evaluate(_ pairs: TranslationPairs) -> Float {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return Autograd.withoutGradients {
            var total: Double = 0
            var start = 0
            while start < pairs.count {
                let end = min(start + 512, pairs.count)
                let (z, f) = pairs.rows(Array(start..<end))
                total += Double(loss(codes: z, features: f).item) * Double(end - start)
                start = end
            }
            return Float(total / Double(max(pairs.count, 1)))
        }
    }
}
