import Experts
import FileSupport
import Flows

/// Everything that builds, feeds and trains one translator of a run: the model is made from
/// `flow` and `embedder`, trained with `training` on the pairs `data` names. Its digest names the
/// translator's cache file, so a cached translator is reused exactly when every one of these
/// values is the same; nothing is listed twice by hand.
struct TranslatorSpec: Codable, Equatable {
    /// Bumped whenever code changes what a spec trains (a block's maths, an initialisation, the
    /// loss, the checkpoint format): translators cached before are then never found again.
    static let currentRecipe = 3

    /// Which translator of a run a spec is.
    enum Role: Codable, Hashable, CustomStringConvertible {
        /// The flow of the codes alone: a baseline of bits kept and the source of the ceiling.
        case unconditional
        /// A layer's conditional INN.
        case cinn(layer: String)
        /// A layer's deterministic MLP baseline.
        case mlp(layer: String)

        var layer: String? {
            switch self {
            case .unconditional: return nil
            case .cinn(let layer), .mlp(let layer): return layer
            }
        }

        /// `unconditional`, `cinn-LAYER`, `mlp-LAYER`: the name of its job and plan task.
        var description: String {
            switch self {
            case .unconditional: return "unconditional"
            case .cinn(let layer): return "cinn-\(layer)"
            case .mlp(let layer): return "mlp-\(layer)"
            }
        }
    }

    /// The pairs a translator trains on and selects its checkpoint with.
    struct Pairs: Codable, Hashable {
        /// The autoencoder whose codes are the targets.
        var autoencoder: Digest
        /// The images the scenes are made from (`ImageSource.dataIdentity`) and the scenes' seed.
        var scenes: Digest
        var sceneSeed: UInt64
        var trainPairs: Int
        var selectionPairs: Int
        /// The expert whose features condition a layer's translators (`Expert.identity`: its
        /// weights and everything that changes its features); nil for the unconditional flow.
        var expert: Digest?
    }

    var recipe = currentRecipe
    var role: Role
    var flow: FlowConfiguration
    /// The condition embedder of a cINN or an MLP; nil for the unconditional flow.
    var embedder: EmbedderConfiguration?
    var training: TrainingConfiguration
    var pairs: Pairs

    var digest: Digest { Digest.of(self) }

    /// The cache file: readable role, then the digest that identifies it.
    var fileName: String { "\(FileNameComponent.safe(role.description))-\(digest).safetensors" }

    /// A new, untrained translator of this spec.
    func make() throws -> any Translator {
        switch (role, embedder) {
        case (.unconditional, _): return try UnconditionalFlow(configuration: flow)
        case (.cinn, let embedder?): return try ConditionalFlow(configuration: flow, embedder: embedder)
        case (.mlp, let embedder?): return try MLPBaseline(configuration: flow, embedder: embedder)
        default: throw DiagnosisError("translator \(role) has no embedder configuration: this is a bug, please report it")
        }
    }
}
