import Foundation

/// Errors of the Datasets module. Every message names the file, what is wrong and how to fix it.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// The Fashion-MNIST directory or one of its files does not exist.
    case datasetNotFound(directory: String, missingFile: String, chosenBy: String)
    /// A file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// A gzip stream is invalid or truncated.
    case gzip(path: String, reason: String)
    /// An IDX file is malformed (magic number, dimensions, size).
    case idx(path: String, reason: String)
    /// Images and labels of a split disagree.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label outside 0...9.
    case badLabel(path: String, index: Int, value: Int)
    /// A scene size the generator cannot make.
    case invalidSceneSize(Int)
    /// A source split with no items.
    case emptySource(String)
    /// An image table (CSV/TSV) that cannot be used: where (line, column when known), what, and the fix.
    case table(path: String, line: Int?, column: String?, problem: String, fix: String)
    /// An image folder that cannot be used: what is wrong and the fix.
    case imageFolder(path: String, problem: String, fix: String)
    /// Pixels that photometric factors cannot be measured on (size, count, values outside 0...1).
    case badPixels(problem: String, fix: String)
    /// A folder the tool was asked to write (`diagnose scenes --table`) that it must not or cannot use.
    case outputFolder(path: String, problem: String, fix: String)
    /// An image set that cannot be diagnosed as it is: too many unreadable files, too few images
    /// for a split.
    case imageSet(source: String, problem: String, fix: String)
    /// More of an image set's files are unusable than allowed: the count, the share, the first few.
    case tooManyBadImages(source: String, bad: Int, total: Int, allowedFraction: Double, first: [SkippedImage])
    /// A split of an image set has fewer usable images than a task needs.
    case tooFewImages(source: String, train: Int, test: Int, neededTrain: Int, neededTest: Int)

    public var description: String {
        switch self {
        case let .datasetNotFound(directory, missingFile, chosenBy):
            return """
                Fashion-MNIST not found: \(directory)/\(missingFile) does not exist (directory \(chosenBy)). \
                Install the dataset with `sudo apt-get install dataset-fashion-mnist` (it goes to \
                \(FashionMNIST.defaultDirectory)), or pass --data-dir DIR (or set \(FashionMNIST.environmentVariable)=DIR) \
                for a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, \
                t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.
                """
        case let .unreadable(path, reason):
            return "\(path): cannot read (\(reason)). Check the file's permissions."
        case let .gzip(path, reason):
            return "\(path): gzip error: \(reason). The file is damaged; reinstall dataset-fashion-mnist or re-download it."
        case let .idx(path, reason):
            return "\(path): not a valid IDX file: \(reason). The file is damaged or not Fashion-MNIST; reinstall dataset-fashion-mnist."
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) has \(imageCount) images but \(labels) has \(labelCount) labels; the two files must come from the same split."
        case let .badLabel(path, index, value):
            return "\(path): label \(index) is \(value), outside 0...9. The file is damaged or not Fashion-MNIST."
        case let .invalidSceneSize(size):
            return "Scene size \(size) is not supported: use a multiple of 4 between 16 and 256 (32 and 64 are the tested sizes)."
        case let .emptySource(what):
            return "\(what) has no items; scenes need at least one Fashion-MNIST item."
        case let .table(path, line, column, problem, fix):
            let place = (line.map { ", line \($0)" } ?? "") + (column.map { ", column '\($0)'" } ?? "")
            return "\(path)\(place): \(problem). \(fix)"
        case let .imageFolder(path, problem, fix), let .outputFolder(path, problem, fix), let .imageSet(path, problem, fix):
            return "\(path): \(problem). \(fix)"
        case let .badPixels(problem, fix):
            return "Photometric factors: \(problem). \(fix)."
        case let .tooManyBadImages(source, bad, total, allowed, first):
            let listed = first.map { "\n  \($0)" }.joined()
            let more = bad > first.count ? "\n  … and \(bad - first.count) more" : ""
            return "\(source): \(bad) of \(total) images cannot be used (\(Self.percent(Double(bad) / Double(max(total, 1)))), "
                + "more than the \(Self.percent(allowed)) allowed); nothing was trained. The first \(first.count):\(listed)\(more)\n"
                + "Repair or remove these files, or allow a larger share with --max-bad-fraction."
        case let .tooFewImages(source, train, test, neededTrain, neededTest):
            return "\(source): \(train + test) usable images split by content into \(train) train and \(test) test; "
                + "at least \(neededTrain) train and \(neededTest) test images are needed. One image in ten goes to "
                + "test, decided by its content, so add images: about \(max(neededTrain * 10 / 9, neededTest * 10)) in all at the very least."
        }
    }
}

extension DatasetError {
    /// A fraction as a percentage with one decimal ("1.0 %").
    static func percent(_ fraction: Double) -> String { String(format: "%.1f %%", 100 * fraction) }
}

extension DatasetError: LocalizedError {
    public var errorDescription: String? { description }
}
