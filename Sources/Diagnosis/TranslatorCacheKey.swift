import Experts
import Foundation

/// Every setting that changes a trained translator, so a cached one is reused only where it is
/// the translator the run would train. Its file name is the job's name and a hash of this key.
struct TranslatorCacheKey: Codable, Hashable {
    var autoencoder: String
    /// Identity of the Fashion-MNIST files the training scenes come from.
    var data: String
    /// The scenes' seed.
    var seed: UInt64
    /// The translators' seed where it is not `seed` (a later repeat of `--seeds K`); nil keeps the
    /// key, and so the cached files, of single-seed runs as they were.
    var translatorSeed: UInt64? = nil
    var trainPairs: Int
    var selectionPairs: Int
    var batchSize: Int
    var steps: Int
    var flowBlocks: Int
    var couplingWidth: Int
    var embeddingDimension: Int
    var embedderChannels: Int
    var mlpEmbedderChannels: Int
    var learningRate: Float
    var optimizer = "adam(0.9,0.999)"

    /// `ContentHash` of the key's sorted JSON.
    var digest: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var hash = ContentHash()
        ((try? encoder.encode(self)) ?? Data()).withUnsafeBytes { hash.add($0) }
        return hash.hex
    }

    func fileName(job: String) -> String { "\(job)-\(digest).safetensors" }
}
