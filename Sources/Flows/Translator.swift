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
    /// `body` on a whole set in chunks of 512 rows, in evaluation mode and without gradients: how
    /// every held-out measurement walks a set.
    public func inChunks<T>(_ pairs: TranslationPairs, _ body: (_ codes: Tensor, _ features: Tensor?) -> T) -> [T] {
        inferring {
            stride(from: 0, to: pairs.count, by: 512).map { start in
                let (z, f) = pairs.rows(Array(start..<min(start + 512, pairs.count)))
                return body(z, f)
            }
        }
    }

    /// Mean `loss` over a whole set.
    public func evaluate(_ pairs: TranslationPairs) -> Float {
        let total = inChunks(pairs) { z, f in Double(loss(codes: z, features: f).item) * Double(z.shape[0]) }.reduce(0, +)
        return Float(total / Double(max(pairs.count, 1)))
    }
}
