import NN
import Tensors

/// A translator's weights and description, ready for a safetensors file: `tensors` are the
/// module's state dict (parameters; buffers such as ActNorm's `initialized`, permutation
/// `indices` and standardisation `mean`/`std`, integer ones flagged); `metadata` holds the model
/// kind (`flows.kind`), configurations as JSON (`flows.flow_configuration`,
/// `flows.embedder_configuration`) and the optimiser step reached (`flows.step`).
///
/// Resuming: rebuild with `load`, then pass `step` as `TranslatorTrainer`'s `startStep`. The
/// learning-rate schedule continues where it was; Adam's moments start fresh (the checkpoint holds
/// weights only), which costs a short re-warm-up, not correctness.
public struct TranslatorCheckpoint {
    public var tensors: [StateEntry]
    public var metadata: [String: String]

    public init(tensors: [StateEntry], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public init(_ model: any Translator, step: Int) {
        self.init(model, tensors: model.stateDict(), step: step)
    }

    /// A snapshot of `model`'s state dict taken at `step` (e.g. the training loop's best weights).
    public init(_ model: any Translator, tensors: [StateEntry], step: Int) {
        self.tensors = tensors
        metadata = model.checkpointMetadata
        metadata["flows.step"] = String(step)
    }

    public var step: Int { metadata["flows.step"].flatMap(Int.init) ?? 0 }
    public var kind: String? { metadata["flows.kind"] }
    public var tensorDictionary: [String: Tensor] {
        Dictionary(tensors.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// Rebuilds the model the metadata describes and loads the tensors (all keys must match).
    public static func load(tensors: [String: Tensor], metadata: [String: String],
                            source: String = "checkpoint") throws -> any Translator {
        // Sizes are checked before anything is allocated from them: a damaged file is an error.
        let flow = try CheckpointCoding.decode(FlowConfiguration.self, metadata, key: "flows.flow_configuration")
        try flow.validate(source)
        func embedder() throws -> EmbedderConfiguration {
            let e = try CheckpointCoding.decode(EmbedderConfiguration.self, metadata, key: "flows.embedder_configuration")
            try e.validate(source)
            return e
        }
        let model: any Translator
        switch metadata["flows.kind"] {
        case "conditional_flow":
            model = try ConditionalFlow(configuration: flow, embedder: try embedder())
        case "unconditional_flow":
            model = try UnconditionalFlow(configuration: flow)
        case "mlp_baseline":
            model = try MLPBaseline(configuration: flow, embedder: try embedder())
        case let other:
            throw FlowError.checkpoint("\(source): unknown flows.kind \(other ?? "(missing)")")
        }
        try model.load(stateDict: tensors, source: source)
        model.eval()
        return model
    }

    public func load(source: String = "checkpoint") throws -> any Translator {
        try Self.load(tensors: tensorDictionary, metadata: metadata, source: source)
    }
}
