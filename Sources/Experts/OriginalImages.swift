import Datasets
import FileSupport
import Imaging
import Tensors

/// The files a batch of a user's images was read from, to be fitted again at another size: an
/// imported network whose input is larger than the autoencoder's sees each image resized once
/// from its original, not enlarged from the small copy. A file whose bytes changed since the set
/// was read is an error, never a silent other image.
public struct OriginalImages {
    public let paths: [String]
    public let digests: [Digest]

    public init(paths: [String], digests: [Digest]) {
        precondition(paths.count == digests.count, "OriginalImages: \(paths.count) paths, \(digests.count) digests")
        (self.paths, self.digests) = (paths, digests)
    }

    public func slice(_ range: Range<Int>) -> OriginalImages {
        OriginalImages(paths: Array(paths[range]), digests: Array(digests[range]))
    }

    /// [N, 3, height, width] in 0…1: each file centre-cropped and resized as `ImageSet` fits it.
    public func fitted(height: Int, width: Int) throws -> Tensor {
        let plane = 3 * height * width
        var scalars = [Float](repeating: 0, count: paths.count * plane)
        for (i, path) in paths.enumerated() {
            let bytes = try AtomicFile.read(path)
            guard bytes.withUnsafeBytes({ Digest.of(bytes: $0) }) == digests[i] else {
                throw DatasetError.imageSet(source: path, problem: "the file changed while the run was using it",
                                            fix: "Leave the images as they are until the run ends, then run it again")
            }
            let pixels = ImageSet.planes(try ImageFile.decodeFitted(bytes, width: width, height: height, source: path))
            for j in 0..<plane { scalars[i * plane + j] = Float(pixels[j]) / 255 }
        }
        return Tensor(shape: [paths.count, 3, height, width], scalars: scalars)
    }
}
