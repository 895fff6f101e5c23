import Flows
import Foundation
import NN
import SafeTensors
import Tensors

/// Trained translators on disk: the report keeps them for re-use, and the cache keeps them so an
/// interrupted run does not train them again.
enum TranslatorStore {
    static func save(_ checkpoint: TranslatorCheckpoint, to url: URL, extra: [String: String] = [:]) throws {
        try Checkpoint.write(checkpoint.tensors, metadata: checkpoint.metadata.merging(extra) { _, new in new }, to: url)
    }

    static func load(_ url: URL) throws -> (model: any Translator, metadata: [String: String]) {
        let file = try SafeTensorsFile.read(contentsOf: url)
        let model = try TranslatorCheckpoint.load(tensors: try Checkpoint.tensors(in: file), metadata: file.metadata,
                                                  source: url.path)
        return (model, file.metadata)
    }
}
