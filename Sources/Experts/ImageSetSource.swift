import Datasets
import FileSupport
import Tensors

/// Images of a user's image set as one side of a run: the first `train` images of the train split
/// followed by the first `selection` of the selection split (the training side), or the first
/// `test` of the test split. They carry no label maps, so only experts that read the images
/// alone (not the oracle) can be diagnosed on them.
public struct ImageSetSource: ImageSource {
    public let imageSet: ImageSet
    /// Positions in the set of this side's images.
    let positions: [Int]
    public let dataIdentity: Digest

    /// The training side: `train` train images, then `selection` selection images.
    public init(trainingSideOf set: ImageSet, train: Int, selection: Int) {
        self.init(set, positions: Array(set.indices(in: .train).prefix(train)) + Array(set.indices(in: .selection).prefix(selection)),
                  side: "train \(train) selection \(selection)")
    }

    /// The test side: the first `count` test images.
    public init(testSideOf set: ImageSet, count: Int) {
        self.init(set, positions: Array(set.indices(in: .test).prefix(count)), side: "test \(count)")
    }

    init(_ set: ImageSet, positions: [Int], side: String) {
        (imageSet, self.positions) = (set, positions)
        dataIdentity = Digest.of(["image_set": set.identity.hex, "side": side])
    }

    public var count: Int { positions.count }
    public var factors: [FactorDescriptor] { imageSet.factors }
    public func factorValues(_ index: Int) -> [Float] { imageSet.items[positions[index]].values }

    public func input(_ indices: [Int]) -> ExpertInput {
        let chosen = indices.map { positions[$0] }, size = imageSet.size
        return ExpertInput(images: Tensor(shape: [indices.count, 3, size, size], scalars: imageSet.floats(chosen)),
                           originals: OriginalImages(paths: chosen.map { imageSet.items[$0].path },
                                                     digests: chosen.map { imageSet.items[$0].digest }))
    }
}
