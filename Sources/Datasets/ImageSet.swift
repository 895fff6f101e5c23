import FileSupport
import Foundation
import Imaging

/// A user's images read once: every readable image of a folder (`ImageFolder`) or table
/// (`ImageTable`), centre-cropped and resized to `size`×`size` (`Bitmap.fitted`, Pillow's
/// antialiased bilinear filter) and kept as 8-bit planes (a quarter of the memory of floats),
/// with its attribute values followed by its photometric factors (`PhotometricFactors`, measured
/// on the fitted image), in a split decided by its content alone: adding or removing images never
/// moves another image between splits. Unreadable files are skipped and listed; more than
/// `maxBadFraction` of them is an error. No file of the set is ever written. Used by
/// `diagnose --images` and `diagnose train autoencoder --images`.
public struct ImageSet: Sendable {
    /// Which part of a run an image serves: translators (and an autoencoder) train on `train`
    /// (an autoencoder also on `selection`), translators pick their best checkpoint on
    /// `selection`, and every reported number is measured on `test`.
    public enum Split: String, CaseIterable, Sendable {
        case train, selection, test

        /// The split of a file with this content digest: 10 % test, 10 % selection, 80 % train.
        public init(digest: Digest) {
            switch (UInt64(digest.hex, radix: 16) ?? 0) % 10 {
            case 0: self = .test
            case 1: self = .selection
            default: self = .train
            }
        }

        /// The rule, for metadata and docs.
        public static let rule = "the file's digest (FNV-1a 64) mod 10: 0 test, 1 selection, else train"
    }

    /// One readable image.
    public struct Item: Sendable {
        public let path: String
        /// The digest of the file's bytes.
        public let digest: Digest
        public let split: Split
        /// One per factor of the set; NaN where the image has no value.
        public let values: [Float]
    }

    /// Bumped whenever reading, fitting or measuring an image changes.
    public static let recipe = 2
    /// The most unreadable files an error lists.
    public static let listedBadFiles = 10

    /// The folder or table the set was read from.
    public let source: String
    public let size: Int
    /// The table's attribute columns, then the photometric factors.
    public let factors: [FactorDescriptor]
    /// Readable images in the source's order.
    public let items: [Item]
    /// Files that could not be read, with the reason.
    public let skipped: [SkippedImage]
    /// Factors left out because no image tells their values apart, with the reason.
    public let leftOutFactors: [LeftOutFactor]
    /// What a diagnosis of the set depends on: every image's bytes, split and values, the
    /// factors, the size and the recipe (not the paths: a moved folder is the same set).
    public let identity: Digest
    /// Item i's planes, [3, size, size], at i·3·size².
    let samples: [UInt8]

    /// The positions of the images of `split`, in the source's order.
    public func indices(in split: Split) -> [Int] { items.indices.filter { items[$0].split == split } }
    /// The images of `split`, in the source's order.
    public func items(in split: Split) -> [Item] { indices(in: split).map { items[$0] } }

    /// Reads the set at `path`: a folder (searched recursively) or a `.csv`/`.tsv` table with a
    /// `path` column (`ImageTable.open`).
    public static func open(_ path: String, size: Int, maxBadFraction: Double = 0.01,
                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> ImageSet {
        try open(ImageTable.open(path), size: size, maxBadFraction: maxBadFraction, progress: progress)
    }

    /// Reads every image `table` names.
    public static func open(_ table: ImageTable, size: Int, maxBadFraction: Double = 0.01,
                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> ImageSet {
        guard (8...1_024).contains(size) else {
            throw DatasetError.imageSet(source: table.source, problem: "image size \(size) is out of range", fix: "Use a size within 8...1024")
        }
        guard maxBadFraction >= 0, maxBadFraction <= 1 else {
            throw DatasetError.imageSet(source: table.source, problem: "the share of bad files allowed, \(maxBadFraction), is not within 0...1",
                                        fix: "Pass --max-bad-fraction between 0 and 1, e.g. 0.01")
        }
        var items: [Item] = [], skipped: [SkippedImage] = [], samples: [UInt8] = []
        samples.reserveCapacity(table.rows.count * 3 * size * size)
        for (k, row) in table.rows.enumerated() {
            do {
                let bytes = try AtomicFile.read(row.path)
                let digest = bytes.withUnsafeBytes { Digest.of(bytes: $0) }
                let fitted = try ImageFile.decodeFitted(bytes, width: size, height: size, source: row.path)
                let photometric = try PhotometricFactors(bitmap: fitted)
                samples += planes(fitted)
                items.append(Item(path: row.path, digest: digest, split: Split(digest: digest),
                                  values: (row.values + photometric.values).map { $0 ?? .nan }))
            } catch {
                skipped.append(SkippedImage(path: row.path, reason: reason(error, path: row.path)))
            }
            progress?(k + 1, table.rows.count)
        }
        if Double(skipped.count) > maxBadFraction * Double(table.rows.count) {
            throw DatasetError.tooManyBadImages(source: table.source, bad: skipped.count, total: table.rows.count,
                                                allowedFraction: maxBadFraction, first: Array(skipped.prefix(listedBadFiles)))
        }
        let all = table.columns.map(\.descriptor) + PhotometricFactors.descriptors
        let (kept, leftOut) = informativeFactors(all, items)
        let factors = kept.map { all[$0] }
        items = items.map { item in Item(path: item.path, digest: item.digest, split: item.split, values: kept.map { item.values[$0] }) }
        return ImageSet(source: table.source, size: size, factors: factors, items: items, skipped: skipped, leftOutFactors: leftOut,
                        identity: identity(of: items, factors: factors, size: size), samples: samples)
    }

    /// The positions of the factors with at least two values among `items`, and the others: a
    /// factor missing on every image (hue on grey images) or constant (a column of one value)
    /// gives a read-out with nothing to learn and a score with no meaning.
    static func informativeFactors(_ factors: [FactorDescriptor], _ items: [Item]) -> (kept: [Int], leftOut: [LeftOutFactor]) {
        var kept: [Int] = [], leftOut: [LeftOutFactor] = []
        for (j, f) in factors.enumerated() {
            let values = items.lazy.map { $0.values[j] }.filter { !$0.isNaN }
            guard let first = values.first else {
                leftOut.append(LeftOutFactor(name: f.name, reason: "it is missing on every image"))
                continue
            }
            if values.allSatisfy({ $0 == first }) {
                leftOut.append(LeftOutFactor(name: f.name, reason: "every image has the same value"))
            } else {
                kept.append(j)
            }
        }
        return (kept, leftOut)
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

    /// Interleaved 8-bit RGB as channel planes.
    public static func planes(_ bitmap: Bitmap) -> [UInt8] {
        precondition(bitmap.format == .rgb, "ImageSet: ImageFile gives RGB")
        let plane = bitmap.width * bitmap.height
        var out = [UInt8](repeating: 0, count: 3 * plane)
        bitmap.samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<plane {
                    for c in 0..<3 { dst[c * plane + p] = src[3 * p + c] }
                }
            }
        }
        return out
    }

    /// An error's message without the leading path (the warning names the path itself).
    static func reason(_ error: Error, path: String) -> String {
        let text = String(describing: error)
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
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
