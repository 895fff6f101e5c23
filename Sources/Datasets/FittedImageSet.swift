import FileSupport
import Foundation
import Imaging

/// A user's image set read once for training at one square size: every file read and decoded
/// (`ImageFile`, RGB), fitted to size×size (`Bitmap.fitted`: Pillow's centre crop and
/// antialiased resize), and put in train or test by the digest of its bytes (`ContentSplit`).
///
/// Unusable files (unreadable, truncated, not PNG or JPEG, CMYK) are skipped and listed in
/// `skipped`; more than `maxBadFraction` of them stops the load, naming the first ten, before
/// anything is trained. Too few usable images in a split is an error that says how many are
/// needed.
///
/// Pixels are kept as 8-bit CHW samples and turned into floats 0…1 (v / 255) per batch: the
/// same values in a quarter of the memory (20,000 images at 64×64: 246 MB, not 983 MB).
public struct FittedImageSet: Sendable {
    /// The folder or table the images came from.
    public let source: String
    /// Side of every fitted image in pixels.
    public let size: Int
    /// Per usable image, in the image set's order: its path, the digest of its file and its split.
    public let paths: [String]
    public let digests: [Digest]
    public let splits: [ContentSplit]
    /// The files that could not be used, in the image set's order.
    public let skipped: [SkippedImage]
    /// 3·size·size samples per usable image, channel planes R, G, B.
    let samples: [UInt8]

    /// The fewest images per split that training accepts by default.
    public static let minimumTrain = 64, minimumTest = 8
    /// The most unusable files an error lists by name.
    public static let listedBadFiles = 10

    /// Indices (into `paths`) of the training and test images.
    public var trainIndices: [Int] { splits.indices.filter { splits[$0] == .train } }
    public var testIndices: [Int] { splits.indices.filter { splits[$0] == .test } }

    /// The image set's identity: the digest of its usable files' digests, sorted. It depends on
    /// the files' contents only, not on their names, order or the folder they are in.
    public var identity: Digest { Digest.of(digests.map(\.hex).sorted()) }

    /// Reads every image of `table` (calling `progress` with the number done after each) and
    /// checks the bad-file share and the split sizes.
    public static func load(_ table: ImageTable, size: Int, maxBadFraction: Double = 0.01,
                            minimumTrain: Int = minimumTrain, minimumTest: Int = minimumTest,
                            progress: ((Int) -> Void)? = nil) throws -> FittedImageSet {
        precondition(size > 0, "FittedImageSet: size \(size) must be positive")
        var paths: [String] = [], digests: [Digest] = [], splits: [ContentSplit] = []
        var skipped: [SkippedImage] = []
        var samples: [UInt8] = []
        samples.reserveCapacity(table.rows.count * 3 * size * size)
        for (done, row) in table.rows.enumerated() {
            do {
                let bytes = try AtomicFile.read(row.path)
                let digest = bytes.withUnsafeBytes { Digest.of(bytes: $0) }
                let fitted = try ImageFile.decode(bytes, source: row.path).fitted(width: size, height: size)
                samples += planar(fitted)
                paths.append(row.path)
                digests.append(digest)
                splits.append(ContentSplit(digest: digest))
            } catch {
                skipped.append(SkippedImage(path: row.path, reason: reason(error, path: row.path)))
            }
            progress?(done + 1)
        }
        let total = table.rows.count
        if Double(skipped.count) > maxBadFraction * Double(total) {
            throw DatasetError.tooManyBadImages(source: table.source, bad: skipped.count, total: total, allowedFraction: maxBadFraction,
                                                first: Array(skipped.prefix(listedBadFiles)))
        }
        let set = FittedImageSet(source: table.source, size: size, paths: paths, digests: digests, splits: splits,
                                 skipped: skipped, samples: samples)
        let (train, test) = (set.trainIndices.count, set.testIndices.count)
        guard train >= minimumTrain, test >= minimumTest else {
            throw DatasetError.tooFewImages(source: table.source, train: train, test: test,
                                            neededTrain: minimumTrain, neededTest: minimumTest)
        }
        return set
    }

    /// The images at `indices` as floats 0…1, [indices.count, 3, size, size] in row-major order.
    public func floats(_ indices: [Int]) -> [Float] {
        let per = 3 * size * size
        var out = [Float](repeating: 0, count: indices.count * per)
        samples.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for (k, i) in indices.enumerated() {
                    for j in 0..<per { o[k * per + j] = Float(s[i * per + j]) / 255 }
                }
            }
        }
        return out
    }

    /// Interleaved RGB to channel planes.
    static func planar(_ bitmap: Bitmap) -> [UInt8] {
        precondition(bitmap.format == .rgb, "FittedImageSet: ImageFile gives RGB")
        let plane = bitmap.width * bitmap.height
        var out = [UInt8](repeating: 0, count: 3 * plane)
        for p in 0..<plane {
            for c in 0..<3 { out[c * plane + p] = bitmap.samples[p * 3 + c] }
        }
        return out
    }

    /// An error's message without the leading path (the warning names the path itself).
    static func reason(_ error: Error, path: String) -> String {
        let text = String(describing: error)
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }
}
