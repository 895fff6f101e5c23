/// The two halves of Fashion-MNIST and their file names.
public enum FashionMNISTSplit: String, CaseIterable, Sendable {
    case train
    case test

    /// "train" or "t10k", as the original files are named.
    var filePrefix: String { self == .train ? "train" : "t10k" }
    public var imagesFile: String { "\(filePrefix)-images-idx3-ubyte.gz" }
    public var labelsFile: String { "\(filePrefix)-labels-idx1-ubyte.gz" }
}
