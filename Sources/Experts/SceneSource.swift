import Datasets
import FileSupport
import Tensors

/// FashionScenes of one split as tensors for the models.
public struct SceneSource: ImageSource {
    public let scenes: FashionScenes

    /// What the scenes are made from: the Fashion-MNIST labels and images (the full set and a
    /// subset share their file and split names), the scene size and the code that draws them.
    /// Caches are keyed by this.
    public let dataIdentity: Digest

    /// Train scenes come from Fashion-MNIST's train split, test scenes from its test split.
    public init(split: FashionMNISTSplit, seed: UInt64, dataDir: String? = nil) throws {
        scenes = try FashionScenes(mnist: FashionMNIST(split: split, dataDir: dataDir), seed: seed)
        var hash = ContentHash()
        for bytes in [scenes.source.labels, scenes.source.images] { bytes.withUnsafeBytes { hash.add($0) } }
        dataIdentity = Digest.of(["fashion_mnist": hash.hex, "size": "\(scenes.size)", "recipe": "\(FashionScenes.recipe)"])
    }

    public func input(_ indices: [Int]) -> ExpertInput {
        let b = scenes.batch(indices: indices)
        return ExpertInput(images: Tensor(shape: [b.count, 3, b.size, b.size], scalars: b.images),
                           labelMaps: b.labels.map(Int.init), classes: b.factors.map(\.classLabel),
                           backgroundKinds: b.factors.map(\.backgroundKind.rawValue))
    }

    public var factors: [FactorDescriptor] { SceneFactors.descriptors }
    public func factorValues(_ index: Int) -> [Float] { scenes.factors(index).values }
}
