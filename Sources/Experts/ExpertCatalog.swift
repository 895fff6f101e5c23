import Autoencoder
import FileSupport
import Foundation
import NN

/// The experts the tool knows, and the autoencoder, loaded from their shipped weights.
public enum ExpertCatalog {
    public static let names = ["deeplab", "resnet", "oracle"]

    /// A built-in expert by name, or an imported one by the path of its .onnx file, with its probe.
    /// `inputSize` (height, width) is for imported models whose image size is dynamic.
    public static func open(_ name: String, inputSize: (height: Int, width: Int)? = nil,
                            weightsDirectory: URL = ProjectFiles.weights) throws -> (expert: Expert, probe: Probe) {
        if ImportedProbe.isModelPath(name) {
            let (expert, probe) = try ImportedProbe.open(name, inputSize: inputSize)
            return (expert, probe)
        }
        return (try load(name, weightsDirectory: weightsDirectory), try Probe.load(expert: name))
    }

    public static func load(_ name: String, weightsDirectory: URL = ProjectFiles.weights) throws -> Expert {
        switch name {
        case "oracle":
            return OracleExpert()
        case "deeplab":
            let model = DeepLabLite(), file = try weightsFile(name, in: weightsDirectory)
            try model.load(contentsOf: file)
            return try NetworkExpert(deeplab: model, weights: file)
        case "resnet":
            let model = ResNetClassifier(), file = try weightsFile(name, in: weightsDirectory)
            try model.load(contentsOf: file)
            return try NetworkExpert(resnet: model, weights: file)
        default:
            throw ExpertError.unknownExpert(name, valid: names + ["the path of an .onnx file"])
        }
    }

    /// The shipped classifier, used as the feature space of the Fréchet distance.
    public static func loadClassifier(weightsDirectory: URL = ProjectFiles.weights) throws -> ResNetClassifier {
        let model = ResNetClassifier()
        try model.load(contentsOf: try weightsFile("resnet", in: weightsDirectory))
        model.eval(); model.freeze()
        return model
    }

    /// The shipped autoencoder, sized from its metadata.
    public static func loadAutoencoder(weightsDirectory: URL = ProjectFiles.weights) throws -> ConvAutoencoder {
        try loadAutoencoder(from: try weightsFile("autoencoder", in: weightsDirectory))
    }

    /// An autoencoder weights file, sized from its metadata: `latent_dim`, `width` and the image
    /// `size` (32 when absent: files written before other sizes existed).
    public static func loadAutoencoder(from url: URL) throws -> ConvAutoencoder {
        let meta = try SafeTensorsMetadata.read(url)
        let size = try SafeTensorsMetadata.integer("size", in: meta, of: url, range: 32...128, fallback: 32)
        guard ConvAutoencoder.supportedSizes.contains(size) else {
            throw ExpertError.corruptMetadata(path: url.path, key: "size", value: "\(size)",
                                              expected: "one of " + ConvAutoencoder.supportedSizes.map(String.init).joined(separator: ", "))
        }
        let model = ConvAutoencoder(latentDim: try SafeTensorsMetadata.integer("latent_dim", in: meta, of: url, range: 1...1_024, fallback: 64),
                                    width: try SafeTensorsMetadata.integer("width", in: meta, of: url, range: 1...256, fallback: 32),
                                    size: size)
        try model.load(contentsOf: url)
        model.eval(); model.freeze()
        return model
    }

    public static func weightsFile(_ name: String, in directory: URL = ProjectFiles.weights) throws -> URL {
        let url = directory.appendingPathComponent("\(name).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ExpertError.missingWeights(expert: name, path: url.path)
        }
        return url
    }
}
