import FileSupport
import Foundation
import Tensors

/// What an expert sees of a batch of scenes. Trained experts read only the images; the oracle
/// also reads the ground truth it is built from.
public struct ExpertInput {
    /// [N, 3, H, W] in 0…1.
    public let images: Tensor
    /// Per-pixel labels (garment class 0–9, background 10), N·H·W in row order.
    public let labelMaps: [Int]
    /// Garment class per scene.
    public let classes: [Int]
    /// Background kind per scene (`BackgroundKind.rawValue`).
    public let backgroundKinds: [Int]

    public init(images: Tensor, labelMaps: [Int], classes: [Int], backgroundKinds: [Int]) {
        precondition(images.rank == 4 && labelMaps.count == images.shape[0] * images.shape[2] * images.shape[3]
                     && classes.count == images.shape[0] && backgroundKinds.count == images.shape[0],
                     "ExpertInput: images \(images.shape), \(labelMaps.count) labels, \(classes.count) classes, \(backgroundKinds.count) kinds")
        (self.images, self.labelMaps, self.classes, self.backgroundKinds) = (images, labelMaps, classes, backgroundKinds)
        hasGroundTruth = true
    }

    /// Images without ground truth (a user's image set): the label maps, classes and kinds are
    /// empty; `originals` are the files they were read from.
    public init(images: Tensor, originals: OriginalImages? = nil) {
        precondition(images.rank == 4 && (originals?.paths.count ?? images.shape[0]) == images.shape[0],
                     "ExpertInput: images \(images.shape), \(originals?.paths.count ?? 0) originals")
        (self.images, labelMaps, classes, backgroundKinds, hasGroundTruth) = (images, [], [], [], false)
        self.originals = originals
    }

    /// Whether the label maps, classes and kinds are there (FashionScenes).
    public let hasGroundTruth: Bool
    /// The files of a user's images, for an expert that wants them at its own size.
    public private(set) var originals: OriginalImages? = nil

    /// The images at `height`×`width`: fitted again from the original files where there are
    /// some, else `images` as they are (an expert resizes them itself).
    public func images(height: Int, width: Int) throws -> Tensor {
        guard let originals, images.shape[2] != height || images.shape[3] != width else { return images }
        return try originals.fitted(height: height, width: width)
    }

    /// Scenes `range` of the batch.
    public func slice(_ range: Range<Int>) -> ExpertInput {
        guard hasGroundTruth else {
            return ExpertInput(images: Autograd.withoutGradients { images.slice(axis: 0, range) }, originals: originals?.slice(range))
        }
        let plane = images.shape[2] * images.shape[3]
        return ExpertInput(images: Autograd.withoutGradients { images.slice(axis: 0, range) },
                           labelMaps: Array(labelMaps[(range.lowerBound * plane)..<(range.upperBound * plane)]),
                           classes: Array(classes[range]), backgroundKinds: Array(backgroundKinds[range]))
    }
}

/// A frozen network whose layers can be tapped. Taps run in evaluation mode without gradients.
public protocol Expert: AnyObject {
    var name: String { get }
    /// What the expert's features are a function of, for the caches: its weights and everything
    /// else that changes a feature value (an imported network's preprocessing and input size).
    var identity: Digest { get }
    /// The weights file the expert was loaded from, if any (its hash goes into the report).
    var weightsFile: URL? { get }
    /// Tap points in network order with their per-sample shapes.
    var layers: [(name: String, shape: [Int])] { get }
    /// Activations of the named layers for a batch, [N] + shape each. Built-in experts do not
    /// throw; an imported one can, on a graph that fails at run time.
    func features(_ input: ExpertInput, layers: [String]) throws -> [String: Tensor]
}
