import FileSupport
import Foundation
import Imaging

/// One split of Fashion-MNIST: 28x28 grey garments (0 = empty, 255 = full ink) and class labels.
public struct FashionMNIST: Sendable {
    public typealias Split = FashionMNISTSplit

    public static let side = 28
    public static let pixelsPerImage = side * side
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]
    /// Where the Debian package `dataset-fashion-mnist` installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// Overrides the default directory when no explicit directory is given.
    public static let environmentVariable = "FASHION_MNIST_DIR"

    public let split: Split
    public let directory: String
    public let count: Int
    /// `count * 784` bytes, one image after another, rows top to bottom.
    public let images: [UInt8]
    /// `count` labels in 0...9.
    public let labels: [UInt8]

    /// Loads a split. The directory is `dataDir` if given (the CLI's `--data-dir`), else
    /// `$FASHION_MNIST_DIR` if set, else the Debian package's directory.
    public init(split: Split, dataDir: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let (directory, chosenBy) = FashionMNIST.resolveDirectory(dataDir: dataDir, environment: environment)
        try self.init(split: split, directory: directory, chosenBy: chosenBy)
    }

    /// Loads a split from an explicit directory.
    public init(split: Split, directory: String) throws {
        try self.init(split: split, directory: directory, chosenBy: "given explicitly")
    }

    private init(split: Split, directory: String, chosenBy: String) throws {
        let imagesPath = "\(directory)/\(split.imagesFile)"
        let labelsPath = "\(directory)/\(split.labelsFile)"
        let imageFile = try FashionMNIST.load(imagesPath, file: split.imagesFile, directory: directory, chosenBy: chosenBy, rank: 3)
        let labelFile = try FashionMNIST.load(labelsPath, file: split.labelsFile, directory: directory, chosenBy: chosenBy, rank: 1)
        guard imageFile.dimensions[1] == FashionMNIST.side, imageFile.dimensions[2] == FashionMNIST.side else {
            throw DatasetError.idx(path: imagesPath, reason: "images are \(imageFile.dimensions[1])x\(imageFile.dimensions[2]), expected 28x28")
        }
        guard imageFile.dimensions[0] == labelFile.dimensions[0] else {
            throw DatasetError.countMismatch(images: imagesPath, imageCount: imageFile.dimensions[0],
                                             labels: labelsPath, labelCount: labelFile.dimensions[0])
        }
        if let bad = labelFile.data.firstIndex(where: { $0 > 9 }) {
            throw DatasetError.badLabel(path: labelsPath, index: bad, value: Int(labelFile.data[bad]))
        }
        self.split = split
        self.directory = directory
        self.count = imageFile.dimensions[0]
        self.images = imageFile.data
        self.labels = labelFile.data
    }

    /// The directory to use and a phrase saying why (for error messages).
    public static func resolveDirectory(dataDir: String?, environment: [String: String]) -> (directory: String, chosenBy: String) {
        if let dataDir, !dataDir.isEmpty { return (dataDir, "from --data-dir") }
        if let env = environment[environmentVariable], !env.isEmpty { return (env, "from \(environmentVariable)") }
        return (defaultDirectory, "the default; neither --data-dir nor \(environmentVariable) was given")
    }

    /// Item `index`'s pixels (784 bytes).
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        images[(index * FashionMNIST.pixelsPerImage)..<((index + 1) * FashionMNIST.pixelsPerImage)]
    }

    public func label(_ index: Int) -> Int { Int(labels[index]) }

    /// Reads `name.gz` (or, if only that is missing, an uncompressed `name` beside it).
    private static func load(_ path: String, file: String, directory: String, chosenBy: String, rank: Int) throws -> IDXFile {
        let fm = FileManager.default
        var compressed = true
        var actualPath = path
        if !fm.fileExists(atPath: path) {
            let plain = String(path.dropLast(3))
            guard fm.fileExists(atPath: plain) else {
                throw DatasetError.datasetNotFound(directory: directory, missingFile: file, chosenBy: chosenBy)
            }
            compressed = false
            actualPath = plain
        }
        let raw: [UInt8]
        do {
            raw = try AtomicFile.read(actualPath)
        } catch let error as FileError {
            throw DatasetError.unreadable(path: actualPath, reason: error.reason)
        }
        let bytes = compressed ? try Gzip.decompress(raw, path: actualPath) : raw
        return try IDXFile(bytes: bytes, path: actualPath, expectedRank: rank)
    }
}
