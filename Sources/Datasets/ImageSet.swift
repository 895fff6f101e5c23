import FileSupport
import Foundation
import Imaging

/// A user's images ready for a diagnosis: every readable image of a folder (`ImageFolder`) or
/// table (`ImageTable`), centre-cropped and resized once to `size`×`size` (`Bitmap.fitted`,
/// Pillow's antialiased bilinear filter), with its attribute values followed by its photometric
/// factors (`PhotometricFactors`, measured on the fitted image), in a split decided by its
/// content alone: adding or removing images never moves another image between splits.
/// Unreadable files are skipped and listed; more than `maxBadFraction` of them stops the run.
/// No file of the set is ever written.
public struct ImageSet {
    /// Which part of a run an image serves: translators train on `train`, pick their best
    /// checkpoint on `selection`, and every reported number is measured on `test`.
    public enum Split: String, CaseIterable, Sendable {
        case train, selection, test
    }

    /// One readable image.
    public struct Item {
        public let path: String
        /// The digest of the file's bytes.
        public let digest: Digest
        public let split: Split
        /// [3, size, size] in 0…1.
        public let pixels: [Float]
        /// One per factor of the set; NaN where the image has no value.
        public let values: [Float]
    }

    /// Bumped whenever reading, fitting or measuring an image changes.
    public static let recipe = 1

    /// The folder or table the set was read from.
    public let source: String
    public let size: Int
    /// The table's attribute columns, then the photometric factors.
    public let factors: [FactorDescriptor]
    /// Readable images in the source's order.
    public let items: [Item]
    /// Files that could not be read, with the reason.
    public let skipped: [(path: String, reason: String)]
    /// What a diagnosis of the set depends on: every image's bytes, split and values, the
    /// factors, the size and the recipe. Caches of the set's features are keyed by it.
    public let identity: Digest

    /// The split of a file with this content digest: 10 % test, 10 % selection, 80 % train.
    public static func split(of digest: Digest) -> Split {
        switch (UInt64(digest.hex, radix: 16) ?? 0) % 10 {
        case 0: return .test
        case 1: return .selection
        default: return .train
        }
    }

    /// The images of `split`, in the source's order.
    public func items(in split: Split) -> [Item] { items.filter { $0.split == split } }

    /// Reads the set at `path`: a folder (searched recursively) or a `.csv`/`.tsv` table with a
    /// `path` column. `progress` is called with the number of files read so far.
    public static func open(_ path: String, size: Int, maxBadFraction: Double = 0.01,
                            progress: ((Int, Int) -> Void)? = nil) throws -> ImageSet {
        guard (8...1_024).contains(size) else {
            throw DatasetError.imageSet(source: path, problem: "image size \(size) is out of range", fix: "Use a size within 8...1024")
        }
        guard maxBadFraction >= 0, maxBadFraction <= 1 else {
            throw DatasetError.imageSet(source: path, problem: "the share of bad files allowed, \(maxBadFraction), is not within 0...1",
                                        fix: "Pass --max-bad-fraction between 0 and 1, e.g. 0.01")
        }
        let ext = (path as NSString).pathExtension.lowercased()
        let table = ext == "csv" || ext == "tsv" ? try ImageTable.read(path) : try ImageFolder.scan(path)
        var items: [Item] = [], skipped: [(path: String, reason: String)] = []
        for (k, row) in table.rows.enumerated() {
            do {
                let bytes = try AtomicFile.read(row.path)
                let digest = bytes.withUnsafeBytes { Digest.of(bytes: $0) }
                let fitted = try ImageFile.decode(bytes, source: row.path).fitted(width: size, height: size)
                let photometric = try PhotometricFactors(bitmap: fitted)
                let values = (row.values + photometric.values).map { $0 ?? .nan }
                items.append(Item(path: row.path, digest: digest, split: split(of: digest), pixels: planes(fitted), values: values))
            } catch {
                skipped.append((row.path, "\(error)"))
            }
            progress?(k + 1, table.rows.count)
        }
        if Double(skipped.count) > maxBadFraction * Double(table.rows.count) {
            let listed = skipped.prefix(10).map { "\($0.path): \($0.reason)" }.joined(separator: "; ")
            throw DatasetError.imageSet(
                source: path, problem: "\(skipped.count) of \(table.rows.count) files cannot be read, more than the "
                    + "\(maxBadFraction * 100) % allowed (first ones: \(listed))",
                fix: "Remove or repair these files, or raise --max-bad-fraction; nothing was trained")
        }
        let factors = table.columns.map(\.descriptor) + PhotometricFactors.descriptors
        return ImageSet(source: path, size: size, factors: factors, items: items, skipped: skipped,
                        identity: identity(of: items, factors: factors, size: size))
    }

    /// 8-bit RGB, interleaved, as [3, H, W] floats in 0…1.
    public static func planes(_ bitmap: Bitmap) -> [Float] {
        let plane = bitmap.width * bitmap.height
        var out = [Float](repeating: 0, count: 3 * plane)
        bitmap.samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<plane {
                    for c in 0..<3 { dst[c * plane + p] = Float(src[3 * p + c]) / 255 }
                }
            }
        }
        return out
    }

    static func identity(of items: [Item], factors: [FactorDescriptor], size: Int) -> Digest {
        var hash = ContentHash()
        func add(_ text: String) { Array(text.utf8).withUnsafeBytes { hash.add($0) } }
        add("image-set recipe \(recipe) size \(size)\n")
        for f in factors { add("\(f.name) \(f.kind)\n") }
        for item in items {
            add("\(item.digest.hex) \(item.split.rawValue)\n")
            item.values.withUnsafeBytes { hash.add($0) }
        }
        return hash.digest
    }
}
