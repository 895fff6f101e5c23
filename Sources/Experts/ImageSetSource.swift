import Datasets
import FileSupport
import Tensors

/// Images of a user's image set as one side of a run: the first `train` images of the train split
/// followed by the first `selection` of the selection split (the training side), or the first
/// `test` of the test split. They carry no label maps, so only experts that read the images
/// alone (not the oracle) can be diagnosed on them.
public struct ImageSetSource: ImageSource {
    public let imageSet: ImageSet
    let items: [ImageSet.Item]
    public let dataIdentity: Digest

    /// The training side: `train` train images, then `selection` selection images.
    public init(trainingSideOf set: ImageSet, train: Int, selection: Int) {
        self.init(set, items: Array(set.items(in: .train).prefix(train)) + Array(set.items(in: .selection).prefix(selection)),
                  side: "train \(train) selection \(selection)")
    }

    /// The test side: the first `count` test images.
    public init(testSideOf set: ImageSet, count: Int) {
        self.init(set, items: Array(set.items(in: .test).prefix(count)), side: "test \(count)")
    }

    init(_ set: ImageSet, items: [ImageSet.Item], side: String) {
        (imageSet, self.items) = (set, items)
        dataIdentity = Digest.of(["image_set": set.identity.hex, "side": side])
    }

    public var count: Int { items.count }
    public var factors: [FactorDescriptor] { imageSet.factors }
    public func factorValues(_ index: Int) -> [Float] { items[index].values }

    public func input(_ indices: [Int]) -> ExpertInput {
        let plane = 3 * imageSet.size * imageSet.size
        var scalars = [Float](repeating: 0, count: indices.count * plane)
        scalars.withUnsafeMutableBufferPointer { out in
            for (row, i) in indices.enumerated() {
                items[i].pixels.withUnsafeBufferPointer { (out.baseAddress! + row * plane).update(from: $0.baseAddress!, count: plane) }
            }
        }
        let chosen = indices.map { items[$0] }
        return ExpertInput(images: Tensor(shape: [indices.count, 3, imageSet.size, imageSet.size], scalars: scalars),
                           originals: OriginalImages(paths: chosen.map(\.path), digests: chosen.map(\.digest)))
    }
}
