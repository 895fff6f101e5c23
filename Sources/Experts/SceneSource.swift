import Datasets
import Tensors

/// FashionScenes of one split as tensors for the models.
public struct SceneSource {
    public let scenes: FashionScenes

    /// Train scenes come from Fashion-MNIST's train split, test scenes from its test split.
    /// Which Fashion-MNIST files the scenes are drawn from (`FashionMNIST.identity`).
    public let dataIdentity: String

    public init(split: FashionMNISTSplit, seed: UInt64, dataDir: String? = nil) throws {
        scenes = try FashionScenes(mnist: FashionMNIST(split: split, dataDir: dataDir), seed: seed)
        dataIdentity = scenes.source.identity
    }

    public func input(_ indices: [Int]) -> ExpertInput {
        let b = scenes.batch(indices: indices)
        return ExpertInput(images: Tensor(shape: [b.count, 3, b.size, b.size], scalars: b.images),
                           labelMaps: b.labels.map(Int.init), classes: b.factors.map(\.classLabel),
                           backgroundKinds: b.factors.map(\.backgroundKind.rawValue))
    }

    public func input(_ range: Range<Int>) -> ExpertInput { input(Array(range)) }
}
