import Datasets
import FileSupport

/// Where the images of one side of a run come from (the training and selection images, or the
/// test images): FashionScenes drawn by a seed (`SceneSource`) or a user's image set
/// (`ImageSetSource`). Experts and the autoencoder see `input`; read-outs learn `factors`.
public protocol ImageSource {
    /// What the images and their factor values are made from: caches are keyed by it.
    var dataIdentity: Digest { get }
    /// The factors every image has a value for (NaN where an image has none).
    var factors: [FactorDescriptor] { get }
    /// The factor values of image `index`, one per factor.
    func factorValues(_ index: Int) -> [Float]
    /// Images `indices` as experts see them.
    func input(_ indices: [Int]) -> ExpertInput
}

extension ImageSource {
    public func input(_ range: Range<Int>) -> ExpertInput { input(Array(range)) }
}
